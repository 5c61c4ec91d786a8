import { describe, expect, it } from "vitest";
import { decodeTextFile, parseCsv, parseCsvQuestions } from "../../app/domain/question-import/csv";

const ENCODING = "Tệp CSV không ở bảng mã UTF-8. Trong Excel, hãy chọn Lưu thành (Save As) › CSV UTF-8.";

const utf8 = (s: string) => new TextEncoder().encode(s);
const withBom = (s: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(s)]);
const utf16le = (s: string) => new Uint8Array(Buffer.from(`\uFEFF${s}`, "utf16le"));
const utf16be = (s: string) => utf16le(s).map((_, i, a) => a[i % 2 === 0 ? i + 1 : i - 1]);

const HEADER = "Chủ đề,Câu hỏi,Đáp án A,Đáp án B,Đáp án C,Đáp án D,Đáp án đúng,Giải thích,Độ khó";

describe("decodeTextFile", () => {
  const text = "Chủ đề;Câu hỏi\nCải cách;Đúng không?";

  it("reads UTF-8 with and without a BOM, dropping the BOM", () => {
    expect(decodeTextFile(utf8(text))).toEqual({ ok: true, text });
    expect(decodeTextFile(withBom(text))).toEqual({ ok: true, text });
  });

  it("reads Excel's UTF-16 'Unicode text', little and big endian", () => {
    expect(decodeTextFile(utf16le(text))).toEqual({ ok: true, text });
    expect(decodeTextFile(utf16be(text))).toEqual({ ok: true, text });
  });

  it.each([
    ["Windows-1258 bytes", [0x43, 0xe1, 0xba]],
    ["a lone lead byte", [0xc3, 0x28]],
    ["TCVN3 'Cải cách'", [0x43, 0xb6, 0x69, 0x20, 0x63, 0xb8, 0x63, 0x68]],
  ])("rejects %s as not UTF-8", (_, bytes) => {
    expect(decodeTextFile(new Uint8Array(bytes))).toEqual({ ok: false, message: ENCODING });
  });

  it("rejects UTF-16 without a BOM instead of reading NULs", () => {
    const bytes = new Uint8Array(Buffer.from("Chủ đề", "utf16le"));
    expect(decodeTextFile(bytes)).toEqual({ ok: false, message: ENCODING });
  });
});

describe("parseCsv", () => {
  it("splits on commas by default", () => {
    expect(parseCsv("a,b,c\n1,2,3\n")).toEqual([
      ["a", "b", "c"],
      ["1", "2", "3"],
    ]);
  });

  it("detects semicolons and tabs from the header line", () => {
    expect(parseCsv("a;b;c\r\n1,5;2;3\r\n")).toEqual([
      ["a", "b", "c"],
      ["1,5", "2", "3"],
    ]);
    expect(parseCsv("a\tb\n1, 2\t3")).toEqual([
      ["a", "b"],
      ["1, 2", "3"],
    ]);
  });

  it("ignores delimiters inside quoted header cells", () => {
    expect(parseCsv('"a;x;y";b,c;d\n1;2,3;4')).toEqual([
      ["a;x;y", "b,c", "d"],
      ["1", "2,3", "4"],
    ]);
  });

  it("honours Excel's sep= line", () => {
    expect(parseCsv("sep=;\na,b;c\n1;2")).toEqual([
      ["a,b", "c"],
      ["1", "2"],
    ]);
  });

  it("supports quoted cells with delimiters, doubled quotes and newlines, and ragged rows", () => {
    const text = 'a,b\n"Luật, Nghị định","Dòng 1\nDòng 2"\n"Gọi là ""một cửa""",x,extra\nonly\n';
    expect(parseCsv(text)).toEqual([
      ["a", "b"],
      ["Luật, Nghị định", "Dòng 1\nDòng 2"],
      ['Gọi là "một cửa"', "x", "extra"],
      ["only"],
    ]);
  });

  it("accepts mixed line endings", () => {
    expect(parseCsv("a,b\r\nc,d\ne,f\rg,h")).toEqual([
      ["a", "b"],
      ["c", "d"],
      ["e", "f"],
      ["g", "h"],
    ]);
  });

  it("keeps numbers and dates as strings", () => {
    expect(parseCsv("a,b,c\n2025,07/8/2025,0123")).toEqual([
      ["a", "b", "c"],
      ["2025", "07/8/2025", "0123"],
    ]);
  });
});

describe("parseCsvQuestions", () => {
  const line = 'Cải cách thể chế,"Năm nào, theo Kế hoạch?",2025,07/8/2025,,,b,"Kế hoạch ban hành\nngày 07/8/2025.",Dễ';

  it("reads a UTF-8 file with a BOM", () => {
    const r = parseCsvQuestions(withBom(`${HEADER}\n${line}\n`));
    expect(r).toEqual({
      questions: [
        {
          row: 2,
          question: {
            topic: "Cải cách thể chế",
            text: "Năm nào, theo Kế hoạch?",
            options: ["2025", "07/8/2025"],
            correct: 1,
            explanation: "Kế hoạch ban hành\nngày 07/8/2025.",
            difficulty: "easy",
            source: "",
          },
        },
      ],
      errors: [],
      blankRows: 0,
    });
  });

  it("reads a semicolon-delimited file with CRLF and without a BOM, NFD text coming out NFC", () => {
    const text = `${HEADER.replace(/,/g, ";")}\r\n${"Tổ chức bộ máy;Chính quyền địa phương có mấy cấp?;Hai;Ba;;;A;Từ 01/7/2025.;".normalize("NFD")}\r\n;;;;\r\n`;
    const r = parseCsvQuestions(utf8(text));
    expect("fileError" in r).toBe(false);
    if ("fileError" in r) return;
    expect(r.errors).toEqual([]);
    expect(r.blankRows).toBe(1);
    expect(r.questions[0].question.topic).toBe("Tổ chức bộ máy".normalize("NFC"));
    expect(r.questions[0].question.text).toBe("Chính quyền địa phương có mấy cấp?".normalize("NFC"));
    expect(r.questions[0].question.options).toEqual(["Hai", "Ba"]);
  });

  it("reads a UTF-16LE file and reports its row errors", () => {
    const r = parseCsvQuestions(utf16le(`${HEADER}\r\n${line}\r\nChủ đề,Câu 2?,Có,Không,,,,Vì.,\r\n`));
    if ("fileError" in r) throw new Error(r.fileError);
    expect(r.questions).toHaveLength(1);
    expect(r.errors).toEqual([{ row: 3, column: "Đáp án đúng", message: "thiếu Đáp án đúng" }]);
  });

  it("numbers rows by record, as Excel shows them, even after a cell with newlines", () => {
    const r = parseCsvQuestions(utf8(`${HEADER}\n${line}\n${line.replace("Năm nào", "Tháng nào").replace(",b,", ",x,")}\n`));
    if ("fileError" in r) throw new Error(r.fileError);
    expect(r.errors).toEqual([
      { row: 3, column: "Đáp án đúng", message: 'Đáp án đúng "x" không hợp lệ: phải là một chữ cái từ A đến F' },
    ]);
  });

  it("returns a file error for a file that is not UTF-8", () => {
    expect(parseCsvQuestions(new Uint8Array([...utf8("Ch"), 0xe1, 0xba]))).toEqual({ fileError: ENCODING });
  });

  it("lets an unclosed quote run to the end of the file, as Excel does, and reports that row", () => {
    const r = parseCsvQuestions(utf8(`${HEADER}\n${line}\nChủ đề,"Câu chưa đóng ngoặc,A,B,,,a,Vì.,\n`));
    if ("fileError" in r) throw new Error(r.fileError);
    expect(r.questions.map((q) => q.row)).toEqual([2]);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [3, "Đáp án A"],
      [3, "Đáp án đúng"],
      [3, "Giải thích"],
    ]);
  });
});
