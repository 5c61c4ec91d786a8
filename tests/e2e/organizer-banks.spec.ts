// Question banks from the organizer's side, in a real browser on a phone-sized screen: who may
// open them, creating a bank, importing real .xlsx files (preview, errors, duplicates, partial
// import), tone-insensitive search, the Excel template, the Excel export and the review copy.
import { expect, test, type Download, type Page } from "@playwright/test";
import ExcelJS from "exceljs";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { newPerson, solvedCaptcha } from "./helpers";
import { createStaff, logInAsStaff, newStaff, submitLogin, waitForReact, type Staff } from "./staff";

// ---------------------------------------------------------------------------------------------
// Question files

type Difficulty = "Dễ" | "Trung bình" | "Khó";

interface Q {
  topic: string;
  text: string;
  options: string[]; // A, B, … (2 to 6)
  correct: string; // letter as typed in the file; "" = left empty
  explanation: string;
  difficulty: Difficulty;
}

const LETTERS = ["A", "B", "C", "D", "E", "F"];
const COL = {
  topic: "Chủ đề",
  text: "Câu hỏi",
  correct: "Đáp án đúng",
  explanation: "Giải thích",
  difficulty: "Độ khó",
} as const;
const TEMPLATE_HEADER = [
  "Chủ đề",
  "Câu hỏi",
  "Đáp án A",
  "Đáp án B",
  "Đáp án C",
  "Đáp án D",
  "Đáp án E",
  "Đáp án F",
  "Đáp án đúng",
  "Giải thích",
  "Độ khó",
  "Căn cứ",
];

/** The first file: five valid questions, one of them with six options and E the right one. */
const FIRST: Q[] = [
  {
    topic: "Cải cách hành chính",
    text: "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 – 2030 được ban hành kèm theo văn bản nào?",
    options: ["Nghị quyết số 76/NQ-CP của Chính phủ", "Nghị quyết số 30c/NQ-CP của Chính phủ", "Quyết định số 225/QĐ-TTg", "Chỉ thị số 26/CT-TTg"],
    correct: "A",
    explanation: "Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể.",
    difficulty: "Dễ",
  },
  {
    topic: "Dịch vụ công trực tuyến",
    text: "Cổng Dịch vụ công quốc gia có địa chỉ truy cập nào?",
    options: ["dichvucong.gov.vn", "gialai.gov.vn", "chinhphu.vn", "baochinhphu.vn"],
    correct: "A",
    explanation: "Địa chỉ của Cổng Dịch vụ công quốc gia là dichvucong.gov.vn.",
    difficulty: "Trung bình",
  },
  {
    topic: "Tổ chức bộ máy",
    text: "Từ ngày 01/7/2025, tỉnh Gia Lai mới được hợp nhất từ những tỉnh nào?",
    options: ["Gia Lai và Kon Tum", "Gia Lai và Bình Định", "Gia Lai và Đắk Lắk", "Gia Lai và Phú Yên"],
    correct: "B",
    explanation: "Tỉnh Gia Lai mới gồm tỉnh Gia Lai và tỉnh Bình Định trước đây; trung tâm hành chính đặt tại Quy Nhơn.",
    difficulty: "Khó",
  },
  {
    topic: "Chính quyền số",
    text: "Ứng dụng nào được dùng để định danh và xác thực điện tử cho công dân?",
    options: ["Sổ hộ khẩu giấy", "Thẻ bảo hiểm y tế giấy", "Giấy khai sinh bản sao", "Thư tay có chữ ký", "VNeID", "Sổ tạm trú"],
    correct: "E",
    explanation: "VNeID là ứng dụng định danh điện tử do Bộ Công an xây dựng.",
    difficulty: "Trung bình",
  },
  {
    topic: "Thủ tục hành chính",
    text: "Cơ chế một cửa, một cửa liên thông góp phần cải cách thủ tục hành chính theo hướng nào?",
    options: ["Công khai, minh bạch, thuận tiện cho người dân", "Tăng số lượng giấy tờ phải nộp", "Kéo dài thời gian giải quyết", "Hạn chế tiếp nhận hồ sơ trực tuyến"],
    correct: "A",
    explanation: "Một cửa, một cửa liên thông giúp người dân, doanh nghiệp giải quyết thủ tục công khai, minh bạch, nhanh chóng.",
    difficulty: "Trung bình",
  },
];

/** Questions of FIRST whose topic, stem or options contain "cải cách" (search ignores tone marks). */
const CAI_CACH = FIRST.filter((q) => [q.topic, q.text, ...q.options].some((s) => s.toLowerCase().includes("cải cách")));

/** The second file, rows 2–5: new, missing its right answer, already in the bank, new. */
const SECOND_NEW_1: Q = {
  topic: "Cải cách hành chính",
  text: "Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước được viết tắt là gì?",
  options: ["SIPAS", "PAR INDEX", "PAPI", "PCI"],
  correct: "A",
  explanation: "SIPAS là Chỉ số hài lòng về sự phục vụ hành chính.",
  difficulty: "Khó",
};
const SECOND_INVALID: Q = {
  topic: "Chính quyền số",
  text: "Tài khoản định danh điện tử mức độ 2 được dùng để làm gì?",
  options: ["Thực hiện thủ tục hành chính trực tuyến", "Chơi trò chơi điện tử", "Mua vé số", "Gửi thư tay"],
  correct: "",
  explanation: "Tài khoản mức độ 2 có giá trị tương đương căn cước khi thực hiện giao dịch điện tử.",
  difficulty: "Dễ",
};
const SECOND_NEW_2: Q = {
  topic: "Chính quyền số",
  text: "Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh giúp người dân tra cứu điều gì?",
  options: ["Tình trạng giải quyết hồ sơ", "Giá vàng trong ngày", "Lịch phát sóng truyền hình"],
  correct: "A",
  explanation: "Người dân tra cứu được tình trạng hồ sơ bằng mã hồ sơ trên biên nhận.",
  difficulty: "Dễ",
};
const SECOND: Q[] = [SECOND_NEW_1, SECOND_INVALID, { ...FIRST[1] }, SECOND_NEW_2];
const AFTER_BOTH = [...FIRST, SECOND_NEW_1, SECOND_NEW_2];

let tmpDir = "";

/** Writes the questions as a real .xlsx (exceljs), header in row 1, one question per row. */
async function writeQuestionFile(name: string, questions: Q[], optionColumns: number): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Câu hỏi");
  const letters = LETTERS.slice(0, optionColumns);
  sheet.addRow([COL.topic, COL.text, ...letters.map((l) => `Đáp án ${l}`), COL.correct, COL.explanation, COL.difficulty]);
  for (const q of questions) {
    const options = letters.map((_, i) => q.options[i] ?? null);
    sheet.addRow([q.topic, q.text, ...options, q.correct || null, q.explanation, q.difficulty]);
  }
  const file = path.join(tmpDir, name);
  await workbook.xlsx.writeFile(file);
  return file;
}

async function readWorkbook(download: Download): Promise<ExcelJS.Workbook> {
  const file = await download.path();
  expect(file).toBeTruthy();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

const rowTexts = (row: ExcelJS.Row, width: number) => Array.from({ length: width }, (_, i) => row.getCell(i + 1).text);

// ---------------------------------------------------------------------------------------------
// Pages

const countsText = (active: number) => `${active} câu đang dùng · 0 câu nháp · 0 câu đã ngừng dùng`;

async function createBank(page: Page, name: string): Promise<string> {
  await page.goto("/admin/banks");
  const form = page.locator("section", { has: page.getByRole("heading", { name: "Tạo ngân hàng câu hỏi", exact: true }) });
  await form.getByLabel("Tên ngân hàng câu hỏi", { exact: true }).fill(name);
  await form.getByRole("button", { name: "Tạo", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/banks\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByTestId("bank-counts")).toHaveText(countsText(0));
  await expect(page.getByTestId("question")).toHaveCount(0);
  return new URL(page.url()).pathname;
}

/** From the bank page: "Nhập từ tệp", choose the file, upload (through XHR when scripts run). */
async function uploadFromBank(page: Page, file: string, { javaScript }: { javaScript: boolean }) {
  await page.getByRole("link", { name: "Nhập từ tệp", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/banks\/[^/]+\/import$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nhập câu hỏi từ tệp");
  await page.locator('input[type="file"][name="file"]').setInputFiles(file);
  const submit = page.getByRole("button", { name: "Tải lên và xem trước", exact: true });
  if (javaScript) {
    await waitForReact(page, 'form[enctype="multipart/form-data"]');
    const xhr = page.waitForRequest((r) => r.method() === "POST" && r.resourceType() === "xhr" && /\/import$/.test(new URL(r.url()).pathname));
    await submit.click();
    const request = await xhr;
    expect(request.headers()["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
  } else {
    const post = page.waitForRequest((r) => r.method() === "POST" && r.resourceType() === "document");
    await submit.click();
    expect((await post).headers()["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
  }
  await expect(page).toHaveURL(/\/admin\/imports\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Xem trước kết quả nhập");
  await expect(page.getByText(`${path.basename(file)} · XLSX`)).toBeVisible();
}

const tableWithCaption = (page: Page, caption: string) => page.locator("table", { has: page.locator("caption", { hasText: caption }) });

/** The texts of the questions listed on the bank page, in order. */
async function listedStems(page: Page): Promise<string[]> {
  return page.getByTestId("question").locator(":scope > p.font-medium").allTextContents();
}

async function search(page: Page, q: string) {
  await page.getByLabel("Tìm kiếm (có dấu hoặc không dấu)", { exact: true }).fill(q);
  await page.getByRole("search").getByRole("button", { name: "Lọc", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(q).replace(/%20/g, "(\\+|%20)")}(&|$)`));
}

/** Optional captures for a visual check: E2E_SCREENSHOTS=/some/dir saves full pages at 360 px wide. */
async function capture(page: Page, name: string) {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  const before = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 780 });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  if (before) await page.setViewportSize(before);
}

// ---------------------------------------------------------------------------------------------

let organizer: Staff;

test.beforeAll(async () => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "cchc-e2e-banks-"));
  organizer = await createStaff(newStaff("organizer", "Nguyễn Thị Tổ Chức"));
});

test.afterAll(() => {
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

test.describe("who may open the question banks", () => {
  test("an anonymous visitor is sent to the login page and comes back after logging in as organizer", async ({ page }) => {
    const res = await page.goto("/admin/banks");
    expect(res?.status()).toBe(200);
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fadmin%2Fbanks$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đăng nhập");

    // Nor can the downloads be reached without logging in.
    const template = await page.request.get("/admin/template.xlsx", { maxRedirects: 0 });
    expect(template.status()).toBe(302);
    expect(template.headers()["location"]).toMatch(/^\/login\?redirectTo=/);

    await submitLogin(page, organizer.email, organizer.password);
    await expect(page).toHaveURL(/\/admin\/banks$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ngân hàng câu hỏi");
    await expect(page.getByRole("main").getByRole("button", { name: "Tạo", exact: true })).toBeVisible();
  });

  test("a contestant gets the 403 page, not the banks", async ({ page }) => {
    const p = newPerson();
    const reg = await page.request.post("/api/v1/auth/register", {
      data: {
        fullName: p.fullName,
        nationalId: p.nationalId,
        birthDate: p.birthDate,
        gender: p.gender,
        phone: p.phone,
        email: p.email,
        communeCode: "21583",
        captcha: await solvedCaptcha(page.request),
        group: p.group,
        workplace: p.workplace,
        password: p.password,
      },
    });
    expect(reg.status(), await reg.text()).toBe(201);
    // The session cookie of the API answer is the browser's too.
    const me = await page.request.get("/api/v1/me");
    expect(me.status()).toBe(200);

    const res = await page.goto("/admin/banks");
    expect(res?.status()).toBe(403);
    await expect(page).toHaveURL(/\/admin\/banks$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không có quyền truy cập");
    await expect(page.getByRole("main")).toContainText("Bạn không có quyền thực hiện thao tác này.");
    await expect(page.getByRole("main")).not.toContainText("Tạo ngân hàng câu hỏi");
    await expect(page.getByRole("main").locator('input[name="name"]')).toHaveCount(0);

    expect((await page.request.get("/admin/template.xlsx", { maxRedirects: 0 })).status()).toBe(403);
    const create = await page.request.post("/admin/banks?index", { form: { name: "Ngân hàng của thí sinh" }, maxRedirects: 0 });
    expect(create.status()).toBe(403);
  });
});

test.describe("an organizer builds a bank from Excel files", () => {
  test("create, import, search, partial import, export and review", async ({ page }) => {
    test.slow();
    const bankName = `Ngân hàng thử nghiệm ${randomUUID().slice(0, 6)}`;
    await logInAsStaff(page, organizer);
    const bankPath = await createBank(page, bankName);

    await test.step("import five questions (one with options E and F)", async () => {
      const file = await writeQuestionFile("dot-1-cau-hoi.xlsx", FIRST, 6);
      await waitForReact(page, 'a[href$="/import"]');
      await uploadFromBank(page, file, { javaScript: true });
      await expect(page.getByTestId("import-summary")).toHaveText("5 câu hợp lệ · 0 lỗi · 0 câu đã có trong ngân hàng");
      await expect(page.getByTestId("import-error")).toHaveCount(0);
      await expect(page.getByRole("heading", { name: "5 câu đầu tiên trong 5 câu sẽ được nhập" })).toBeVisible();
      // The preview shows what will be imported, diacritics intact, the right answer highlighted.
      for (const q of FIRST) await expect(page.getByText(q.text, { exact: true })).toBeVisible();
      await expect(page.locator("li.font-semibold", { hasText: "E. VNeID" })).toBeVisible();
      await expect(page.getByText("F. Sổ tạm trú", { exact: true })).toBeVisible();
      await expect(page.getByRole("button", { name: /^Chỉ nhập/ })).toHaveCount(0);

      await page.getByRole("button", { name: "Nhập toàn bộ", exact: true }).click();
      await expect(page.getByTestId("import-result")).toHaveText("Đã nhập 5 câu hỏi.");
      await expect(page.getByRole("button", { name: "Nhập toàn bộ", exact: true })).toHaveCount(0);
    });

    await test.step("the bank lists the five questions", async () => {
      await page.getByRole("link", { name: "Về ngân hàng câu hỏi", exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`${bankPath}$`));
      await expect(page.getByTestId("bank-counts")).toHaveText(countsText(5));
      await expect(page.getByTestId("found")).toHaveText("Tìm thấy 5 câu hỏi");
      await expect(page.getByTestId("question")).toHaveCount(5);
      expect(await listedStems(page)).toEqual(FIRST.map((q) => q.text));
      const six = page.getByTestId("question").filter({ hasText: FIRST[3].text });
      await expect(six.locator("ol > li")).toHaveText([
        "A. Sổ hộ khẩu giấy",
        "B. Thẻ bảo hiểm y tế giấy",
        "C. Giấy khai sinh bản sao",
        "D. Thư tay có chữ ký",
        "E. VNeID (đúng)",
        "F. Sổ tạm trú",
      ]);
      await expect(six).toContainText("Chính quyền số");
      await expect(six).toContainText("Trung bình");
      await expect(page.getByTestId("question").filter({ hasText: FIRST[2].text })).toContainText("Khó");
      await capture(page, "bank");
    });

    await test.step('"cai cach" without tone marks finds the questions about "cải cách"', async () => {
      expect(CAI_CACH.length).toBe(2);
      await search(page, "cai cach");
      await expect(page.getByTestId("found")).toHaveText(`Tìm thấy ${CAI_CACH.length} câu hỏi`);
      await expect(page.getByTestId("question")).toHaveCount(CAI_CACH.length);
      expect((await listedStems(page)).sort()).toEqual(CAI_CACH.map((q) => q.text).sort());
      for (const card of await page.getByTestId("question").all()) await expect(card).toContainText(/cải cách/i);
      // The search box keeps what was typed.
      await expect(page.getByLabel("Tìm kiếm (có dấu hoặc không dấu)", { exact: true })).toHaveValue("cai cach");
      // A word that is nowhere finds nothing.
      await search(page, "khong co cau nao nhu vay");
      await expect(page.getByTestId("found")).toHaveText("Tìm thấy 0 câu hỏi");
      await expect(page.getByTestId("question")).toHaveCount(0);
    });

    let previewPath = "";
    await test.step("a file with an invalid row and a duplicate is previewed, nothing imported yet", async () => {
      await page.goto(bankPath);
      await waitForReact(page, 'a[href$="/import"]');
      const file = await writeQuestionFile("dot-2-co-loi.xlsx", SECOND, 4);
      await uploadFromBank(page, file, { javaScript: true });
      previewPath = new URL(page.url()).pathname;
      await expect(page.getByTestId("import-summary")).toHaveText("2 câu hợp lệ · 1 lỗi · 1 câu đã có trong ngân hàng");
      await expect(page.getByText("Tệp có lỗi nên chưa nhập câu nào.")).toBeVisible();

      const errors = tableWithCaption(page, "Các dòng có lỗi").getByTestId("import-error");
      await expect(errors).toHaveCount(1);
      await expect(errors.first()).toContainText("Dòng 3: thiếu Đáp án đúng");
      await expect(errors.first().locator("td")).toHaveText(["3", "Đáp án đúng", "Dòng 3: thiếu Đáp án đúng"]);

      const duplicates = tableWithCaption(page, "Câu hỏi đã có trong ngân hàng (sẽ không nhập lại)").getByTestId("import-error");
      await expect(duplicates).toHaveCount(1);
      await expect(duplicates.first().locator("td")).toHaveText(["4", "Câu hỏi", "Dòng 4: câu hỏi đã có trong ngân hàng"]);

      await expect(page.getByRole("heading", { name: "2 câu đầu tiên trong 2 câu sẽ được nhập" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Nhập toàn bộ", exact: true })).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Chỉ nhập 2 câu hợp lệ", exact: true })).toBeEnabled();
      await capture(page, "preview-errors");

      // Until the organizer chooses, the bank is unchanged.
      await page.goto(bankPath);
      await expect(page.getByTestId("bank-counts")).toHaveText(countsText(5));
      await expect(page.getByTestId("question")).toHaveCount(5);
      await expect(page.getByText(SECOND_NEW_1.text)).toHaveCount(0);
    });

    await test.step('"Chỉ nhập 2 câu hợp lệ" adds exactly the two new questions', async () => {
      await page.goto(previewPath);
      await waitForReact(page, 'button[value="partial"]');
      await page.getByRole("button", { name: "Chỉ nhập 2 câu hợp lệ", exact: true }).click();
      await expect(page.getByTestId("import-result")).toHaveText("Đã nhập 2 câu hỏi, bỏ qua 2 dòng.");
      await page.getByRole("link", { name: "Về ngân hàng câu hỏi", exact: true }).click();
      await expect(page.getByTestId("bank-counts")).toHaveText(countsText(7));
      await expect(page.getByTestId("question")).toHaveCount(7);
      const stems = await listedStems(page);
      expect(stems).toEqual(AFTER_BOTH.map((q) => q.text));
      expect(stems.filter((s) => s === FIRST[1].text)).toHaveLength(1); // the duplicate is not there twice
      expect(stems).not.toContain(SECOND_INVALID.text);

      // Opening the finished preview again does not offer a second import.
      await page.goto(previewPath);
      await expect(page.getByTestId("import-result")).toContainText("Tệp này đã được nhập.");
      await expect(page.getByRole("button", { name: /^Chỉ nhập/ })).toHaveCount(0);
    });

    await test.step('"Xuất Excel" downloads the bank, Vietnamese intact', async () => {
      await page.goto(bankPath);
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Xuất Excel", exact: true }).click()]);
      expect(download.suggestedFilename()).toBe(`${bankName}.xlsx`);
      const workbook = await readWorkbook(download);
      const sheet = workbook.worksheets[0];
      expect(sheet.name).toBe("Câu hỏi");
      const header = rowTexts(sheet.getRow(1), TEMPLATE_HEADER.length);
      expect(header).toEqual(TEMPLATE_HEADER);
      const rows: string[][] = [];
      sheet.eachRow((row, n) => {
        if (n > 1) rows.push(rowTexts(row, TEMPLATE_HEADER.length));
      });
      expect(rows).toHaveLength(AFTER_BOTH.length);
      const expected = AFTER_BOTH.map((q) => [
        q.topic,
        q.text,
        ...LETTERS.map((_, i) => q.options[i] ?? ""),
        q.correct,
        q.explanation,
        q.difficulty,
        "",
      ]);
      expect(rows).toEqual(expected);
      // The same text as typed: composed (NFC) Vietnamese, nothing decomposed or mangled.
      for (const r of rows) for (const cell of r) expect(cell).toBe(cell.normalize("NFC"));
    });

    await test.step("the review copy counts the questions by topic and difficulty", async () => {
      await page.getByRole("link", { name: "Bản in để rà soát", exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`${bankPath}/review$`));
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Bản rà soát: ${bankName}`);
      await expect(page.getByText(/^7 câu hỏi · in ngày \d{2}\/\d{2}\/\d{4}$/)).toBeVisible();
      const table = tableWithCaption(page, "Số câu theo chủ đề và độ khó");
      await expect(table.locator("thead th")).toHaveText(["Chủ đề", "Dễ", "Trung bình", "Khó", "Tổng"]);
      // Topics in Vietnamese alphabetical order; Dễ, Trung bình, Khó, Tổng.
      const rows = table.getByTestId("topic-row");
      await expect(rows).toHaveCount(5);
      const cells = await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent ?? "")));
      expect(cells).toEqual([
        ["Cải cách hành chính", "1", "0", "1", "2"],
        ["Chính quyền số", "1", "1", "0", "2"],
        ["Dịch vụ công trực tuyến", "0", "1", "0", "1"],
        ["Thủ tục hành chính", "0", "1", "0", "1"],
        ["Tổ chức bộ máy", "0", "0", "1", "1"],
      ]);
      const total = cells.reduce((n, r) => n + Number(r[4]), 0);
      expect(total).toBe(AFTER_BOTH.length);
      // Every question with its answers and explanation, the right one marked.
      const items = page.locator("article > ol > li");
      await expect(items).toHaveCount(AFTER_BOTH.length);
      await expect(page.getByText("E. VNeID (đúng)", { exact: true })).toBeVisible();
      for (const q of AFTER_BOTH) await expect(page.getByText(`Giải thích: ${q.explanation}`, { exact: true })).toBeVisible();
      await capture(page, "review");
    });
  });

  test('"Tải tệp Excel mẫu" downloads the template with the Vietnamese header row', async ({ page }) => {
    await logInAsStaff(page, organizer);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("main").getByRole("link", { name: "Tải tệp Excel mẫu", exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("mau-ngan-hang-cau-hoi.xlsx");
    const workbook = await readWorkbook(download);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["Câu hỏi", "Hướng dẫn"]);
    const sheet = workbook.worksheets[0];
    expect(rowTexts(sheet.getRow(1), TEMPLATE_HEADER.length + 1)).toEqual([...TEMPLATE_HEADER, ""]);
    // Row 2 is the example question; the correct answer is a letter, the difficulty a label.
    const example = rowTexts(sheet.getRow(2), TEMPLATE_HEADER.length);
    expect(example[1]).toMatch(/cải cách hành chính/);
    expect(example[8]).toMatch(/^[A-F]$/);
    expect(["Dễ", "Trung bình", "Khó"]).toContain(example[10]);
    expect(workbook.worksheets[1].getCell("A1").text).toBe("HƯỚNG DẪN NHẬP CÂU HỎI");
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the plain multipart form uploads the file and leads to the preview and the import", async ({ page }) => {
    const bankName = `Ngân hàng không JS ${randomUUID().slice(0, 6)}`;
    await logInAsStaff(page, organizer);
    const bankPath = await createBank(page, bankName);
    const file = await writeQuestionFile("khong-js.xlsx", FIRST.slice(0, 3), 4);
    await uploadFromBank(page, file, { javaScript: false });
    await expect(page.getByTestId("import-summary")).toHaveText("3 câu hợp lệ · 0 lỗi · 0 câu đã có trong ngân hàng");
    for (const q of FIRST.slice(0, 3)) await expect(page.getByText(q.text, { exact: true })).toBeVisible();

    await page.getByRole("button", { name: "Nhập toàn bộ", exact: true }).click();
    await expect(page.getByTestId("import-result")).toHaveText("Đã nhập 3 câu hỏi.");
    await page.goto(bankPath);
    await expect(page.getByTestId("bank-counts")).toHaveText(countsText(3));
    expect(await listedStems(page)).toEqual(FIRST.slice(0, 3).map((q) => q.text));
  });
});
