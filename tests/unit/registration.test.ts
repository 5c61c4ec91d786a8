import { describe, expect, it } from "vitest";
import { classifyIdentifier, loginSchema, validateRegistration } from "../../app/domain/registration";
import { vi } from "../../app/i18n/vi";

const TODAY = "2025-11-01";
const valid = {
  fullName: "  Nguyễn   Thị Hồng  ",
  nationalId: "064190001234", // Gia Lai, female born 1990
  phone: "+84 912 345 678",
  email: "",
  birthDate: "1990-05-17",
  gender: "female",
  communeCode: "21583",
  group: "citizen",
  workplace: "",
  password: "mat-khau-du-dai",
};

const errorsOf = (input: Record<string, unknown>) => {
  const r = validateRegistration(input, TODAY);
  return r.ok ? {} : r.fields;
};
const parse = (input: Record<string, unknown>) => {
  const r = validateRegistration(input, TODAY);
  if (!r.ok) throw new Error(JSON.stringify(r.fields));
  return r.value;
};

describe("registration rules", () => {
  it("accepts a consistent registration and normalises it", () => {
    const r = parse(valid);
    expect(r).toMatchObject({
      fullName: "Nguyễn Thị Hồng",
      nationalId: "064190001234",
      phone: "0912345678",
      birthDate: "1990-05-17",
      gender: "female",
      group: "citizen",
    });
    expect(r.email).toBeUndefined();
    expect(r.workplace).toBeUndefined();
    expect("passwordConfirm" in r).toBe(false);
  });

  it("normalises a name typed in decomposed Unicode (NFD) to NFC", () => {
    const r = parse({ ...valid, fullName: "Trần Văn Ơn".normalize("NFD") });
    expect(r.fullName).toBe("Trần Văn Ơn".normalize("NFC"));
  });

  it("explains in Vietnamese when the CCCD does not match the gender and birth year", () => {
    expect(errorsOf({ ...valid, gender: "male" }).nationalId).toBe(vi.errors.NATIONAL_ID_GENDER_CENTURY);
    expect(errorsOf({ ...valid, birthDate: "1991-05-17" }).nationalId).toBe(vi.errors.NATIONAL_ID_BIRTH_YEAR);
    expect(errorsOf({ ...valid, nationalId: "999190001234" }).nationalId).toBe(vi.errors.NATIONAL_ID_PROVINCE);
    expect(errorsOf({ ...valid, nationalId: "06419000123" }).nationalId).toBe(vi.errors.NATIONAL_ID_FORMAT);
  });

  it("reports every field's error in one answer", () => {
    const e = errorsOf({ ...valid, fullName: "", phone: "0269382212", password: "short", passwordConfirm: "other", birthDate: "2030-01-01", group: "x" });
    expect(e).toEqual({
      fullName: vi.errors.required,
      phone: vi.errors.PHONE_PREFIX,
      password: vi.errors.password,
      passwordConfirm: vi.errors.passwordConfirm,
      birthDate: vi.errors.BIRTH_DATE_FUTURE,
      group: vi.errors.group,
    });
    // Empty or missing required fields say so, rather than describing a format.
    expect(errorsOf({ ...valid, nationalId: " ", phone: "" })).toEqual({ nationalId: vi.errors.required, phone: vi.errors.required });
    expect(errorsOf({}).nationalId).toBe(vi.errors.required);
    expect(validateRegistration(null, TODAY).ok).toBe(false);
  });

  it("compares the CCCD with gender and birth year only once each is valid on its own", () => {
    expect(errorsOf({ ...valid, gender: "male", phone: "12" })).toEqual({
      nationalId: vi.errors.NATIONAL_ID_GENDER_CENTURY,
      phone: vi.errors.PHONE_FORMAT,
    });
    expect(errorsOf({ ...valid, gender: "x" })).toEqual({ gender: vi.errors.gender });
  });

  it("rejects names with digits or markup, missing fields and wrong types", () => {
    expect(errorsOf({ ...valid, fullName: "<b>Admin</b>" }).fullName).toBe(vi.errors.fullName);
    expect(errorsOf({ ...valid, fullName: "Nguyễn 2" }).fullName).toBe(vi.errors.fullName);
    const { communeCode: _c, ...noCommune } = valid;
    expect(errorsOf(noCommune).communeCode).toBe(vi.errors.commune);
    expect(errorsOf({ ...valid, group: "alien" }).group).toBe(vi.errors.group);
    expect(errorsOf({ ...valid, nationalId: 64190001234 }).nationalId).toBe(vi.errors.NATIONAL_ID_FORMAT);
    expect(errorsOf({ ...valid, email: "not-an-email" }).email).toBe(vi.errors.email);
  });

  it("requires contestants to be at least 6", () => {
    expect(errorsOf({ ...valid, nationalId: "064320001234", gender: "female", birthDate: "2020-11-02" }).birthDate).toBe(
      vi.errors.TOO_YOUNG,
    );
    expect(errorsOf({ ...valid, nationalId: "064319001234", gender: "female", birthDate: "2019-11-01" })).toEqual({});
  });
});

describe("login identifiers", () => {
  it("tells an e-mail, a CCCD and a phone number apart", () => {
    expect(classifyIdentifier(" BanToChuc@Demo.Local ")).toEqual({ kind: "email", value: "bantochuc@demo.local" });
    expect(classifyIdentifier("064 190 001 234")).toEqual({ kind: "nationalId", value: "064190001234" });
    expect(classifyIdentifier("+84 912 345 678")).toEqual({ kind: "phone", value: "0912345678" });
    expect(classifyIdentifier("hello")).toBeNull();
  });

  it("requires both fields", () => {
    expect(loginSchema.safeParse({ identifier: " ", password: "x" }).success).toBe(false);
    expect(loginSchema.safeParse({ identifier: "0912345678" }).success).toBe(false);
  });
});
