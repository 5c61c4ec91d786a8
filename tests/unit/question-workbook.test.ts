import ExcelJS from "exceljs";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import type { QuestionDraft } from "../../app/domain/questions";
import { vi } from "../../app/i18n/vi";
import { readQuestionSheet, writeQuestionWorkbook, XLSX_CONTENT_TYPE } from "../../app/utils/question-workbook.server";

const c = vi.questionFile.columns;
const HEADER = [c.topic, c.text, c.optionA, c.optionB, c.optionC, c.optionD, c.correct, c.explanation];
const FULL_HEADER = [
  c.topic,
  c.text,
  c.optionA,
  c.optionB,
  c.optionC,
  c.optionD,
  c.optionE,
  c.optionF,
  c.correct,
  c.explanation,
  c.difficulty,
  c.source,
];

/** A real .xlsx built by exceljs: sheet "Câu hỏi" filled by `build`. */
async function xlsx(build: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Câu hỏi");
  build(ws, wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as Parameters<typeof wb.xlsx.load>[0]);
  return wb;
}

async function rowsOf(bytes: Buffer): Promise<string[][]> {
  const result = await readQuestionSheet(bytes);
  if (!result.ok) throw new Error(`expected rows, got: ${result.message}`);
  return result.rows;
}

/** A minimal stored (uncompressed) zip, for archives that are zips but not workbooks. */
function zip(files: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const fileName = Buffer.from(name);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(fileName.length, 28);
    entry.writeUInt32LE(offset, 42);
    parts.push(local, fileName, data);
    central.push(entry, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}

const question = (over: Partial<QuestionDraft> = {}): QuestionDraft => ({
  topic: "Cải cách thủ tục hành chính",
  text: "Cơ quan nào chủ trì công bố thủ tục hành chính thuộc thẩm quyền giải quyết của cấp tỉnh?",
  options: ["Chủ tịch Ủy ban nhân dân tỉnh", "Hội đồng nhân dân tỉnh", "Văn phòng Chính phủ", "Bộ Nội vụ"],
  correct: 0,
  explanation: "Chủ tịch UBND tỉnh công bố danh mục thủ tục hành chính thuộc thẩm quyền của địa phương.",
  difficulty: "medium",
  source: "Nghị định số 63/2010/NĐ-CP",
  ...over,
});

describe("readQuestionSheet: cell values", () => {
  it("returns plain strings in NFC, turning decomposed Vietnamese into composed form", async () => {
    const nfd = "Cải cách hành chính".normalize("NFD");
    const bytes = await xlsx((ws) => {
      ws.addRow(HEADER);
      ws.addRow([nfd, "Ủy ban nhân dân xã Ia Mơ ở đâu?", "Gia Lai", "Kon Tum", "Đắk Lắk", "Bình Định", "A", "Tỉnh Gia Lai"]);
    });
    const rows = await rowsOf(bytes);
    expect(rows).toEqual([HEADER, ["Cải cách hành chính", "Ủy ban nhân dân xã Ia Mơ ở đâu?", "Gia Lai", "Kon Tum", "Đắk Lắk", "Bình Định", "A", "Tỉnh Gia Lai"]]);
    expect(rows[1][0]).not.toBe(nfd);
    expect(rows[1][0]).toBe(rows[1][0].normalize("NFC"));
  });

  it("keeps numbers stored as text exactly and shows numeric cells as Excel's General format does", async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(["Năm", "Điểm", "Tổng", "Số", "Điện thoại", "Một phần ba", "Lớn", "Âm"]);
      ws.addRow(["2025", "3.50", "0.1", "007", "0912345678", "1e3", "84912345678", "-0"]);
      ws.addRow([2025, 3.5, 0.1 + 0.2, 7, 84912345678, 1 / 3, 1e21, -0]);
    });
    const rows = await rowsOf(bytes);
    expect(rows[1]).toEqual(["2025", "3.50", "0.1", "007", "0912345678", "1e3", "84912345678", "-0"]);
    expect(rows[2]).toEqual(["2025", "3.5", "0.3", "7", "84912345678", "0.333333333333333", "1E+21", "0"]);
  });

  it("shows a date cell as dd/mm/yyyy, booleans as TRUE/FALSE and errors as their text", async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(["Ngày", "Đúng", "Sai", "Lỗi", "Trống"]);
      const row = ws.addRow([new Date(Date.UTC(2025, 6, 1)), true, false, { error: "#N/A" as ExcelJS.ErrorValue }, null]);
      row.getCell(1).numFmt = "dd/mm/yyyy";
    });
    const wb = await load(bytes);
    expect(wb.worksheets[0].getCell("A2").type).toBe(ExcelJS.ValueType.Date);
    const rows = await rowsOf(bytes);
    expect(rows[1]).toEqual(["01/07/2025", "TRUE", "FALSE", "#N/A", ""]);
  });

  it("flattens rich text and shows a hyperlink's text, not its address", async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(["Định dạng", "Liên kết", "Liên kết trần"]);
      ws.addRow([
        { richText: [{ text: "Cải cách ", font: { bold: true } }, { text: "hành chính", font: { italic: true } }] },
        { text: "Cổng Dịch vụ công quốc gia", hyperlink: "https://dichvucong.gov.vn" },
        { text: "", hyperlink: "https://gialai.gov.vn" },
      ]);
    });
    const wb = await load(bytes);
    expect(wb.worksheets[0].getCell("A2").type).toBe(ExcelJS.ValueType.RichText);
    expect(wb.worksheets[0].getCell("B2").type).toBe(ExcelJS.ValueType.Hyperlink);
    const rows = await rowsOf(bytes);
    expect(rows[1].slice(0, 2)).toEqual(["Cải cách hành chính", "Cổng Dịch vụ công quốc gia"]);
  });
});

describe("readQuestionSheet: refused sheets", () => {
  it("refuses a formula with a cached result, naming the cell and its row", async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(HEADER);
      for (let i = 0; i < 4; i++) ws.addRow(["Chủ đề", `Câu ${i}`, "a", "b", "c", "d", "A", ""]);
      ws.getCell("D5").value = { formula: 'CONCATENATE("Ủy ban ","nhân dân")', result: "Ủy ban nhân dân" };
      ws.getCell("B7").value = { formula: "1+1", result: 2 };
    });
    expect(await readQuestionSheet(bytes)).toEqual({ ok: false, message: vi.questionFile.formula("D5"), row: 5 });
  });

  it("refuses a formula without a cached result", async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(HEADER);
      ws.getCell("C3").value = { formula: "A2&B2" } as ExcelJS.CellFormulaValue;
    });
    expect(await readQuestionSheet(bytes)).toEqual({ ok: false, message: vi.questionFile.formula("C3"), row: 3 });
  });

  it("refuses shared formulas (a formula filled down)", async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(HEADER);
      ws.getCell("G4").value = { formula: '"A"', result: "A", shareType: "shared", ref: "G4:G5" } as ExcelJS.CellFormulaValue;
      ws.getCell("G5").value = { sharedFormula: "G4", result: "A" };
    });
    const wb = await load(bytes);
    expect(wb.worksheets[0].getCell("G5").type).toBe(ExcelJS.ValueType.Formula);
    expect(await readQuestionSheet(bytes)).toEqual({ ok: false, message: vi.questionFile.formula("G4"), row: 4 });
  });

  it("refuses merged cells, naming the topmost range", async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(HEADER);
      ws.getCell("A10").value = "Phần II";
      ws.mergeCells("A10:H10");
      ws.getCell("B3").value = "Câu hỏi dài";
      ws.mergeCells("B3:C3");
    });
    expect(await readQuestionSheet(bytes)).toEqual({ ok: false, message: vi.questionFile.mergedCells("B3:C3"), row: 3 });
  });

  it("says a sheet without any value is empty, whitespace included", async () => {
    expect(await readQuestionSheet(await xlsx(() => {}))).toEqual({ ok: false, message: vi.questionFile.emptyFile });
    const styledOnly = await xlsx((ws) => {
      ws.getCell("A1").fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFFF00" } };
      ws.getCell("B2").value = "   ";
      ws.getCell("C3").value = "";
    });
    expect(await readQuestionSheet(styledOnly)).toEqual({ ok: false, message: vi.questionFile.emptyFile });
  });

  it("says anything that is not an .xlsx is not a spreadsheet, without throwing", async () => {
    const notSpreadsheet = { ok: false, message: vi.questionFile.notSpreadsheet };
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const csv = Buffer.from(`\uFEFF${HEADER.join(",")}\nCải cách,Câu hỏi?,a,b,c,d,A,\n`, "utf8");
    const oldXls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    const docx = zip({
      "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
      "word/document.xml": "<w:document/>",
    });
    const valid = await xlsx((ws) => ws.addRow(HEADER));
    const truncated = valid.subarray(0, valid.length >> 1);
    const zipMagicThenNoise = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), random]);
    for (const bytes of [random, csv, oldXls, docx, truncated, zipMagicThenNoise, Buffer.alloc(0)]) {
      expect(await readQuestionSheet(bytes)).toEqual(notSpreadsheet);
    }
  });

  it("refuses more than 20,000 rows with the too-many-questions message", async () => {
    const at = (row: number) =>
      xlsx((ws) => {
        ws.addRow(HEADER);
        ws.getCell(`B${row}`).value = "Câu cuối";
      });
    const ok = await readQuestionSheet(await at(20_000));
    expect(ok.ok && ok.rows.length).toBe(20_000);
    expect(await readQuestionSheet(await at(20_001))).toEqual({ ok: false, message: vi.questionFile.tooManyQuestions(5000) });
  });
});

describe("readQuestionSheet: rows and columns", () => {
  it("keeps blank rows in the middle so rows[i] is Excel row i + 1, and trims blank rows at the end", async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(HEADER);
      ws.getRow(2).values = ["Chủ đề 1", "Câu 1", "a", "b", "", "", "A", ""];
      ws.getRow(4).values = ["Chủ đề 2", "Câu 2", "a", "b", "c", "", "C", ""];
      ws.getCell("D5").value = "  ";
      ws.getRow(6).values = ["Chủ đề 3", "Câu 3", "a", "b", "", "", "B", "Vì sao"];
      ws.getCell("A9").fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFFF00" } };
      ws.getCell("B12").value = " ";
    });
    const rows = await rowsOf(bytes);
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.length === HEADER.length)).toBe(true);
    expect(rows[1]).toEqual(["Chủ đề 1", "Câu 1", "a", "b", "", "", "A", ""]);
    expect(rows[2]).toEqual(Array(8).fill(""));
    expect(rows[3][1]).toBe("Câu 2");
    expect(rows[4]).toEqual(Array(8).fill(""));
    expect(rows[5]).toEqual(["Chủ đề 3", "Câu 3", "a", "b", "", "", "B", "Vì sao"]);
  });

  it("returns just the header for a header-only sheet", async () => {
    expect(await rowsOf(await xlsx((ws) => ws.addRow(HEADER)))).toEqual([HEADER]);
  });

  it("pads every row to the widest one, so a stray value right of the header is kept in line", async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(HEADER);
      ws.getCell("B2").value = "Câu 1";
      ws.getCell("J3").value = "ghi chú";
    });
    const rows = await rowsOf(bytes);
    expect(rows.map((r) => r.length)).toEqual([10, 10, 10]);
    expect(rows[0].slice(8)).toEqual(["", ""]);
    expect(rows[1]).toEqual(["", "Câu 1", "", "", "", "", "", "", "", ""]);
    expect(rows[2][9]).toBe("ghi chú");
  });

  it("reads the first sheet by tab order and accepts a Uint8Array view into a larger buffer", async () => {
    const bytes = await xlsx((ws, wb) => {
      ws.addRow(HEADER);
      wb.addWorksheet("Khác").addRow(["không đọc"]);
    });
    const padded = new Uint8Array(bytes.length + 16);
    padded.set(bytes, 8);
    const view = padded.subarray(8, 8 + bytes.length);
    expect(await readQuestionSheet(view)).toEqual({ ok: true, rows: [HEADER] });
  });
});

describe("writeQuestionWorkbook", () => {
  it("round-trips: what it writes reads back as the header and one row per question", async () => {
    const questions = [
      question(),
      question({
        topic: "Chính phủ số",
        text: "Đâu là nền tảng định danh điện tử quốc gia?",
        options: ["VNeID", "Zalo", "Facebook", "Email", "SMS", "Không có"],
        correct: 5,
        explanation: "",
        difficulty: "hard",
        source: "",
      }),
      question({ text: "Câu hỏi hai đáp án?", options: ["Đúng", "Sai"], correct: 1, difficulty: "easy" }),
      question({ text: "Nghị quyết 76/NQ-CP ban hành năm nào?", options: ["2021", "2020", "0,5", "007"], correct: 0, explanation: "1/2" }),
    ];
    const bytes = await writeQuestionWorkbook(questions, {});
    const rows = await rowsOf(bytes);
    expect(rows).toEqual([
      FULL_HEADER,
      [
        "Cải cách thủ tục hành chính",
        questions[0].text,
        ...questions[0].options,
        "",
        "",
        "A",
        questions[0].explanation,
        "Trung bình",
        "Nghị định số 63/2010/NĐ-CP",
      ],
      ["Chính phủ số", "Đâu là nền tảng định danh điện tử quốc gia?", "VNeID", "Zalo", "Facebook", "Email", "SMS", "Không có", "F", "", "Khó", ""],
      ["Cải cách thủ tục hành chính", "Câu hỏi hai đáp án?", "Đúng", "Sai", "", "", "", "", "B", questions[2].explanation, "Dễ", "Nghị định số 63/2010/NĐ-CP"],
      ["Cải cách thủ tục hành chính", "Nghị quyết 76/NQ-CP ban hành năm nào?", "2021", "2020", "0,5", "007", "", "", "A", "1/2", "Trung bình", "Nghị định số 63/2010/NĐ-CP"],
    ]);
    // Every written cell is a string: "2021" stays text, as the organizer typed it.
    const types = new Set<ExcelJS.ValueType>();
    (await load(bytes)).worksheets[0].eachRow((row) => row.eachCell((cell) => types.add(cell.type)));
    expect([...types]).toEqual([ExcelJS.ValueType.String]);
  });

  it("writes an empty bank as the header alone, with a bold frozen header", async () => {
    const bytes = await writeQuestionWorkbook([], { title: "Ngân hàng trống" });
    expect(await rowsOf(bytes)).toEqual([FULL_HEADER]);
    const wb = await load(bytes);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe("Câu hỏi");
    expect(wb.worksheets).toHaveLength(1);
    expect(ws.getCell("A1").font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.getColumn(2).width).toBeGreaterThan(ws.getColumn(9).width ?? 0);
    expect(wb.creator).toBe("cchc-contest");
    expect(wb.title).toBe("Ngân hàng trống");
  });

  it("stores formula-looking text as plain strings, never as formulas", async () => {
    const tricky = ['=HYPERLINK("http://x","y")', "+84912", "-5", "@SUM(A1)", "=1+1", "\t=cmd|' /C calc'!A0"];
    const bytes = await writeQuestionWorkbook(
      [question({ topic: tricky[4], text: tricky[0], options: tricky.slice(1, 4), correct: 0, explanation: tricky[5], source: "\r=2+2" })],
      {},
    );
    const rows = await rowsOf(bytes);
    expect(rows[1].slice(0, 5)).toEqual([tricky[4], tricky[0], "+84912", "-5", "@SUM(A1)"]);
    expect(rows[1][9]).toBe(tricky[5]);
    const ws = (await load(bytes)).worksheets[0];
    for (const address of ["A2", "B2", "C2", "D2", "E2", "J2", "L2"]) {
      const cell = ws.getCell(address);
      expect(cell.type, address).toBe(ExcelJS.ValueType.String);
      expect(cell.formula, address).toBeUndefined();
    }
    // XML turns a carriage return into a line feed; the cell is still text.
    expect(ws.getCell("L2").value).toBe("\n=2+2");
  });

  it("drops characters that would make Excel call the file corrupt", async () => {
    const bytes = await writeQuestionWorkbook([question({ text: "Câu\uFFFE hỏi\u0001 có\uD800 ký tự lạ?" })], {});
    expect((await rowsOf(bytes))[1][1]).toBe("Câu hỏi có ký tự lạ?");
  });

  it("puts drop-down lists on Đáp án đúng and Độ khó for rows 2 to 5001", async () => {
    const ws = (await load(await writeQuestionWorkbook([question()], {}))).worksheets[0];
    expect(ws.getCell("I1").value).toBe(c.correct);
    expect(ws.getCell("K1").value).toBe(c.difficulty);
    for (const address of ["I2", "I5001"]) {
      expect(ws.getCell(address).dataValidation).toMatchObject({ type: "list", formulae: ['"A,B,C,D,E,F"'] });
    }
    expect(ws.getCell("K2").dataValidation).toMatchObject({ type: "list", formulae: ['"Dễ,Trung bình,Khó"'] });
    expect(ws.getCell("I5002").dataValidation).toBeUndefined();
    expect(ws.getCell("A2").dataValidation).toBeUndefined();
  });

  it("makes a template with one Vietnamese example row and a numbered guide sheet", async () => {
    const bytes = await writeQuestionWorkbook([], { template: true, title: "Mẫu câu hỏi" });
    const rows = await rowsOf(bytes);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual(FULL_HEADER);
    const example = rows[1];
    expect(example[1]).toContain("Nghị quyết số 76/NQ-CP");
    expect(example[1]).toBe(example[1].normalize("NFC"));
    expect(example[8]).toBe("C");
    expect(example[2 + 2]).toBe("6 nội dung");
    expect(example[9]).toContain("Chính phủ số");
    expect(example[10]).toBe("Dễ");

    const wb = await load(bytes);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(["Câu hỏi", "Hướng dẫn"]);
    const guide = wb.worksheets[1];
    const lines: string[] = [];
    guide.eachRow((row) => lines.push(`${row.getCell(1).text} ${row.getCell(2).text}`.trim()));
    expect(lines[0]).toBe("HƯỚNG DẪN NHẬP CÂU HỎI");
    expect(lines.length).toBeGreaterThanOrEqual(12);
    lines.slice(1).forEach((line, i) => expect(line.startsWith(`${i + 1}. `)).toBe(true));
    const text = lines.join("\n");
    for (const needle of ["Đáp án đúng", "từ A đến F", "từ 2 đến 6", "Dễ, Trung bình hoặc Khó", "công thức", "gộp ô", "5.000", "10 MB", "dòng tiêu đề", ".xlsx", "CSV UTF-8"]) {
      expect(text, needle).toContain(needle);
    }
    expect(wb.title).toBe("Mẫu câu hỏi");
  });

  it("puts the example before the given questions in template mode", async () => {
    const rows = await rowsOf(await writeQuestionWorkbook([question()], { template: true }));
    expect(rows).toHaveLength(3);
    expect(rows[1][1]).toContain("76/NQ-CP");
    expect(rows[2][1]).toBe(question().text);
  });

  it("names the xlsx content type", () => {
    expect(XLSX_CONTENT_TYPE).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  });
});
