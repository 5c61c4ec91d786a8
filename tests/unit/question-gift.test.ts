import { describe, expect, it } from "vitest";
import { parseGift, toGift } from "../../app/domain/question-import/gift";
import type { QuestionDraft } from "../../app/domain/questions";

const NOT_MC = "chỉ nhận câu hỏi trắc nghiệm có đúng một đáp án đúng (dạng {=đúng ~sai ~sai})";

const q = (over: Partial<QuestionDraft> = {}): QuestionDraft => ({
  topic: "Cải cách thể chế",
  text: "Câu hỏi?",
  options: ["Đúng", "Sai"],
  correct: 0,
  explanation: "Giải thích.",
  difficulty: "medium",
  source: "",
  ...over,
});

describe("parseGift", () => {
  it("reads categories, comments, titles, feedback and general feedback", () => {
    const text = [
      "// Ngân hàng câu hỏi xuất từ Moodle",
      "$CATEGORY: $course$/top/Cải cách thể chế",
      "",
      "",
      "::Q1:: Cơ quan nào chủ trì Cuộc thi? {",
      "  =Văn phòng UBND tỉnh#Đúng rồi",
      "  ~Sở Nội vụ#Chưa đúng",
      "  ~Sở Tư pháp",
      "  ####Theo Kế hoạch số 27/KH-UBND.",
      "}",
      "",
      "// question: 12  name: Q2",
      "Chính quyền địa phương có mấy cấp? {~Một =Hai ~Ba ####Từ ngày 01/7/2025.}",
      "",
      "$CATEGORY: $system$/Chính phủ số",
      "",
      "Cổng Dịch vụ công quốc gia có địa chỉ nào?",
      "{~dichvucong.gialai.gov.vn =dichvucong.gov.vn####Cổng quốc gia.}",
      "",
    ].join("\n");
    const r = parseGift(text);
    expect(r.errors).toEqual([]);
    expect(r.questions).toEqual([
      {
        row: 5,
        question: q({
          text: "Cơ quan nào chủ trì Cuộc thi?",
          options: ["Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Tư pháp"],
          correct: 0,
          explanation: "Theo Kế hoạch số 27/KH-UBND.",
        }),
      },
      {
        row: 13,
        question: q({ text: "Chính quyền địa phương có mấy cấp?", options: ["Một", "Hai", "Ba"], correct: 1, explanation: "Từ ngày 01/7/2025." }),
      },
      {
        row: 17,
        question: q({
          topic: "Chính phủ số",
          text: "Cổng Dịch vụ công quốc gia có địa chỉ nào?",
          options: ["dichvucong.gialai.gov.vn", "dichvucong.gov.vn"],
          correct: 1,
          explanation: "Cổng quốc gia.",
        }),
      },
    ]);
  });

  it("takes the last segment of a category path, with top/ and // (a literal slash) handled", () => {
    const topicOf = (cat: string) => parseGift(`$CATEGORY: ${cat}\n\nHỏi? {=a ~b ####c}`).questions[0]?.question.topic;
    expect(topicOf("top/Thủ tục hành chính")).toBe("Thủ tục hành chính");
    expect(topicOf("$course$/Cải cách/Tài chính công/")).toBe("Tài chính công");
    expect(topicOf("Tổ chức // biên chế")).toBe("Tổ chức / biên chế");
  });

  it("resolves escapes and \\n", () => {
    const r = parseGift(
      "$CATEGORY: Escapes\n\n::T\\:1::Phép tính 1 \\= 1 \\{đúng\\} \\#1 \\~ a\\: b?\\nDòng hai {=Có \\= và \\~ \\# \\{ \\} ~Không####Vì \\: vậy}",
    );
    expect(r.errors).toEqual([]);
    expect(r.questions[0].question).toMatchObject({
      text: "Phép tính 1 = 1 {đúng} #1 ~ a: b?\nDòng hai",
      options: ["Có = và ~ # { }", "Không"],
      explanation: "Vì : vậy",
    });
  });

  it("turns an answer block in mid-sentence into a blank", () => {
    const r = parseGift("$CATEGORY: A\n\nThủ phủ của tỉnh Gia Lai là {=Quy Nhơn ~Pleiku ####Sau sáp nhập.} sau năm 2025.");
    expect(r.questions[0].question.text).toBe("Thủ phủ của tỉnh Gia Lai là _____ sau năm 2025.");
  });

  it("strips format markers and HTML tags", () => {
    const r = parseGift("$CATEGORY: A\n\n::Q::[html]<p>Chọn <b>đúng</b> &amp; đủ</p>{=[html]<i>Có</i> ~Không ####<p>Vì&nbsp;vậy</p>}\n\n[markdown]Câu *hai*? {=x ~y ####z}");
    expect(r.errors).toEqual([]);
    expect(r.questions.map((x) => [x.question.text, x.question.options, x.question.explanation])).toEqual([
      ["Chọn đúng & đủ", ["Có", "Không"], "Vì vậy"],
      ["Câu *hai*?", ["x", "y"], "z"],
    ]);
  });

  it("turns NFD text into NFC and catches an NFD copy of a stem as a duplicate", () => {
    const stem = "Thủ tục hành chính là gì?";
    const r = parseGift(`$CATEGORY: Chủ đề\n\n${stem} {=a ~b ####c}\n\n${stem.normalize("NFD")} {=a ~b ####c}`.normalize("NFD"));
    expect(r.questions.map((x) => x.question.topic)).toEqual(["Chủ đề".normalize("NFC")]);
    expect(r.questions[0].question.text).toBe(stem.normalize("NFC"));
    expect(r.errors).toEqual([{ row: 5, column: "Câu hỏi", message: "câu hỏi trùng với dòng 3 trong cùng tệp" }]);
  });

  it.each([
    ["true/false {T}", "Đúng hay sai? {T}"],
    ["true/false {TRUE#fb}", "Đúng hay sai? {TRUE#Đúng}"],
    ["true/false {F}", "Đúng hay sai? {F}"],
    ["short answer", "Thủ đô? {=Hà Nội =Ha Noi}"],
    ["single short answer", "Thủ đô? {=Hà Nội}"],
    ["numeric", "Bao nhiêu xã? {#135:0}"],
    ["matching", "Ghép: {=Xã -> cấp cơ sở =Tỉnh -> cấp tỉnh}"],
    ["weighted", "Chọn các ý đúng {~%50%Một ~%50%Hai ~%-100%Ba}"],
    ["weighted with =", "Chọn {=Một ~%50%Hai ~Ba}"],
    ["essay", "Trình bày suy nghĩ của bạn. {}"],
    ["description", "Phần I: Cải cách thể chế"],
  ])("rejects %s", (_, text) => {
    expect(parseGift(`$CATEGORY: A\n\n${text}`).errors).toEqual([{ row: 3, message: NOT_MC }]);
  });

  it("reports a missing brace, no correct answer and several correct answers at the question's line", () => {
    const r = parseGift(
      ["$CATEGORY: A", "", "Câu 1? {=a ~b ####c", "", "Câu 2? {~a ~b ####c}", "", "", "Câu 3?", "{=a =b ~c ####d}"].join("\n"),
    );
    expect(r.questions).toEqual([]);
    expect(r.errors).toEqual([
      { row: 3, message: "thiếu dấu } đóng phần đáp án" },
      { row: 5, message: "không có đáp án đúng (đánh dấu bằng =)" },
      { row: 8, message: "có nhiều hơn một đáp án đúng" },
    ]);
  });

  it("requires a topic ($CATEGORY) and an explanation (####) through the draft checks", () => {
    const r = parseGift("Câu hỏi? {=a ~b}\n\n$CATEGORY: A\n\nCâu khác? {=a ~b ~a}");
    expect(r.errors).toEqual([
      { row: 1, column: "Chủ đề", message: "thiếu Chủ đề" },
      { row: 1, column: "Giải thích", message: "thiếu Giải thích" },
      { row: 5, column: "Đáp án C", message: "Đáp án A và Đáp án C trùng nội dung" },
      { row: 5, column: "Giải thích", message: "thiếu Giải thích" },
    ]);
  });

  it("reads back the source from a // Căn cứ: comment, for the next question only", () => {
    const r = parseGift("$CATEGORY: A\n\n// Căn cứ: Nghị định 61/2018/NĐ-CP\nCâu 1? {=a ~b ####c}\n\nCâu 2? {=a ~b ####c}");
    expect(r.questions.map((x) => x.question.source)).toEqual(["Nghị định 61/2018/NĐ-CP", ""]);
  });

  it("handles CRLF line endings and a BOM", () => {
    const r = parseGift("\uFEFF$CATEGORY: A\r\n\r\nCâu 1?\r\n{=a\r\n~b\r\n####c}\r\n");
    expect(r.errors).toEqual([]);
    expect(r.questions[0]).toEqual({ row: 3, question: q({ topic: "A", text: "Câu 1?", options: ["a", "b"], explanation: "c" }) });
  });

  it("reports an empty file", () => {
    expect(parseGift("// only a comment\n\n").errors).toEqual([{ row: 1, message: "Tệp không có câu hỏi nào." }]);
  });
});

describe("toGift", () => {
  it("writes categories, titles, the answer block on its own lines and the source comment", () => {
    const text = toGift([
      q({ text: "Câu 1?", options: ["Có", "Không", "Chưa rõ"], correct: 1, source: "Luật 2025" }),
      q({ topic: "Chính phủ số", text: "Câu 2?", explanation: "Vì: vậy" }),
    ]);
    expect(text).toBe(
      [
        "$CATEGORY: Cải cách thể chế",
        "",
        "// Căn cứ: Luật 2025",
        "::Q1::Câu 1?",
        "{",
        "~Có",
        "=Không",
        "~Chưa rõ",
        "####Giải thích.",
        "}",
        "",
        "$CATEGORY: Chính phủ số",
        "",
        "::Q2::Câu 2?",
        "{",
        "=Đúng",
        "~Sai",
        "####Vì\\: vậy",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("round-trips through parseGift, special characters included", () => {
    const qs: QuestionDraft[] = [
      q({
        text: "Biểu thức a = b {tập hợp} #1 ~ gần đúng: đúng không?\nDòng hai với \\ gạch chéo và \\n",
        options: ["= bằng", "~ xấp xỉ", "{ mở", "} đóng", "# thăng", "a:b // c"],
        correct: 3,
        explanation: "Giải thích có ####, =, ~ và {}:\ndòng mới",
        source: "Điều 5: Luật số 1/2025\\QH15",
      }),
      q({ text: "Câu thứ hai?", options: ["2025", "07/8/2025"], correct: 1, source: "" }),
      q({ topic: "Tổ chức / biên chế", text: "Câu [html] thứ ba?", options: ["Có", "Không"] }),
    ];
    const back = parseGift(toGift(qs));
    expect(back.errors).toEqual([]);
    expect(back.questions.map((x) => x.question)).toEqual(qs);
  });

  it("numbers questions across topics", () => {
    const text = toGift([q(), q({ topic: "B", text: "Khác?" })]);
    expect(text).toContain("::Q1::Câu hỏi?");
    expect(text).toContain("::Q2::Khác?");
    expect(text.endsWith("}\n")).toBe(true);
  });
});
