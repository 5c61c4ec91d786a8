import type { FlagRule } from "./types";

/** A CCCD that does not fit the details given (should never pass registration), or many accounts made from one device or address. */
export const identity: FlagRule = {
  name: "identity",
  // An office registers its staff together from one address (the flags bench: 20 an hour flagged 6%).
  defaults: { maxRegistrationsPerDevice: 3, maxRegistrationsPerIp: 60 },
  evaluate({ identity: id }, s) {
    if (!id.nationalIdValid) return { severity: "high", detail: { nationalIdValid: false } };
    if (id.sameDeviceRegistrations > s.maxRegistrationsPerDevice) {
      return { severity: "medium", detail: { by: "device", registrations: id.sameDeviceRegistrations } };
    }
    if (id.sameIpRegistrations > s.maxRegistrationsPerIp) {
      return { severity: "low", detail: { by: "ip", registrations: id.sameIpRegistrations } };
    }
    return null;
  },
};
