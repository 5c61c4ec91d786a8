// Commune reference data: parsing the official list, Vietnamese ordering, diacritic-free search.
export type CommuneType = "xa" | "phuong" | "dac_khu";

export interface CommuneRecord {
  code: string;
  name: string;
  type: CommuneType;
  population: number;
  populationSource: string;
  areaKm2: number;
  oldDistricts: string;
  sortOrder: number;
}

const TYPES: readonly CommuneType[] = ["xa", "phuong", "dac_khu"];

/** Turns rows of gialai-communes.csv (as objects keyed by header) into records; throws on a bad row. */
export function communesFromRows(rows: Record<string, string>[]): CommuneRecord[] {
  const seen = new Set<string>();
  return rows.map((row, i) => {
    const line = i + 2; // header is line 1
    const code = (row.code ?? "").trim();
    const type = (row.type ?? "").trim() as CommuneType;
    const population = Number(row.population);
    const areaKm2 = Number(row.area_km2);
    if (!/^\d{5}$/.test(code)) throw new Error(`communes line ${line}: code "${code}" is not 5 digits`);
    if (seen.has(code)) throw new Error(`communes line ${line}: duplicate code ${code}`);
    if (!TYPES.includes(type)) throw new Error(`communes line ${line}: unknown type "${type}"`);
    if (!Number.isInteger(population) || population <= 0) throw new Error(`communes line ${line}: bad population`);
    if (!Number.isFinite(areaKm2) || areaKm2 <= 0) throw new Error(`communes line ${line}: bad area`);
    const name = (row.name ?? "").trim().normalize("NFC");
    if (!name) throw new Error(`communes line ${line}: empty name`);
    seen.add(code);
    return {
      code,
      name,
      type,
      population,
      populationSource: (row.population_source ?? "").trim(),
      areaKm2,
      oldDistricts: (row.old_districts ?? "").trim(),
      sortOrder: i + 1,
    };
  });
}

const collator = new Intl.Collator("vi", { sensitivity: "base", numeric: true });

/** Vietnamese alphabetical order (Â after A, Đ after D…), not code-point order. */
export function sortByVietnameseName<T extends { name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => collator.compare(a.name, b.name));
}

/** Lower-case, without tone marks or the đ stroke, for forgiving search ("quy nhon" finds "Quy Nhơn"). */
export function foldVietnamese(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

export function matchesCommune(c: { name: string }, query: string): boolean {
  const q = foldVietnamese(query);
  return q === "" || foldVietnamese(c.name).includes(q);
}

export function communeTypePrefix(type: CommuneType): string {
  return type === "phuong" ? "Phường" : type === "dac_khu" ? "Đặc khu" : "Xã";
}

/** "Xã Ia Grai", "Phường Quy Nhơn". */
export function communeFullName(c: { name: string; type: CommuneType | string }): string {
  return `${communeTypePrefix(c.type as CommuneType)} ${c.name}`;
}
