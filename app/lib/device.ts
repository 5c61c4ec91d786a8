// A random id kept in this browser, sent with each attempt start so judges can see several
// accounts taking part from one device. Not a fingerprint: clearing site data resets it.
const KEY = "cchc:device";

export function deviceId(): string {
  try {
    let id = localStorage.getItem(KEY);
    if (!id) {
      id = crypto.randomUUID();
      localStorage.setItem(KEY, id);
    }
    return id;
  } catch {
    return "";
  }
}
