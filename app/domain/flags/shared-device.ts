import type { FlagRule } from "./types";

/**
 * Several accounts from one browser (the device id it keeps), or from the same address AND the same
 * browser build within a short window. The address alone is never enough: a commune office shares
 * one, which is why its threshold is higher and it needs the same user agent.
 */
export const sharedDevice: FlagRule = {
  name: "shared-device",
  // A family phone often serves three people; an office network with one browser build serves
  // dozens (the flags bench: 4 flagged 5% of honest people behind office networks).
  defaults: { maxAccountsPerDevice: 3, maxAccountsPerIpAndAgent: 40, windowMinutes: 60 },
  evaluate({ attempt, peers }, s) {
    const window = s.windowMinutes * 60_000;
    const near = peers.filter((p) => p.userId !== attempt.userId && Math.abs(p.startedAt.getTime() - attempt.startedAt.getTime()) <= window);
    const byDevice = attempt.deviceId ? near.filter((p) => p.deviceId === attempt.deviceId) : [];
    const deviceAccounts = new Set([attempt.userId, ...byDevice.map((p) => p.userId)]);
    if (deviceAccounts.size > s.maxAccountsPerDevice) {
      return { severity: deviceAccounts.size > 2 * s.maxAccountsPerDevice ? "high" : "medium", detail: { by: "device", accounts: deviceAccounts.size }, alsoAttempts: byDevice.map((p) => p.id) };
    }
    const byIpAgent = attempt.ip && attempt.userAgent ? near.filter((p) => p.ip === attempt.ip && p.userAgent === attempt.userAgent) : [];
    const ipAccounts = new Set([attempt.userId, ...byIpAgent.map((p) => p.userId)]);
    if (ipAccounts.size > s.maxAccountsPerIpAndAgent) {
      return { severity: "low", detail: { by: "ip+agent", accounts: ipAccounts.size }, alsoAttempts: byIpAgent.map((p) => p.id) };
    }
    return null;
  },
};
