// A write acknowledged to one request must never be undone by another request's rollback. On
// SQLite the whole process shares one connection, which makes this a real risk (see db.server.ts).
import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("one connection, many requests", () => {
  it("a plain write made while another request's transaction is open survives that transaction's rollback", async () => {
    const before = await db().commune.findUniqueOrThrow({ where: { code: "21601" } });
    let inside = false;
    const failing = db()
      .$transaction(async (tx) => {
        await tx.commune.update({ where: { code: "21589" }, data: { areaKm2: 1 } });
        inside = true;
        await sleep(150);
        throw new Error("rolled back on purpose");
      })
      .catch((e: Error) => e.message);
    while (!inside) await sleep(5);
    // Another "request" writes while the transaction is open.
    await db().commune.update({ where: { code: "21601" }, data: { areaKm2: before.areaKm2 + 1 } });
    expect(await failing).toBe("rolled back on purpose");
    expect((await db().commune.findUniqueOrThrow({ where: { code: "21601" } })).areaKm2).toBe(before.areaKm2 + 1);
    expect((await db().commune.findUniqueOrThrow({ where: { code: "21589" } })).areaKm2).not.toBe(1);
    await db().commune.update({ where: { code: "21601" }, data: { areaKm2: before.areaKm2 } });
  });

  it("reads outside a transaction never see its uncommitted writes", async () => {
    const before = await db().commune.findUniqueOrThrow({ where: { code: "21592" } });
    let inside = false;
    const tx = db().$transaction(async (t) => {
      await t.commune.update({ where: { code: "21592" }, data: { population: 1 } });
      inside = true;
      await sleep(100);
      throw new Error("no");
    }).catch(() => undefined);
    while (!inside) await sleep(5);
    const seen = await db().commune.findUniqueOrThrow({ where: { code: "21592" } });
    await tx;
    expect(seen.population).toBe(before.population);
  });
});
