import { describe, expect, it } from "vitest";
import { errorForLog, redactText } from "~/utils/redact";

const person = {
  fullName: "Nguyễn Văn Bí Mật",
  nationalId: "064090123456",
  phone: "0912345678",
  email: "bimat@example.vn",
  birthDate: "1990-05-12",
  passwordHash: "scrypt$32768$8$1$c2FsdA==$a2V5",
};
const secrets = Object.values(person);

/** What Prisma 7 prints for a failed create (its real shape, captured from the client). */
const prismaValidationMessage = `
Invalid \`db().user.create()\` invocation in
/srv/app/build/server/index.js:120:23

  117 export async function createContestant(r) {
→ 120   const user = await db().user.create({
      data: {
        fullName: "${person.fullName}",
        phone: "${person.phone}",
        nationalId: "${person.nationalId}",
        birthDate: "${person.birthDate}",
        passwordHash: "${person.passwordHash}",
        role: 5
              ~
      }
    })

Argument \`role\`: Invalid value provided. Expected String, provided Int.`;

describe("redactText", () => {
  it("removes values of personal fields, in object, JSON and key=value spellings", () => {
    for (const text of [
      `{ fullName: "${person.fullName}", phone: "${person.phone}" }`,
      JSON.stringify(person),
      `fullName='${person.fullName}' birthDate=${person.birthDate} email=${person.email}`,
    ]) {
      const out = redactText(text);
      for (const s of secrets) expect(out).not.toContain(s);
      expect(out).toContain("[redacted]");
    }
  });

  it("removes CCCD, phones in every usual spelling, e-mails, birth dates and password hashes in free text", () => {
    const text = [
      `Key (nationalId)=(${person.nationalId}) already exists.`,
      "gọi 0912 345 678 hoặc +84 912.345.678 hoặc 84912345678",
      `liên hệ ${person.email}`,
      `sinh ngày ${person.birthDate}`,
      `hash ${person.passwordHash}`,
    ].join("\n");
    const out = redactText(text);
    expect(out).toBe(
      ["Key (nationalId)=([cccd]) already exists.", "gọi [phone] hoặc [phone] hoặc [phone]", "liên hệ [email]", "sinh ngày [date]", "hash [hash]"].join("\n"),
    );
  });

  it("keeps what a log needs: instants, ids, counts, paths, short numbers", () => {
    const text = "attempt cl9x2k0v80000qz8h1234abcd closed at 2025-10-20T03:15:00.000Z after 1200000 ms; GET /rounds/abc/leaderboard 200; port 3000";
    expect(redactText(text)).toBe(text);
  });
});

describe("errorForLog", () => {
  it("drops Prisma's echo of the call arguments, keeping the name, the code and the reason", () => {
    const e = Object.assign(new Error(prismaValidationMessage), { name: "PrismaClientValidationError" });
    const out = errorForLog(e);
    for (const s of secrets) expect(out).not.toContain(s);
    expect(out.split("\n")[0]).toBe("PrismaClientValidationError: Argument `role`: Invalid value provided. Expected String, provided Int.");
    expect(out).toMatch(/\n\s+at /); // the stack frames stay
  });

  it("keeps a Prisma known error's code and redacts a PostgreSQL detail", () => {
    const e = Object.assign(new Error(`Unique constraint failed. Key (phone)=(${person.phone}) already exists.`), {
      name: "PrismaClientKnownRequestError",
      code: "P2002",
    });
    const out = errorForLog(e);
    expect(out).toMatch(/^PrismaClientKnownRequestError P2002: Unique constraint failed\. Key \(phone\)=\(\[phone\]\) already exists\./);
    expect(out).not.toContain(person.phone);
  });

  it("handles plain errors and non-errors", () => {
    expect(errorForLog(new TypeError(`bad input ${person.email}`)).split("\n")[0]).toBe("TypeError: bad input [email]");
    expect(errorForLog({ phone: person.phone })).toBe('{"phone":"[redacted]"}');
    expect(errorForLog("plain 064090123456")).toBe("plain [cccd]");
  });
});
