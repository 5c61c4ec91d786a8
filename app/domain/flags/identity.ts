import type { FlagRule } from "./types";

/** A CCCD that does not fit the details given (should never pass registration), or many accounts made from one device or address. */
export const identity: FlagRule = {
  name: "identity",
  defaults: { maxRegistrationsPerDevice: 2, maxRegistrationsPerIp: 20 },
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
