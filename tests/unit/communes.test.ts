import { parse } from "csv-parse/sync";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  communeFullName,
  communesFromRows,
  foldVietnamese,
  matchesCommune,
  sortByVietnameseName,
} from "../../app/domain/communes";

const csv = fs.readFileSync(path.resolve("prisma/data/gialai-communes.csv"));
const rows = parse(csv, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];

describe("the official commune list", () => {
  const communes = communesFromRows(rows);

  it("has the 135 units of Gia Lai: 110 xã and 25 phường, unique 5-digit codes", () => {
    expect(communes).toHaveLength(135);
    expect(communes.filter((c) => c.type === "xa")).toHaveLength(110);
    expect(communes.filter((c) => c.type === "phuong")).toHaveLength(25);
    expect(new Set(communes.map((c) => c.code)).size).toBe(135);
  });

  it("keeps the statistics office's code for xã Ia Mơ (23938, not the misprinted 23737)", () => {
    expect(communes.find((c) => c.name === "Ia Mơ")?.code).toBe("23938");
    expect(communes.some((c) => c.code === "23737")).toBe(false);
  });

  it("sums population to the published provincial total within the reconstruction margin", () => {
    const total = communes.reduce((s, c) => s + c.population, 0);
    expect(total).toBe(3_583_691);
  });

  it("stores names in NFC and keeps the official order", () => {
    expect(communes.every((c) => c.name === c.name.normalize("NFC"))).toBe(true);
    expect(communes[0]).toMatchObject({ code: "21583", name: "Quy Nhơn", type: "phuong", sortOrder: 1 });
  });

  it("rejects a malformed row, naming its line", () => {
    const bad = [{ ...rows[0] }, { ...rows[1], code: "123" }];
    expect(() => communesFromRows(bad)).toThrow(/line 3/);
    expect(() => communesFromRows([rows[0], rows[0]])).toThrow(/duplicate code/);
    expect(() => communesFromRows([{ ...rows[0], type: "huyen" }])).toThrow(/unknown type/);
  });
});

describe("Vietnamese ordering and search", () => {
  it("orders by the Vietnamese alphabet (Đ after D, Â after A), not by code points", () => {
    const sorted = sortByVietnameseName([{ name: "Đăk Pơ" }, { name: "Ân Hảo" }, { name: "Dak Rong" }, { name: "An Nhơn" }, { name: "Ea Kly" }]);
    expect(sorted.map((c) => c.name)).toEqual(["An Nhơn", "Ân Hảo", "Dak Rong", "Đăk Pơ", "Ea Kly"]);
    // Code-point order would put "Đ" (U+0110) after "E".
    expect(["Đăk Pơ", "Ea Kly"].sort()).toEqual(["Ea Kly", "Đăk Pơ"]);
  });

  it("folds tone marks and đ, in NFC and NFD alike", () => {
    expect(foldVietnamese("Phường Quy Nhơn Đông")).toBe("phuong quy nhon dong");
    expect(foldVietnamese("Quy Nhơn".normalize("NFD"))).toBe("quy nhon");
    expect(matchesCommune({ name: "Quy Nhơn Tây" }, "nhon tay")).toBe(true);
    expect(matchesCommune({ name: "Quy Nhơn Tây" }, "nhon dong")).toBe(false);
    expect(matchesCommune({ name: "Ia Grai" }, "  ")).toBe(true);
  });

  it("writes full names with the unit type", () => {
    expect(communeFullName({ name: "Quy Nhơn", type: "phuong" })).toBe("Phường Quy Nhơn");
    expect(communeFullName({ name: "Ia Grai", type: "xa" })).toBe("Xã Ia Grai");
  });
});
