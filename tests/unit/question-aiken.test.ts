import { describe, expect, it } from "vitest";
import { parseAiken } from "../../app/domain/question-import/aiken";
import { detectTextFormat } from "../../app/domain/question-import/detect";

const TOPIC = "Cải cách hành chính";

describe("parseAiken", () => {
  it("reads multi-line stems, A. and A) options, and the optional explanation and source lines", () => {
    const text = [
      "Theo Kế hoạch số 27/KH-UBND,",
      "cơ quan nào chủ trì tổ chức Cuộc thi?",
      "A. Sở Nội vụ",
      "B. Văn phòng UBND tỉnh",
      "C. Sở Tư pháp",
      "ANSWER: B",
      "GIẢI THÍCH: Văn phòng UBND tỉnh chủ trì.",
      "CĂN CỨ: Kế hoạch 27/KH-UBND",
      "Chính quyền địa phương có mấy cấp?",
      "A) Một",
      "B) Hai",
      "answer: b",
      "Explanation: Từ ngày 01/7/2025.",
      "",
      "",
      "Câu dễ?",
      "A. Có",
      "B. Không",
      "ANSWER: A",
      "Độ khó: Dễ",
      "Giải thích: Vì vậy.",
    ].join("\n");
    const r = parseAiken(text, ` ${TOPIC} `);
    expect(r.errors).toEqual([]);
    expect(r.questions).toEqual([
      {
        row: 1,
        question: {
          topic: TOPIC,
          text: "Theo Kế hoạch số 27/KH-UBND,\ncơ quan nào chủ trì tổ chức Cuộc thi?",
          options: ["Sở Nội vụ", "Văn phòng UBND tỉnh", "Sở Tư pháp"],
          correct: 1,
          explanation: "Văn phòng UBND tỉnh chủ trì.",
          difficulty: "medium",
          source: "Kế hoạch 27/KH-UBND",
        },
      },
      {
        row: 9,
        question: {
          topic: TOPIC,
          text: "Chính quyền địa phương có mấy cấp?",
          options: ["Một", "Hai"],
          correct: 1,
          explanation: "Từ ngày 01/7/2025.",
          difficulty: "medium",
          source: "",
        },
      },
      {
        row: 16,
        question: {
          topic: TOPIC,
          text: "Câu dễ?",
          options: ["Có", "Không"],
          correct: 0,
          explanation: "Vì vậy.",
          difficulty: "easy",
          source: "",
        },
      },
    ]);
  });

  it("reports a missing explanation through the draft checks", () => {
    const r = parseAiken("Câu hỏi?\nA. Có\nB. Không\nANSWER: A\n", TOPIC);
    expect(r.errors).toEqual([{ row: 1, column: "Giải thích", message: "thiếu Giải thích" }]);
  });

  it("reports a missing or invalid ANSWER at the line where the block starts", () => {
    const text = [
      "Câu 1?",
      "A. Có",
      "B. Không",
      "",
      "Câu 2?",
      "A. Có",
      "B. Không",
      "ANSWER: C",
      "GIẢI THÍCH: x",
      "",
      "Câu 3?",
      "A. Có",
      "B. Không",
      "ANSWER: Có",
      "GIẢI THÍCH: x",
      "Câu 4?",
      "A. Có",
      "B. Không",
      "ANSWER:",
      "GIẢI THÍCH: x",
    ].join("\n");
    expect(parseAiken(text, TOPIC).errors).toEqual([
      { row: 1, message: "thiếu dòng ANSWER: (ví dụ ANSWER: B)" },
      { row: 1, column: "Giải thích", message: "thiếu Giải thích" },
      { row: 5, message: 'dòng ANSWER: "C" không khớp với đáp án nào' },
      { row: 11, message: 'dòng ANSWER: "Có" không khớp với đáp án nào' },
      { row: 16, message: "thiếu dòng ANSWER: (ví dụ ANSWER: B)" },
    ]);
  });

  it("reports a block without options", () => {
    const r = parseAiken("Câu hỏi không có đáp án\nANSWER: A\n\nChỉ có chữ", TOPIC);
    expect(r.errors).toEqual([
      { row: 1, message: 'không có đáp án dạng "A. …"' },
      { row: 4, message: 'không có đáp án dạng "A. …"' },
      { row: 4, message: "thiếu dòng ANSWER: (ví dụ ANSWER: B)" },
    ]);
  });

  it("reports a skipped option letter as a gap", () => {
    const r = parseAiken("Câu?\nA. Một\nB. Hai\nD. Bốn\nANSWER: A\nGIẢI THÍCH: x", TOPIC);
    expect(r.errors).toEqual([{ row: 1, column: "Đáp án C", message: "Đáp án C bị bỏ trống trong khi đáp án sau nó có nội dung" }]);
  });

  it("joins a wrapped option line to its option", () => {
    const r = parseAiken("Câu?\nA. Một dòng\nrất dài\nB. Hai\nANSWER: A\nGIẢI THÍCH: x", TOPIC);
    expect(r.questions[0].question.options).toEqual(["Một dòng rất dài", "Hai"]);
  });

  it("cleans NFD text to NFC and detects an NFD duplicate", () => {
    const block = "Thủ tục hành chính là gì?\nA. Có\nB. Không\nANSWER: A\nGIẢI THÍCH: Vì vậy.\n";
    const r = parseAiken(`${block}\n${block.normalize("NFD")}`, TOPIC.normalize("NFD"));
    expect(r.questions).toHaveLength(1);
    expect(r.questions[0].question.topic).toBe(TOPIC.normalize("NFC"));
    expect(r.errors).toEqual([{ row: 7, column: "Câu hỏi", message: "câu hỏi trùng với dòng 1 trong cùng tệp" }]);
  });

  it("needs a topic for the whole file", () => {
    expect(parseAiken("Câu?\nA. Có\nB. Không\nANSWER: A", "  ")).toEqual({
      questions: [],
      errors: [{ row: 1, message: "Vui lòng nhập chủ đề cho các câu hỏi trong tệp (định dạng Aiken không có chủ đề)." }],
      blankRows: 0,
    });
  });

  it("handles CRLF and a BOM", () => {
    const r = parseAiken("\uFEFFCâu?\r\nA. Có\r\nB. Không\r\nANSWER: B\r\nGIẢI THÍCH: x\r\n", TOPIC);
    expect(r.errors).toEqual([]);
    expect(r.questions[0].question.correct).toBe(1);
  });
});

describe("detectTextFormat", () => {
  it.each([
    ["$CATEGORY: A\n\nCâu? {=a ~b}", "gift"],
    ["Câu?\n{\n~a\n=b\n}", "gift"],
    ["::Q1::Câu? {T}", "gift"],
    ["Câu?\nA. Có\nB. Không\nANSWER: B", "aiken"],
    ["Câu?\nA) Có\nB) Không\nanswer: a", "aiken"],
    ["Chủ đề,Câu hỏi,Đáp án A\nx,y,z", "csv"],
    ["Chủ đề;Câu hỏi;Đáp án đúng\nx;ANSWER: B;B", "csv"],
  ])("sees %j as %s", (text, format) => {
    expect(detectTextFormat(text)).toBe(format);
  });
});
