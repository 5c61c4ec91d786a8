import { parse } from "csv-parse/sync";
import fs from "node:fs";
import path from "node:path";
import { communesFromRows, sortByVietnameseName, type CommuneRecord, type CommuneType } from "~/domain/communes";
import { db } from "~/utils/db.server";

export const COMMUNES_CSV = path.resolve("prisma", "data", "gialai-communes.csv");

export function readCommunesCsv(file = COMMUNES_CSV): CommuneRecord[] {
  const rows = parse(fs.readFileSync(file), { columns: true, bom: true, skip_empty_lines: true, trim: true });
  return communesFromRows(rows as Record<string, string>[]);
}

/** Loads the official list; idempotent (upsert by code), so every start may run it. */
export async function syncCommunes(records = readCommunesCsv()): Promise<number> {
  const existing = new Map((await db().commune.findMany()).map((c) => [c.code, c]));
  const changed = records.filter((r) => {
    const e = existing.get(r.code);
    return !e || (Object.keys(r) as (keyof CommuneRecord)[]).some((k) => e[k] !== r[k]);
  });
  if (changed.length === 0) return 0;
  await db().$transaction(
    changed.map((r) => db().commune.upsert({ where: { code: r.code }, create: r, update: r })),
  );
  return changed.length;
}

export interface PublicCommune {
  code: string;
  name: string;
  type: CommuneType;
}

let cache: PublicCommune[] | undefined;

/** The 135 units in Vietnamese alphabetical order. Reference data: cached for the process. */
export async function listCommunes(): Promise<PublicCommune[]> {
  if (cache) return cache;
  const rows = await db().commune.findMany({ select: { code: true, name: true, type: true } });
  const sorted = sortByVietnameseName(rows.map((r) => ({ ...r, type: r.type as CommuneType })));
  if (sorted.length > 0) cache = sorted;
  return sorted;
}

export async function communeExists(code: string): Promise<boolean> {
  return (await listCommunes()).some((c) => c.code === code);
}
