import { describe, expect, it } from "vitest";
import { foldVietnamese } from "~/domain/communes";
import * as communesApi from "~/routes/api.v1.communes";
import { readCommunesCsv, syncCommunes } from "~/models/commune.server";
import { db } from "~/utils/db.server";
import { args, req } from "./helpers";

describe("GET /api/v1/communes", () => {
  it("serves the 135 units with code, name and type only, in Vietnamese order", async () => {
    const res = await communesApi.loader();
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/application\/json/);
    const list = (await res.json()) as { code: string; name: string; type: string }[];
    expect(list).toHaveLength(135);
    expect(Object.keys(list[0]).sort()).toEqual(["code", "name", "type"]);
    expect(list.filter((c) => c.type === "phuong")).toHaveLength(25);
    expect(list.find((c) => c.code === "21583")).toEqual({ code: "21583", name: "Quy Nhơn", type: "phuong" });
    const collator = new Intl.Collator("vi", { sensitivity: "base", numeric: true });
    for (let i = 1; i < list.length; i++) expect(collator.compare(list[i - 1].name, list[i].name)).toBeLessThanOrEqual(0);
    // All names starting with Đ come after the D names, as in a Vietnamese dictionary.
    const firstD = list.findIndex((c) => foldVietnamese(c.name).startsWith("d") && !c.name.startsWith("Đ"));
    const firstDd = list.findIndex((c) => c.name.startsWith("Đ"));
    if (firstD >= 0 && firstDd >= 0) expect(firstDd).toBeGreaterThan(firstD);
  });

  it("refuses writes with the API's error shape", async () => {
    const res = await communesApi.action();
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ error: { code: "METHOD_NOT_ALLOWED" } });
  });
});

describe("loading the commune list", () => {
  it("is idempotent: a second run changes nothing and duplicates nothing", async () => {
    expect(await syncCommunes()).toBe(0);
    expect(await db().commune.count()).toBe(135);
  });

  it("repairs a unit whose stored data drifted from the official file", async () => {
    const quyNhon = readCommunesCsv().find((c) => c.code === "21583")!;
    await db().commune.update({ where: { code: "21583" }, data: { name: "Quy Nhon (sai)" } });
    expect(await syncCommunes()).toBe(1);
    expect((await db().commune.findUnique({ where: { code: "21583" } }))?.name).toBe(quyNhon.name);
  });
});
