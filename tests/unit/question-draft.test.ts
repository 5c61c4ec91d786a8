import { describe, expect, it } from "vitest";
import { checkDraft, type DraftInput } from "../../app/domain/question-import/draft";

const valid: DraftInput = {
  topic: "Cải cách thủ tục hành chính",
  text: "Cơ quan nào chủ trì tổ chức Cuộc thi?",
  options: ["Sở Nội vụ", "Văn phòng UBND tỉnh", "Sở Tư pháp", ""],
  correct: "B",
  explanation: "Theo Kế hoạch số 27/KH-UBND ngày 07/8/2025.",
  difficulty: "",
  source: "Kế hoạch 27/KH-UBND",
};

function errorsOf(input: Partial<DraftInput>) {
  const r = checkDraft({ ...valid, ...input });
  if (r.ok) throw new Error("expected errors");
  return r.errors;
}

describe("checkDraft: a valid question", () => {
  it("cleans every text, drops trailing empty options and defaults difficulty to medium", () => {
    const r = checkDraft({ ...valid, topic: "  Cải cách   thủ tục hành chính\u00a0", options: ["Sở Nội vụ ", " Văn phòng UBND tỉnh", "Sở Tư pháp", "", "  "] });
    expect(r).toEqual({
      ok: true,
      question: {
        topic: "Cải cách thủ tục hành chính",
        text: "Cơ quan nào chủ trì tổ chức Cuộc thi?",
        options: ["Sở Nội vụ", "Văn phòng UBND tỉnh", "Sở Tư pháp"],
        correct: 1,
        explanation: "Theo Kế hoạch số 27/KH-UBND ngày 07/8/2025.",
        difficulty: "medium",
        source: "Kế hoạch 27/KH-UBND",
      },
    });
  });

  it("turns NFD input into NFC", () => {
    const r = checkDraft({ ...valid, text: valid.text.normalize("NFD"), options: valid.options.map((o) => o.normalize("NFD")) });
    expect(r.ok && r.question.text).toBe("Cơ quan nào chủ trì tổ chức Cuộc thi?");
    expect(r.ok && r.question.text.length).toBe(valid.text.normalize("NFC").length);
    expect(r.ok && r.question.options[1]).toBe("Văn phòng UBND tỉnh");
  });

  it.each([
    ["b", 1],
    [" B ", 1],
    ["B.", 1],
    ["c)", 2],
    ["A", 0],
    [0, 0],
    [2, 2],
  ] as const)("accepts %j as the correct answer (index %i)", (correct, index) => {
    const r = checkDraft({ ...valid, correct });
    expect(r.ok && r.question.correct).toBe(index);
  });

  it("keeps numbers stored as text exactly as typed", () => {
    const r = checkDraft({ ...valid, options: ["2025", "07/8/2025", "0123"], correct: "a" });
    expect(r.ok && r.question.options).toEqual(["2025", "07/8/2025", "0123"]);
  });

  it.each([
    ["Dễ", "easy"],
    ["khó", "hard"],
    ["Trung bình", "medium"],
  ] as const)("reads difficulty %s as %s", (difficulty, expected) => {
    const r = checkDraft({ ...valid, difficulty });
    expect(r.ok && r.question.difficulty).toBe(expected);
  });
});

describe("checkDraft: errors, each with its column", () => {
  it("reports every missing required text at once", () => {
    expect(errorsOf({ topic: " ", text: "", explanation: "\u00a0" })).toEqual([
      { column: "Chủ đề", message: "thiếu Chủ đề" },
      { column: "Câu hỏi", message: "thiếu Câu hỏi" },
      { column: "Giải thích", message: "thiếu Giải thích" },
    ]);
  });

  it("reports texts over the limits with the column's Vietnamese name", () => {
    expect(
      errorsOf({ topic: "x".repeat(201), text: "x".repeat(2001), options: ["a", "b".repeat(501)], explanation: "x".repeat(4001), source: "x".repeat(501) }),
    ).toEqual([
      { column: "Chủ đề", message: "Chủ đề dài quá 200 ký tự" },
      { column: "Câu hỏi", message: "Câu hỏi dài quá 2000 ký tự" },
      { column: "Đáp án B", message: "Đáp án B dài quá 500 ký tự" },
      { column: "Giải thích", message: "Giải thích dài quá 4000 ký tự" },
      { column: "Căn cứ", message: "Căn cứ dài quá 500 ký tự" },
    ]);
  });

  it("reports an empty option followed by a filled one", () => {
    expect(errorsOf({ options: ["a", "", "c"], correct: "A" })).toEqual([
      { column: "Đáp án B", message: "Đáp án B bị bỏ trống trong khi đáp án sau nó có nội dung" },
    ]);
  });

  it("needs at least two and at most six options", () => {
    expect(errorsOf({ options: ["a"], correct: "A" })).toEqual([{ column: "Đáp án B", message: "cần ít nhất 2 đáp án" }]);
    expect(errorsOf({ options: ["a", "b", "c", "d", "e", "f", "g"], correct: 0 })).toEqual([
      { column: "Đáp án F", message: "nhiều nhất 6 đáp án" },
    ]);
  });

  it("reports options that are the same once tone marks, case and punctuation are ignored", () => {
    expect(errorsOf({ options: ["Hà Nội", "Huế", "ha noi."], correct: "B" })).toEqual([
      { column: "Đáp án C", message: "Đáp án A và Đáp án C trùng nội dung" },
    ]);
  });

  it("reports a missing, invalid or empty correct answer", () => {
    expect(errorsOf({ correct: "  " })).toEqual([{ column: "Đáp án đúng", message: "thiếu Đáp án đúng" }]);
    expect(errorsOf({ correct: "2" })).toEqual([
      { column: "Đáp án đúng", message: 'Đáp án đúng "2" không hợp lệ: phải là một chữ cái từ A đến F' },
    ]);
    expect(errorsOf({ correct: "G" })[0].message).toBe('Đáp án đúng "G" không hợp lệ: phải là một chữ cái từ A đến F');
    expect(errorsOf({ correct: "A, B" })[0].message).toBe('Đáp án đúng "A, B" không hợp lệ: phải là một chữ cái từ A đến F');
    expect(errorsOf({ correct: "d" })).toEqual([{ column: "Đáp án đúng", message: "Đáp án đúng là D nhưng Đáp án D bỏ trống" }]);
  });

  it("checks an index from the web editor the same way", () => {
    expect(errorsOf({ correct: 3 })).toEqual([{ column: "Đáp án đúng", message: "Đáp án đúng là D nhưng Đáp án D bỏ trống" }]);
    expect(errorsOf({ correct: 6 })[0].message).toBe('Đáp án đúng "6" không hợp lệ: phải là một chữ cái từ A đến F');
    expect(errorsOf({ correct: -1 })[0].column).toBe("Đáp án đúng");
  });

  it("reports an unknown difficulty", () => {
    expect(errorsOf({ difficulty: "rất khó" })).toEqual([
      { column: "Độ khó", message: 'Độ khó "rất khó" không hợp lệ: dùng Dễ, Trung bình hoặc Khó' },
    ]);
  });

  it("reports all errors of one row together", () => {
    expect(errorsOf({ topic: "", options: ["a", "a"], correct: "x", difficulty: "?" }).map((e) => e.column)).toEqual([
      "Chủ đề",
      "Đáp án B",
      "Đáp án đúng",
      "Độ khó",
    ]);
  });
});
