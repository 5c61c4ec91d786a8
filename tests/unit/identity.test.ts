import { describe, it, expect } from "vitest";
import {
  PROVINCE_CODES,
  genderCenturyDigit,
  maskNationalId,
  maskPhone,
  normalizePhone,
  validateBirthDate,
  validateNationalId,
} from "../../app/domain/identity";

describe("PROVINCE_CODES", () => {
  it("has exactly the 63 pre-2025 provinces", () => {
    expect(PROVINCE_CODES.size).toBe(63);
    expect(new Set(PROVINCE_CODES.values()).size).toBe(63);
  });

  it("uses 3-digit keys", () => {
    for (const code of PROVINCE_CODES.keys()) expect(code).toMatch(/^\d{3}$/);
  });

  it("maps known codes to names", () => {
    expect(PROVINCE_CODES.get("001")).toBe("Hà Nội");
    expect(PROVINCE_CODES.get("064")).toBe("Gia Lai");
    expect(PROVINCE_CODES.get("052")).toBe("Bình Định");
    expect(PROVINCE_CODES.get("079")).toBe("Hồ Chí Minh");
    expect(PROVINCE_CODES.get("096")).toBe("Cà Mau");
  });

  it("has no codes in the gaps", () => {
    for (const code of ["000", "003", "005", "063", "065", "097", "100"]) {
      expect(PROVINCE_CODES.has(code)).toBe(false);
    }
  });
});

describe("genderCenturyDigit", () => {
  it.each([
    [1900, "male", 0],
    [1999, "female", 1],
    [2000, "male", 2],
    [2099, "female", 3],
    [2100, "male", 4],
    [2100, "female", 5],
    [2200, "male", 6],
    [2299, "female", 7],
    [2300, "male", 8],
    [2399, "female", 9],
  ] as const)("%i %s → %i", (year, gender, digit) => {
    expect(genderCenturyDigit(year, gender)).toBe(digit);
  });

  it("is null outside 1900–2399", () => {
    expect(genderCenturyDigit(1899, "male")).toBeNull();
    expect(genderCenturyDigit(2400, "female")).toBeNull();
  });
});

describe("validateNationalId", () => {
  describe("valid IDs", () => {
    it.each([
      ["064090001234", "1990-05-17", "male"], // Gia Lai, 1990 male
      ["064190001234", "1990-05-17", "female"], // Gia Lai, 1990 female
      ["064205001234", "2005-11-02", "male"], // Gia Lai, 2005 male
      ["052305001234", "2005-11-02", "female"], // Bình Định, 2005 female
      ["052090123456", "1990-01-01", "male"], // Bình Định, 1990 male
      ["001000000001", "1900-01-01", "male"], // earliest encodable year
      ["096405000001", "2105-03-03", "male"], // 22nd century, male
      ["096505000001", "2105-03-03", "female"], // 22nd century, female
    ] as const)("%s (%s, %s)", (nationalId, birthDate, gender) => {
      expect(validateNationalId({ nationalId, birthDate, gender })).toEqual({
        ok: true,
        value: nationalId,
      });
    });
  });

  describe("NATIONAL_ID_FORMAT", () => {
    const base = { birthDate: "1990-05-17", gender: "male" } as const;

    it.each([
      ["", "empty"],
      ["06409000123", "11 digits"],
      ["0640900012345", "13 digits"],
      ["06409000123a", "letter"],
      ["064.090.001.234", "dots"],
      ["064-090-001-234", "hyphens"],
      ["064\t090001234", "tab inside"],
      ["０６４０９０００１２３４", "full-width digits"],
    ])("rejects %j (%s)", (nationalId) => {
      expect(validateNationalId({ ...base, nationalId })).toEqual({
        ok: false,
        error: "NATIONAL_ID_FORMAT",
      });
    });

    it("accepts surrounding whitespace and spaces between groups (near misses)", () => {
      for (const nationalId of ["  064090001234\n", "064 090 001 234", " 0640  9000 1234 "]) {
        expect(validateNationalId({ ...base, nationalId })).toEqual({
          ok: true,
          value: "064090001234",
        });
      }
    });
  });

  describe("BIRTH_DATE_INVALID", () => {
    it.each([
      ["064201001234", "2001-02-30"],
      ["064201001234", "2001-02-29"], // 2001 not a leap year
      ["064000001234", "1900-02-29"], // 1900 not a leap year (century rule)
      ["064099001234", "1899-12-31"], // before 1900
      ["064090001234", "1990-13-01"],
      ["064090001234", "1990-04-31"],
      ["064090001234", "1990-00-10"],
      ["064090001234", "1990-05-00"],
      ["064090001234", "1990-5-17"],
      ["064090001234", "1990/05/17"],
      ["064090001234", "17-05-1990"],
      ["064090001234", ""],
    ])("%s with %j", (nationalId, birthDate) => {
      expect(validateNationalId({ nationalId, birthDate, gender: "male" })).toEqual({
        ok: false,
        error: "BIRTH_DATE_INVALID",
      });
    });

    it.each([
      ["064200001234", "2000-02-29"], // 2000 is a leap year (400 rule)
      ["064204001234", "2004-02-29"],
      ["064000001234", "1900-01-01"],
      ["064201001234", "2001-02-28"],
    ])("near miss: %s with %s is valid", (nationalId, birthDate) => {
      expect(validateNationalId({ nationalId, birthDate, gender: "male" }).ok).toBe(true);
    });
  });

  describe("NATIONAL_ID_PROVINCE", () => {
    it.each(["000090001234", "003090001234", "063090001234", "097090001234", "999090001234"])(
      "rejects %s",
      (nationalId) => {
        expect(
          validateNationalId({ nationalId, birthDate: "1990-05-17", gender: "male" }),
        ).toEqual({ ok: false, error: "NATIONAL_ID_PROVINCE" });
      },
    );

    it.each(["001090001234", "062090001234", "096090001234"])(
      "near miss: accepts %s",
      (nationalId) => {
        expect(
          validateNationalId({ nationalId, birthDate: "1990-05-17", gender: "male" }).ok,
        ).toBe(true);
      },
    );
  });

  describe("NATIONAL_ID_GENDER_CENTURY", () => {
    it.each([
      ["064190001234", "1990-05-17", "male"], // female digit for a male
      ["064090001234", "1990-05-17", "female"], // male digit for a female
      ["064290001234", "1990-05-17", "male"], // 21st-century digit for 1990
      ["064005001234", "2005-11-02", "male"], // 20th-century digit for 2005
      ["064305001234", "2005-11-02", "male"],
      ["064205001234", "2005-11-02", "female"],
      ["064905001234", "2005-11-02", "female"],
    ] as const)("%s (%s, %s)", (nationalId, birthDate, gender) => {
      expect(validateNationalId({ nationalId, birthDate, gender })).toEqual({
        ok: false,
        error: "NATIONAL_ID_GENDER_CENTURY",
      });
    });

    it("switches century between 1999-12-31 and 2000-01-01", () => {
      const check = (nationalId: string, birthDate: string) =>
        validateNationalId({ nationalId, birthDate, gender: "male" });
      expect(check("064099001234", "1999-12-31")).toEqual({ ok: true, value: "064099001234" });
      expect(check("064299001234", "1999-12-31")).toEqual({
        ok: false,
        error: "NATIONAL_ID_GENDER_CENTURY",
      });
      expect(check("064200001234", "2000-01-01")).toEqual({ ok: true, value: "064200001234" });
      // Year digits "00" match, but digit 0 would mean 1900.
      expect(check("064000001234", "2000-01-01")).toEqual({
        ok: false,
        error: "NATIONAL_ID_GENDER_CENTURY",
      });
    });

    it("female century boundary: 1 for 1999, 3 for 2000", () => {
      expect(
        validateNationalId({ nationalId: "064199001234", birthDate: "1999-12-31", gender: "female" }).ok,
      ).toBe(true);
      expect(
        validateNationalId({ nationalId: "064300001234", birthDate: "2000-01-01", gender: "female" }).ok,
      ).toBe(true);
      expect(
        validateNationalId({ nationalId: "064100001234", birthDate: "2000-01-01", gender: "female" }),
      ).toEqual({ ok: false, error: "NATIONAL_ID_GENDER_CENTURY" });
    });

    it("rejects birth years the scheme cannot encode (2400+)", () => {
      expect(
        validateNationalId({ nationalId: "064900001234", birthDate: "2400-01-01", gender: "male" }),
      ).toEqual({ ok: false, error: "NATIONAL_ID_GENDER_CENTURY" });
    });
  });

  describe("NATIONAL_ID_BIRTH_YEAR", () => {
    it.each([
      ["064091001234", "1990-05-17", "male"],
      ["064089001234", "1990-05-17", "male"],
      ["064250001234", "2005-11-02", "male"], // digits swapped
      ["052350001234", "2005-11-02", "female"],
      ["064201001234", "2000-01-01", "male"],
    ] as const)("%s (%s, %s)", (nationalId, birthDate, gender) => {
      expect(validateNationalId({ nationalId, birthDate, gender })).toEqual({
        ok: false,
        error: "NATIONAL_ID_BIRTH_YEAR",
      });
    });

    it("near miss: zero-padded year digits match (2005 → 05)", () => {
      expect(
        validateNationalId({ nationalId: "064205999999", birthDate: "2005-12-31", gender: "male" }),
      ).toEqual({ ok: true, value: "064205999999" });
    });
  });

  describe("check order", () => {
    it("format before birth date", () => {
      expect(
        validateNationalId({ nationalId: "12345", birthDate: "2001-02-30", gender: "male" }),
      ).toEqual({ ok: false, error: "NATIONAL_ID_FORMAT" });
    });

    it("birth date before province", () => {
      expect(
        validateNationalId({ nationalId: "003090001234", birthDate: "1990-02-30", gender: "male" }),
      ).toEqual({ ok: false, error: "BIRTH_DATE_INVALID" });
    });

    it("province before gender/century", () => {
      expect(
        validateNationalId({ nationalId: "003990001234", birthDate: "1990-05-17", gender: "male" }),
      ).toEqual({ ok: false, error: "NATIONAL_ID_PROVINCE" });
    });

    it("gender/century before birth year", () => {
      expect(
        validateNationalId({ nationalId: "064191001234", birthDate: "1990-05-17", gender: "male" }),
      ).toEqual({ ok: false, error: "NATIONAL_ID_GENDER_CENTURY" });
    });
  });
});

describe("validateBirthDate", () => {
  const today = "2026-05-15";

  it("accepts a past date and returns it", () => {
    expect(validateBirthDate("1990-05-17", today)).toEqual({ ok: true, value: "1990-05-17" });
  });

  it("accepts today itself, rejects tomorrow", () => {
    expect(validateBirthDate("2026-05-15", today)).toEqual({ ok: true, value: "2026-05-15" });
    expect(validateBirthDate("2026-05-16", today)).toEqual({
      ok: false,
      error: "BIRTH_DATE_FUTURE",
    });
    expect(validateBirthDate("2027-01-01", today)).toEqual({
      ok: false,
      error: "BIRTH_DATE_FUTURE",
    });
  });

  it.each(["2001-02-30", "2023-02-29", "1900-02-29", "2001-04-31", "2001-1-01", "abc", ""])(
    "rejects %j as invalid",
    (birthDate) => {
      expect(validateBirthDate(birthDate, today)).toEqual({
        ok: false,
        error: "BIRTH_DATE_INVALID",
      });
    },
  );

  it("accepts leap days in leap years", () => {
    expect(validateBirthDate("2024-02-29", today).ok).toBe(true);
    expect(validateBirthDate("2000-02-29", today).ok).toBe(true);
  });

  it("reports invalid before future", () => {
    expect(validateBirthDate("2099-02-30", today)).toEqual({
      ok: false,
      error: "BIRTH_DATE_INVALID",
    });
  });

  it("reports future before too young", () => {
    expect(validateBirthDate("2030-01-01", today, 18)).toEqual({
      ok: false,
      error: "BIRTH_DATE_FUTURE",
    });
  });

  describe("minAge", () => {
    it("reaches the age exactly on the birthday", () => {
      expect(validateBirthDate("2008-05-15", today, 18)).toEqual({
        ok: true,
        value: "2008-05-15",
      });
      expect(validateBirthDate("2008-05-16", today, 18)).toEqual({
        ok: false,
        error: "TOO_YOUNG",
      });
      expect(validateBirthDate("2008-05-14", today, 18).ok).toBe(true);
    });

    it("works across the year end", () => {
      expect(validateBirthDate("2008-12-31", "2026-12-30", 18)).toEqual({
        ok: false,
        error: "TOO_YOUNG",
      });
      expect(validateBirthDate("2008-12-31", "2026-12-31", 18).ok).toBe(true);
    });

    it("29 Feb birthday reaches the age on 1 Mar in non-leap years", () => {
      expect(validateBirthDate("2008-02-29", "2026-02-28", 18)).toEqual({
        ok: false,
        error: "TOO_YOUNG",
      });
      expect(validateBirthDate("2008-02-29", "2026-03-01", 18)).toEqual({
        ok: true,
        value: "2008-02-29",
      });
    });

    it("29 Feb birthday reaches the age on 29 Feb in leap years", () => {
      expect(validateBirthDate("2004-02-29", "2024-02-28", 20)).toEqual({
        ok: false,
        error: "TOO_YOUNG",
      });
      expect(validateBirthDate("2004-02-29", "2024-02-29", 20).ok).toBe(true);
    });

    it("minAge 0 only requires a non-future date", () => {
      expect(validateBirthDate("2026-05-15", today, 0).ok).toBe(true);
    });
  });

  it("throws on programming errors (bad today / minAge)", () => {
    expect(() => validateBirthDate("1990-01-01", "2026-02-30")).toThrow(RangeError);
    expect(() => validateBirthDate("1990-01-01", today, -1)).toThrow(RangeError);
    expect(() => validateBirthDate("1990-01-01", today, 1.5)).toThrow(RangeError);
  });
});

describe("normalizePhone", () => {
  it.each([
    "0912345678",
    "0912 345 678",
    "091.234.5678",
    "0912-345-678",
    "+84912345678",
    "84912345678",
    "+84 912 345 678",
    "(+84) 912-345-678",
    "  0912345678  ",
    "+84 0912 345 678", // stray trunk 0 after the country code
  ])("normalises %j to 0912345678", (input) => {
    expect(normalizePhone(input)).toEqual({ ok: true, value: "0912345678" });
  });

  it.each([
    ["", "empty"],
    ["091234567", "9 digits"],
    ["09123456789", "11 digits"],
    ["01212345678", "old 11-digit 01xx"],
    ["0121 234 5678", "old 11-digit 01xx with spaces"],
    ["+841212345678", "old 01xx in international form"],
    ["912345678", "missing trunk 0"],
    ["8491234567", "84 + 8 digits"],
    ["+8491234567", "+84 + 8 digits"],
    ["+849123456789", "+84 + 10 digits"],
    ["0912abc678", "letters"],
    ["0912_345_678", "underscore"],
    ["++84912345678", "double plus"],
    ["0912+345678", "plus inside"],
    ["+1 912 345 678", "foreign country code"],
    ["+84", "country code only"],
  ])("rejects %j (%s) with PHONE_FORMAT", (input) => {
    expect(normalizePhone(input)).toEqual({ ok: false, error: "PHONE_FORMAT" });
  });

  it.each([
    ["0269382212", "landline area code 0269, 10 digits"],
    ["0951234567", "095"],
    ["0801234567", "080"],
    ["0400000000", "040"],
    ["+84 95 123 4567", "095 international"],
  ])("rejects %j (%s) with PHONE_PREFIX", (input) => {
    expect(normalizePhone(input)).toEqual({ ok: false, error: "PHONE_PREFIX" });
  });

  it("a real 11-digit landline (0269 382 2123) is PHONE_FORMAT", () => {
    expect(normalizePhone("0269 382 2123")).toEqual({ ok: false, error: "PHONE_FORMAT" });
  });

  it.each([
    ["031", false],
    ["032", true],
    ["039", true],
    ["040", false],
    ["051", false],
    ["052", true],
    ["053", false],
    ["054", false],
    ["055", true], // Reddi
    ["056", true],
    ["057", false],
    ["058", true],
    ["059", true],
    ["060", false],
    ["069", false],
    ["070", true],
    ["071", false],
    ["075", false],
    ["076", true],
    ["079", true],
    ["080", false],
    ["081", true],
    ["087", true], // Itelecom
    ["089", true],
    ["090", true],
    ["094", true],
    ["095", false],
    ["096", true],
    ["099", true],
    ["000", false],
    ["010", false],
    ["020", false],
  ] as const)("prefix %s valid=%s", (prefix, valid) => {
    const phone = `${prefix}1234567`;
    expect(normalizePhone(phone)).toEqual(
      valid ? { ok: true, value: phone } : { ok: false, error: "PHONE_PREFIX" },
    );
  });

  it("accepts exactly the 36 mobile prefixes of the 2018 plan", () => {
    const expected = [
      32, 33, 34, 35, 36, 37, 38, 39, 52, 55, 56, 58, 59, 70, 76, 77, 78, 79, 81, 82, 83, 84, 85,
      86, 87, 88, 89, 90, 91, 92, 93, 94, 96, 97, 98, 99,
    ].map((n) => String(n));
    const accepted: string[] = [];
    for (let n = 0; n < 100; n++) {
      const two = String(n).padStart(2, "0");
      if (normalizePhone(`0${two}1234567`).ok) accepted.push(two);
    }
    expect(accepted).toEqual(expected);
  });

  it("international form of a 084 number is not confused with the bare 84 country code", () => {
    expect(normalizePhone("0841234567")).toEqual({ ok: true, value: "0841234567" });
    expect(normalizePhone("+84841234567")).toEqual({ ok: true, value: "0841234567" });
    expect(normalizePhone("84841234567")).toEqual({ ok: true, value: "0841234567" });
  });
});

describe("maskNationalId", () => {
  it("shows only the last 3 digits", () => {
    expect(maskNationalId("064090001123")).toBe("*********123");
    expect(maskNationalId(" 064 090 001 123 ")).toBe("*********123");
  });

  it("masks everything when too short to hide anything", () => {
    expect(maskNationalId("123")).toBe("***");
    expect(maskNationalId("")).toBe("");
  });
});

describe("maskPhone", () => {
  it("shows the first 3 and last 3 digits", () => {
    expect(maskPhone("0912345678")).toBe("091****678");
  });

  it("normalises accepted forms before masking", () => {
    expect(maskPhone("+84 912 345 678")).toBe("091****678");
    expect(maskPhone("(+84) 912-345-678")).toBe("091****678");
  });

  it("masks everything when too short to hide anything", () => {
    expect(maskPhone("123456")).toBe("******");
    expect(maskPhone("1234567")).toBe("123*567");
  });
});
