import { randomInt } from "node:crypto";

export const ORIGIN = "http://localhost:3000";

/** A valid, unique contestant (CCCD consistent with gender and birth year; a fresh mobile number). */
export function newContestant(overrides: Record<string, unknown> = {}): Record<string, string> & { email?: string } {
  const female = randomInt(2) === 1;
  const year = 1960 + randomInt(45);
  const centuryDigit = (year >= 2000 ? 2 : 0) + (female ? 1 : 0);
  const nationalId = `064${centuryDigit}${String(year % 100).padStart(2, "0")}${String(randomInt(1_000_000)).padStart(6, "0")}`;
  const phone = `09${[1, 3, 4, 6, 7, 8][randomInt(6)]}${String(randomInt(10_000_000)).padStart(7, "0")}`;
  return {
    fullName: female ? "Trần Thị Bích Ngọc" : "Nguyễn Văn Đức",
    nationalId,
    phone,
    birthDate: `${year}-0${1 + randomInt(9)}-1${randomInt(10)}`,
    gender: female ? "female" : "male",
    communeCode: "21583",
    group: "citizen",
    password: "mat-khau-thi-sinh",
    ...overrides,
  } as Record<string, string> & { email?: string };
}

type Init = { method?: string; json?: unknown; body?: BodyInit; cookie?: string; headers?: Record<string, string> };

export function req(path: string, init: Init = {}): Request {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("Cookie", init.cookie);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  return new Request(`${ORIGIN}${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
}

/** The cookie a browser would send back after this response. */
export function cookieOf(res: Response): string {
  const set = res.headers.get("Set-Cookie");
  if (!set) throw new Error("no Set-Cookie on the response");
  return set.split(";")[0];
}

export const args = (request: Request, params: Record<string, string> = {}) =>
  ({ request, params, context: {} }) as never;
