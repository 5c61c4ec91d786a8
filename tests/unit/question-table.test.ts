import { describe, expect, it } from "vitest";
import { MAX_IMPORT_QUESTIONS, parseQuestionTable } from "../../app/domain/question-import/table";
import { vi } from "../../app/i18n/vi";

const HEADER = ["Chủ đề", "Câu hỏi", "Đáp án A", "Đáp án B", "Đáp án C", "Đáp án D", "Đáp án đúng", "Giải thích", "Độ khó", "Căn cứ"];

const row = (n: number, over: Partial<Record<string, string>> = {}) => {
  const base: Record<string, string> = {
    "Chủ đề": "Cải cách thể chế",
    "Câu hỏi": `Câu hỏi số ${n} về cải cách hành chính?`,
    "Đáp án A": "Đúng",
    "Đáp án B": "Sai",
    "Đáp án C": "",
    "Đáp án D": "",
    "Đáp án đúng": "A",
    "Giải thích": "Vì quy định như vậy.",
    "Độ khó": "Dễ",
    "Căn cứ": "Nghị quyết 76/NQ-CP",
  };
  return HEADER.map((h) => over[h] ?? base[h]);
};

/** "Dòng 14: thiếu Đáp án đúng", as the preview page shows an error. */
const shown = (e: { row: number; message: string }) => `${vi.questionFile.rowPrefix(e.row)}: ${e.message}`;

describe("parseQuestionTable", () => {
  it("reads valid rows with their spreadsheet row numbers", () => {
    const r = parseQuestionTable([HEADER, row(1), row(2, { "Đáp án C": "Không rõ", "Đáp án đúng": "c", "Độ khó": "" })]);
    expect(r.errors).toEqual([]);
    expect(r.blankRows).toBe(0);
    expect(r.questions.map((q) => q.row)).toEqual([2, 3]);
    expect(r.questions[0].question).toEqual({
      topic: "Cải cách thể chế",
      text: "Câu hỏi số 1 về cải cách hành chính?",
      options: ["Đúng", "Sai"],
      correct: 0,
      explanation: "Vì quy định như vậy.",
      difficulty: "easy",
      source: "Nghị quyết 76/NQ-CP",
    });
    expect(r.questions[1].question).toMatchObject({ options: ["Đúng", "Sai", "Không rõ"], correct: 2, difficulty: "medium" });
  });

  it("matches headers without diacritics, in any case and order, ignoring unknown columns, with Nguồn for Căn cứ", () => {
    const header = ["STT", "dap an dung", "CÂU HỎI", "chu de", "Dap an A", " đáp  án b ", "Ghi chú", "GIAI THICH", "Nguồn"];
    const r = parseQuestionTable([header, ["1", " B.", "Hỏi gì?", "Chủ đề 1", "Có", "Không", "bỏ qua", "Giải thích", "Luật 2025"]]);
    expect(r.errors).toEqual([]);
    expect(r.questions[0].question).toEqual({
      topic: "Chủ đề 1",
      text: "Hỏi gì?",
      options: ["Có", "Không"],
      correct: 1,
      explanation: "Giải thích",
      difficulty: "medium",
      source: "Luật 2025",
    });
  });

  it("accepts an NFD header", () => {
    const r = parseQuestionTable([HEADER.map((h) => h.normalize("NFD")), row(1)]);
    expect(r.errors).toEqual([]);
    expect(r.questions).toHaveLength(1);
  });

  it("rejects a file missing required columns with one error and no questions", () => {
    const header = HEADER.filter((h) => h !== "Đáp án đúng" && h !== "Giải thích");
    const r = parseQuestionTable([header, header.map(() => "x")]);
    expect(r).toEqual({
      questions: [],
      errors: [{ row: 1, message: "Tệp thiếu cột bắt buộc: Đáp án đúng, Giải thích. Vui lòng dùng tệp mẫu." }],
      blankRows: 0,
    });
  });

  it("skips blank rows but keeps the spreadsheet numbering", () => {
    const r = parseQuestionTable([HEADER, row(1), ["", " ", "\u00a0"], [], row(2)]);
    expect(r.blankRows).toBe(2);
    expect(r.questions.map((q) => q.row)).toEqual([2, 5]);
  });

  it("reports row errors with row, column and message", () => {
    const rows = [HEADER, ...Array.from({ length: 12 }, (_, i) => row(i + 1)), row(13, { "Đáp án đúng": "" })];
    const r = parseQuestionTable(rows);
    expect(r.errors).toEqual([{ row: 14, column: "Đáp án đúng", message: "thiếu Đáp án đúng" }]);
    expect(shown(r.errors[0])).toBe("Dòng 14: thiếu Đáp án đúng");
    expect(r.questions).toHaveLength(12);
  });

  it("returns the errors of every row at once", () => {
    const r = parseQuestionTable([
      HEADER,
      row(1, { "Chủ đề": "", "Độ khó": "siêu khó" }),
      row(2),
      row(3, { "Đáp án B": "", "Đáp án C": "Có" }),
      row(4, { "Đáp án đúng": "D" }),
      row(5, { "Đáp án đúng": "1" }),
    ]);
    expect(r.errors).toEqual([
      { row: 2, column: "Chủ đề", message: "thiếu Chủ đề" },
      { row: 2, column: "Độ khó", message: 'Độ khó "siêu khó" không hợp lệ: dùng Dễ, Trung bình hoặc Khó' },
      { row: 4, column: "Đáp án B", message: "Đáp án B bị bỏ trống trong khi đáp án sau nó có nội dung" },
      { row: 5, column: "Đáp án đúng", message: "Đáp án đúng là D nhưng Đáp án D bỏ trống" },
      { row: 6, column: "Đáp án đúng", message: 'Đáp án đúng "1" không hợp lệ: phải là một chữ cái từ A đến F' },
    ]);
    expect(r.questions.map((q) => q.row)).toEqual([3]);
  });

  it("flags a stem repeated in the file on the later row, NFD against NFC included", () => {
    const stem = "Thủ tục hành chính là gì?";
    const r = parseQuestionTable([
      HEADER,
      row(1, { "Câu hỏi": stem }),
      row(2),
      row(3, { "Câu hỏi": `  ${stem.normalize("NFD").toUpperCase()}` }),
    ]);
    expect(r.errors).toEqual([{ row: 4, column: "Câu hỏi", message: "câu hỏi trùng với dòng 2 trong cùng tệp" }]);
    expect(r.questions.map((q) => q.row)).toEqual([2, 3]);
    expect(r.questions[0].question.text).toBe(stem.normalize("NFC"));
  });

  it("keeps cells that look like numbers or dates as typed", () => {
    const r = parseQuestionTable([HEADER, row(1, { "Đáp án A": "2025", "Đáp án B": "07/8/2025", "Đáp án C": "0,5" })]);
    expect(r.questions[0].question.options).toEqual(["2025", "07/8/2025", "0,5"]);
  });

  it(`limits a file to ${MAX_IMPORT_QUESTIONS} questions`, () => {
    expect(MAX_IMPORT_QUESTIONS).toBe(5000);
    const rows = (n: number) => [HEADER, ...Array.from({ length: n }, (_, i) => row(i + 1))];
    expect(parseQuestionTable(rows(5000)).errors).toEqual([]);
    const tooMany = parseQuestionTable([...rows(5001), [], []]);
    expect(tooMany.errors).toEqual([{ row: 1, message: "Tệp có hơn 5000 câu hỏi; vui lòng chia thành nhiều tệp." }]);
  });

  it("reports a file without questions", () => {
    const empty = { questions: [], errors: [{ row: 1, message: "Tệp không có câu hỏi nào." }], blankRows: 0 };
    expect(parseQuestionTable([])).toEqual(empty);
    expect(parseQuestionTable([HEADER]).errors).toEqual(empty.errors);
    expect(parseQuestionTable([HEADER, [""]]).errors).toEqual(empty.errors);
  });
});
