// Keeps personal data out of the server's logs. Errors are the risk: Prisma's validation errors
// print the whole argument tree of the failed call (name, CCCD, phone, birth date, password hash),
// and PostgreSQL's unique-violation detail names the duplicate value ("Key (phone)=(0912…)").
// Everything the app logs about an error goes through `errorForLog`.

/** Field names whose values never reach a log, whatever their shape. */
const SENSITIVE_KEYS = [
  "fullName",
  "nationalId",
  "phone",
  "email",
  "birthDate",
  "gender",
  "workplace",
  "password",
  "passwordHash",
  "passwordConfirm",
  "currentPassword",
  "newPassword",
  "newPasswordConfirm",
  "identifier",
  "captcha",
  "registrationIp",
  "registrationDevice",
  "deviceId",
  "userAgent",
  "ip",
];

const keyValue = new RegExp(
  // key, optionally quoted, then : or =, then a quoted string or a bare token
  `(["'\`]?)\\b(${SENSITIVE_KEYS.join("|")})\\1(\\s*[:=]\\s*)("(?:[^"\\\\\\n]|\\\\.)*"|'(?:[^'\\\\\\n]|\\\\.)*'|[^\\s,;)}\\]]+)`,
  "g",
);
const NOT_ALNUM_BEFORE = "(?<![A-Za-z0-9@._%+-])";
const NOT_ALNUM_AFTER = "(?![A-Za-z0-9])";
const email = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const scryptHash = /scrypt\$[^\s"'`,)}]+/g;
// 12-digit CCCD (or a 9-digit old CMND), as one token of digits.
const nationalId = new RegExp(`${NOT_ALNUM_BEFORE}(?:\\d{12}|\\d{9})${NOT_ALNUM_AFTER}`, "g");
// Vietnamese mobile numbers in the usual spellings: 0912345678, 0912 345 678, +84 912.345.678, 84912345678.
const phone = new RegExp(`${NOT_ALNUM_BEFORE}(?:\\+?84|0)[\\s.-]?[35789](?:[\\s.-]?\\d){8}${NOT_ALNUM_AFTER}`, "g");
// A calendar date (a birth date is stored as YYYY-MM-DD); instants (…T10:00:00Z) are kept.
const calendarDate = new RegExp(`${NOT_ALNUM_BEFORE}(?:19|20)\\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])(?![\\dT:])`, "g");

/** Replaces personal data in free text with placeholders: [redacted], [email], [cccd], [phone], [date], [hash]. */
export function redactText(text: string): string {
  return text
    .replace(keyValue, (_m, q: string, key: string, sep: string) => `${q}${key}${q}${sep}"[redacted]"`)
    .replace(scryptHash, "[hash]")
    .replace(email, "[email]")
    .replace(phone, "[phone]")
    .replace(nationalId, "[cccd]")
    .replace(calendarDate, "[date]");
}

/**
 * One line (plus stack frames) about an error, safe to log. For Prisma's errors the call echo
 * ("Invalid `db().user.create()` invocation … { data: {…} }") is dropped: only the error's name,
 * code and its closing explanation remain, redacted like everything else.
 */
export function errorForLog(e: unknown): string {
  if (!(e instanceof Error)) return redactText(typeof e === "string" ? e : safeJson(e));
  const rawCode = (e as Error & { code?: unknown }).code;
  const code = typeof rawCode === "string" ? ` ${rawCode}` : "";
  const frames = (e.stack ?? "")
    .split("\n")
    .filter((l) => /^\s+at /.test(l))
    .join("\n");
  let message = e.message;
  if (/^\s*Invalid `[^`]*` invocation/.test(message)) {
    const paragraphs = message.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
    message = paragraphs.length > 1 ? paragraphs[paragraphs.length - 1] : "(details withheld)";
  }
  return redactText(`${e.name}${code}: ${message.trim()}${frames ? `\n${frames}` : ""}`);
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
