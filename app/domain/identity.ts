// Identity-field validation for contest participants: Vietnamese citizen ID
// (CCCD / số định danh cá nhân), birth date and mobile phone number.
// Pure functions: no I/O, no clock (the current date is always a parameter).

export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
const fail = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });

// ---------------------------------------------------------------------------
// Province codes
// ---------------------------------------------------------------------------

/**
 * Province codes (first three digits of the 12-digit citizen ID), per
 * Thông tư 07/2016/TT-BCA, later Thông tư 59/2021/TT-BCA: the 63 provinces
 * that existed before the 2025 merger. IDs already issued keep these codes.
 *
 * People whose birth was registered abroad may carry other codes; this map is
 * the single place to extend if such participants must be accepted.
 */
export const PROVINCE_CODES: ReadonlyMap<string, string> = new Map([
  ["001", "Hà Nội"],
  ["002", "Hà Giang"],
  ["004", "Cao Bằng"],
  ["006", "Bắc Kạn"],
  ["008", "Tuyên Quang"],
  ["010", "Lào Cai"],
  ["011", "Điện Biên"],
  ["012", "Lai Châu"],
  ["014", "Sơn La"],
  ["015", "Yên Bái"],
  ["017", "Hòa Bình"],
  ["019", "Thái Nguyên"],
  ["020", "Lạng Sơn"],
  ["022", "Quảng Ninh"],
  ["024", "Bắc Giang"],
  ["025", "Phú Thọ"],
  ["026", "Vĩnh Phúc"],
  ["027", "Bắc Ninh"],
  ["030", "Hải Dương"],
  ["031", "Hải Phòng"],
  ["033", "Hưng Yên"],
  ["034", "Thái Bình"],
  ["035", "Hà Nam"],
  ["036", "Nam Định"],
  ["037", "Ninh Bình"],
  ["038", "Thanh Hóa"],
  ["040", "Nghệ An"],
  ["042", "Hà Tĩnh"],
  ["044", "Quảng Bình"],
  ["045", "Quảng Trị"],
  ["046", "Thừa Thiên Huế"],
  ["048", "Đà Nẵng"],
  ["049", "Quảng Nam"],
  ["051", "Quảng Ngãi"],
  ["052", "Bình Định"],
  ["054", "Phú Yên"],
  ["056", "Khánh Hòa"],
  ["058", "Ninh Thuận"],
  ["060", "Bình Thuận"],
  ["062", "Kon Tum"],
  ["064", "Gia Lai"],
  ["066", "Đắk Lắk"],
  ["067", "Đắk Nông"],
  ["068", "Lâm Đồng"],
  ["070", "Bình Phước"],
  ["072", "Tây Ninh"],
  ["074", "Bình Dương"],
  ["075", "Đồng Nai"],
  ["077", "Bà Rịa - Vũng Tàu"],
  ["079", "Hồ Chí Minh"],
  ["080", "Long An"],
  ["082", "Tiền Giang"],
  ["083", "Bến Tre"],
  ["084", "Trà Vinh"],
  ["086", "Vĩnh Long"],
  ["087", "Đồng Tháp"],
  ["089", "An Giang"],
  ["091", "Kiên Giang"],
  ["092", "Cần Thơ"],
  ["093", "Hậu Giang"],
  ["094", "Sóc Trăng"],
  ["095", "Bạc Liêu"],
  ["096", "Cà Mau"],
]);

// ---------------------------------------------------------------------------
// Calendar dates (plain YYYY-MM-DD, no time zones involved)
// ---------------------------------------------------------------------------

type CalendarDate = { year: number; month: number; day: number };

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Parses a strict YYYY-MM-DD string; null unless it is a real calendar date. */
function parseDate(text: string): CalendarDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** Total order on dates; fine because the year is always 4 digits here. */
function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** The date a person born on `birth` turns `age`; 29 Feb rolls to 1 Mar. */
function anniversary(birth: CalendarDate, age: number): CalendarDate {
  const year = birth.year + age;
  if (birth.month === 2 && birth.day === 29 && !isLeapYear(year)) {
    return { year, month: 3, day: 1 };
  }
  return { year, month: birth.month, day: birth.day };
}

// ---------------------------------------------------------------------------
// Birth date
// ---------------------------------------------------------------------------

export type BirthDateError = "BIRTH_DATE_INVALID" | "BIRTH_DATE_FUTURE" | "TOO_YOUNG";

/**
 * Checks a birth date against `today` (both YYYY-MM-DD). With `minAge`, the
 * person must have reached that age on `today`.
 * Throws on an invalid `today` or `minAge`: those are programming errors,
 * not user input.
 */
export function validateBirthDate(
  birthDate: string,
  today: string,
  minAge?: number,
): Result<string, BirthDateError> {
  const now = parseDate(today);
  if (!now) throw new RangeError(`validateBirthDate: invalid today "${today}"`);
  if (minAge !== undefined && !(Number.isInteger(minAge) && minAge >= 0)) {
    throw new RangeError(`validateBirthDate: invalid minAge ${minAge}`);
  }

  const birth = parseDate(birthDate);
  if (!birth) return fail("BIRTH_DATE_INVALID");
  if (compareDates(birth, now) > 0) return fail("BIRTH_DATE_FUTURE");
  if (minAge !== undefined && compareDates(anniversary(birth, minAge), now) > 0) {
    return fail("TOO_YOUNG");
  }
  return ok(birthDate);
}

// ---------------------------------------------------------------------------
// National ID (12-digit CCCD)
// ---------------------------------------------------------------------------

export type NationalIdError =
  | "NATIONAL_ID_FORMAT"
  | "NATIONAL_ID_PROVINCE"
  | "NATIONAL_ID_GENDER_CENTURY"
  | "NATIONAL_ID_BIRTH_YEAR"
  | "BIRTH_DATE_INVALID";

export type Gender = "male" | "female";

export type NationalIdInput = {
  nationalId: string;
  birthDate: string; // YYYY-MM-DD
  gender: Gender;
};

/** Earliest birth year the ID scheme encodes (century digit 0/1 = 1900s). */
const FIRST_ENCODED_YEAR = 1900;

/**
 * Trims and removes spaces between digit groups ("064 090 001 234"),
 * as people copy IDs from the printed card. Any other character is kept so
 * the format check rejects it.
 */
function compactNationalId(raw: string): string {
  const trimmed = raw.trim();
  return /^\d+( +\d+)*$/.test(trimmed) ? trimmed.replace(/ /g, "") : trimmed;
}

/**
 * Fourth digit of the ID: 2 × (centuries since 1900) + (female ? 1 : 0).
 * null when the year is outside 1900–2399, which the scheme cannot encode.
 */
export function genderCenturyDigit(birthYear: number, gender: Gender): number | null {
  const century = Math.floor((birthYear - FIRST_ENCODED_YEAR) / 100);
  if (century < 0 || century > 4) return null;
  return century * 2 + (gender === "female" ? 1 : 0);
}

/** The checks a CCCD passes on its own, before it is compared with the birth date and gender. */
export function checkNationalIdShape(nationalId: string): Result<string, "NATIONAL_ID_FORMAT" | "NATIONAL_ID_PROVINCE"> {
  const id = compactNationalId(nationalId);
  if (!/^\d{12}$/.test(id)) return fail("NATIONAL_ID_FORMAT");
  if (!PROVINCE_CODES.has(id.slice(0, 3))) return fail("NATIONAL_ID_PROVINCE");
  return ok(id);
}

/**
 * Validates a citizen ID against the holder's birth date and gender.
 * Checks run in a fixed order (format, birth date, province, gender/century,
 * birth year) so the first reported error is deterministic.
 * On success `value` is the compact 12-digit ID.
 */
export function validateNationalId(input: NationalIdInput): Result<string, NationalIdError> {
  const id = compactNationalId(input.nationalId);
  if (!/^\d{12}$/.test(id)) return fail("NATIONAL_ID_FORMAT");

  const birth = parseDate(input.birthDate);
  if (!birth || birth.year < FIRST_ENCODED_YEAR) return fail("BIRTH_DATE_INVALID");

  if (!PROVINCE_CODES.has(id.slice(0, 3))) return fail("NATIONAL_ID_PROVINCE");

  const expectedDigit = genderCenturyDigit(birth.year, input.gender);
  if (expectedDigit === null || Number(id[3]) !== expectedDigit) {
    return fail("NATIONAL_ID_GENDER_CENTURY");
  }

  const yearDigits = String(birth.year % 100).padStart(2, "0");
  if (id.slice(4, 6) !== yearDigits) return fail("NATIONAL_ID_BIRTH_YEAR");

  return ok(id);
}

// ---------------------------------------------------------------------------
// Mobile phone numbers
// ---------------------------------------------------------------------------

export type PhoneError = "PHONE_FORMAT" | "PHONE_PREFIX";

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * Two digits after the leading 0 of a mobile number, per the numbering plan
 * in force since the 2018 switch from 11 to 10 digits. 087 (Itelecom) and
 * 055 (Reddi) are MVNO ranges and valid.
 */
const MOBILE_PREFIXES: ReadonlySet<string> = new Set(
  [
    ...range(32, 39),
    52, 55, 56, 58, 59,
    70, ...range(76, 79),
    ...range(81, 89),
    ...range(90, 94), ...range(96, 99),
  ].map(String),
);

/** Country code forms: "+84…" always, bare "84…" only with 9–10 digits after it. */
function toNationalDigits(compact: string): string {
  let subscriber: string | null = null;
  if (compact.startsWith("+84")) subscriber = compact.slice(3);
  else if (/^84\d{9,10}$/.test(compact)) subscriber = compact.slice(2);
  if (subscriber === null) return compact;
  // "+84 0912…" is a common mistake: the trunk 0 must be dropped after +84.
  return subscriber.length === 10 && subscriber.startsWith("0") ? subscriber : `0${subscriber}`;
}

/**
 * Normalises a Vietnamese mobile number to the 10-digit national form
 * "0xxxxxxxxx". Accepts spaces, dots, hyphens and parentheses as separators
 * and the +84 / 84 country code.
 */
export function normalizePhone(input: string): Result<string, PhoneError> {
  const compact = input.trim().replace(/[\s.\-()]/g, "");
  if (!/^\+?\d+$/.test(compact)) return fail("PHONE_FORMAT");

  const national = toNationalDigits(compact);
  if (!/^0\d{9}$/.test(national)) return fail("PHONE_FORMAT");
  if (!MOBILE_PREFIXES.has(national.slice(1, 3))) return fail("PHONE_PREFIX");
  return ok(national);
}

// ---------------------------------------------------------------------------
// Masking for display and logs
// ---------------------------------------------------------------------------

/** Replaces every character but the first `head` and last `tail` with "*";
 * masks everything when the value is too short to hide anything otherwise. */
function maskMiddle(value: string, head: number, tail: number): string {
  if (value.length <= head + tail) return "*".repeat(value.length);
  return value.slice(0, head) + "*".repeat(value.length - head - tail) + value.slice(-tail);
}

/** "064090001123" → "*********123". */
export function maskNationalId(id: string): string {
  return maskMiddle(compactNationalId(id), 0, 3);
}

/** "0912345678" (or any accepted input form) → "091****678". */
export function maskPhone(phone: string): string {
  const normalized = normalizePhone(phone);
  return maskMiddle(normalized.ok ? normalized.value : phone.trim(), 3, 3);
}
