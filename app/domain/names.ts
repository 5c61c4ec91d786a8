// Public display of a contestant's name: the family name, then initials ("Nguyễn Văn An" →
// "Nguyễn V. A."), so people recognise themselves without anyone being identifiable.

/** "Nguyễn V. A.", "Hờ Thị H." (one-word names: "A."). */
export function maskName(fullName: string): string {
  const words = fullName.normalize("NFC").trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "";
  const initial = (w: string) => `${[...w][0].toLocaleUpperCase("vi")}.`;
  if (words.length === 1) return initial(words[0]);
  return [words[0], ...words.slice(1).map(initial)].join(" ");
}
