import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { parseGift, toGift } from "~/domain/question-import/gift";
import type { QuestionDraft } from "~/domain/questions";
import { vi } from "~/i18n/vi";
import { exportDrafts, getQuestion, updateQuestion } from "~/models/question-bank.server";
import { upsertStaff } from "~/models/user.server";
import * as bankPage from "~/routes/admin.banks.$bankId._index";
import * as exportXlsx from "~/routes/admin.banks.$bankId.export[.]xlsx";
import * as importPage from "~/routes/admin.banks.$bankId.import";
import * as editPage from "~/routes/admin.questions.$questionId";
import * as previewPage from "~/routes/admin.imports.$jobId";
import * as templateXlsx from "~/routes/admin.template[.]xlsx";
import * as banksApi from "~/routes/api.v1.admin.banks";
import * as importApi from "~/routes/api.v1.admin.banks.$bankId.import";
import * as questionsApi from "~/routes/api.v1.admin.banks.$bankId.questions";
import * as loginApi from "~/routes/api.v1.auth.login";
import * as registerApi from "~/routes/api.v1.auth.register";
import { db } from "~/utils/db.server";
import { readQuestionSheet, writeQuestionWorkbook } from "~/utils/question-workbook.server";
import { args, cookieOf, loginBody, newContestant, req } from "./helpers";

const HEADER = "Chủ đề,Câu hỏi,Đáp án A,Đáp án B,Đáp án C,Đáp án D,Đáp án đúng,Giải thích,Độ khó";
const uniq = () => randomBytes(4).toString("hex");

/** A CSV of n valid questions whose stems are unique to this call. */
function csv(n: number, tag = uniq(), extraRows: string[] = []) {
  const rows = Array.from(
    { length: n },
    (_, i) => `Cải cách thủ tục hành chính,"Câu hỏi ${tag} số ${i + 1}: cơ quan nào chủ trì, theo dõi?",Văn phòng UBND tỉnh,Sở Nội vụ,Sở Tư pháp,Công an tỉnh,A,Theo Kế hoạch 27/KH-UBND.,Dễ`,
  );
  return `\uFEFF${[HEADER, ...rows, ...extraRows].join("\r\n")}\r\n`;
}

let organizer = "";
let organizerId = "";
let judge = "";
let contestant = "";

async function loginStaff(role: "organizer" | "judge") {
  const email = `${role}.${uniq()}@example.vn`;
  const { user } = await upsertStaff({ role, email, password: "mat-khau-can-bo", fullName: "Cán Bộ Thử" });
  const res = await loginApi.action(args(req("/api/v1/auth/login", { json: loginBody(email, "mat-khau-can-bo") })));
  return { cookie: cookieOf(res), id: user.id };
}

beforeAll(async () => {
  ({ cookie: organizer, id: organizerId } = await loginStaff("organizer"));
  ({ cookie: judge } = await loginStaff("judge"));
  contestant = cookieOf(await registerApi.action(args(req("/api/v1/auth/register", { json: newContestant() }))));
});

async function newBank(name = `Ngân hàng ${uniq()}`) {
  const res = await banksApi.action(args(req("/api/v1/admin/banks", { json: { name }, cookie: organizer })));
  expect(res.status).toBe(201);
  return ((await res.json()) as { bank: { id: string; name: string } }).bank;
}

function upload(path: string, file: { bytes: Uint8Array | string; name: string }, cookie = organizer, fields: Record<string, string> = {}) {
  const fd = new FormData();
  fd.append("file", new Blob([typeof file.bytes === "string" ? file.bytes : (file.bytes as Uint8Array<ArrayBuffer>)]), file.name);
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return req(path, { method: "POST", body: fd, cookie });
}

async function importFile(bankId: string, file: { bytes: Uint8Array | string; name: string }, query = "") {
  const res = await importApi.action(args(upload(`/api/v1/admin/banks/${bankId}/import${query}`, file), { bankId }));
  return { status: res.status, body: (await res.json()) as { imported: number; skipped: number; errors: { row: number; message: string }[]; error?: { code: string; message: string } } };
}

async function questionsOf(bankId: string, cookie = organizer) {
  const res = await questionsApi.loader(args(req(`/api/v1/admin/banks/${bankId}/questions`, { cookie }), { bankId }));
  return { status: res.status, list: (await res.json()) as { id: string; text: string; topic: string; options: { text: string; correct: boolean }[] }[] };
}

describe("access: organizers and administrators only", () => {
  it("refuses contestants and judges on the API (403) and anonymous callers (401)", async () => {
    const bank = await newBank();
    for (const cookie of [contestant, judge]) {
      expect((await banksApi.loader(args(req("/api/v1/admin/banks", { cookie })))).status).toBe(403);
      expect((await banksApi.action(args(req("/api/v1/admin/banks", { json: { name: "x" }, cookie })))).status).toBe(403);
      expect((await questionsOf(bank.id, cookie)).status).toBe(403);
      const imp = await importApi.action(args(upload(`/api/v1/admin/banks/${bank.id}/import`, { bytes: csv(1), name: "a.csv" }, cookie), { bankId: bank.id }));
      expect(imp.status).toBe(403);
    }
    expect((await banksApi.loader(args(req("/api/v1/admin/banks")))).status).toBe(401);
    expect((await questionsOf(bank.id, "")).status).toBe(401);
    expect((await questionsOf(bank.id)).list).toEqual([]);
  });

  it("refuses them on the pages too (403), and sends anonymous visitors to log in", async () => {
    const bank = await newBank();
    for (const cookie of [contestant, judge]) {
      for (const call of [
        () => bankPage.loader(args(req(`/admin/banks/${bank.id}`, { cookie }), { bankId: bank.id })),
        () => templateXlsx.loader(args(req("/admin/template.xlsx", { cookie }))),
        () => exportXlsx.loader(args(req(`/admin/banks/${bank.id}/export.xlsx`, { cookie }), { bankId: bank.id })),
        () => importPage.action(args(upload(`/admin/banks/${bank.id}/import`, { bytes: csv(1), name: "a.csv" }, cookie), { bankId: bank.id })),
      ]) {
        await expect(call()).rejects.toMatchObject({ status: 403 });
      }
    }
    await expect(bankPage.loader(args(req(`/admin/banks/${bank.id}`), { bankId: bank.id }))).rejects.toMatchObject({ status: 302 });
    await expect(bankPage.loader(args(req(`/admin/banks/nope`, { cookie: organizer }), { bankId: "nope" }))).rejects.toMatchObject({ status: 404 });
  });
});

describe("importing through the API", () => {
  it("imports a valid CSV (UTF-8 with BOM) and lists the questions with their answer key", async () => {
    const bank = await newBank();
    const r = await importFile(bank.id, { bytes: csv(3), name: "cau-hoi.csv" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ imported: 3, skipped: 0, errors: [] });
    const { list } = await questionsOf(bank.id);
    expect(list).toHaveLength(3);
    expect(list[0].topic).toBe("Cải cách thủ tục hành chính");
    expect(list[0].options.map((o) => o.correct)).toEqual([true, false, false, false]);
    const log = await db().auditLog.findMany({ where: { entityType: "bank", entityId: bank.id, action: "bank.import" } });
    expect(log).toHaveLength(1);
    expect(log[0].actorId).toBe(organizerId);
    expect(JSON.parse(log[0].detail)).toMatchObject({ imported: 3, fileName: "cau-hoi.csv" });
  });

  it("imports nothing from a file with an invalid row, and lists every error; ?partial=1 imports the valid rows", async () => {
    const bank = await newBank();
    const tag = uniq();
    const bad = [`Cải cách thể chế,Câu hỏi lỗi ${tag},Một,Hai,Ba,Bốn,,Giải thích,Dễ`, `Cải cách thể chế,,Một,Hai,,,B,Giải thích,Khó lắm`];
    const file = { bytes: csv(2, tag, bad), name: "loi.csv" };
    const all = await importFile(bank.id, file);
    expect(all.status).toBe(200);
    expect(all.body.imported).toBe(0);
    expect(all.body.errors.map((e) => e.message)).toEqual(
      expect.arrayContaining(["Dòng 4: thiếu Đáp án đúng", "Dòng 5: thiếu Câu hỏi", 'Dòng 5: Độ khó "Khó lắm" không hợp lệ: dùng Dễ, Trung bình hoặc Khó']),
    );
    expect((await questionsOf(bank.id)).list).toHaveLength(0);

    const partial = await importFile(bank.id, file, "?partial=1");
    expect(partial.body.imported).toBe(2);
    expect(partial.body.skipped).toBe(2);
    expect((await questionsOf(bank.id)).list).toHaveLength(2);
  });

  it("reports questions already in the bank instead of adding them twice (tone marks and spacing aside)", async () => {
    const bank = await newBank();
    const tag = uniq();
    expect((await importFile(bank.id, { bytes: csv(2, tag), name: "a.csv" })).body.imported).toBe(2);
    // The same stems typed without tone marks and with extra spaces, plus one new question.
    const again = csv(2, tag).replace(/Câu hỏi/g, "Cau  hoi").replace(/cơ quan nào chủ trì/g, "co quan nao chu tri");
    const more = `${again.trimEnd()}\r\nChính phủ số,Câu hỏi mới ${tag}?,Có,Không,,,A,Giải thích.,Trung bình\r\n`;
    const r = await importFile(bank.id, { bytes: more, name: "b.csv" });
    expect(r.body.imported).toBe(1);
    expect(r.body.skipped).toBe(2);
    expect(r.body.errors.map((e) => e.message)).toEqual([`Dòng 2: ${vi.questionFile.duplicateInBank}`, `Dòng 3: ${vi.questionFile.duplicateInBank}`]);
    expect((await questionsOf(bank.id)).list).toHaveLength(3);
  });

  it("refuses what is not a question file, with a clear message and no change", async () => {
    const bank = await newBank();
    const garbage = await importFile(bank.id, { bytes: new Uint8Array(randomBytes(2048)), name: "de-thi.xlsx" });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error).toEqual({ code: "INVALID_FILE", message: vi.questionFile.notSpreadsheet });
    const win1258 = await importFile(bank.id, { bytes: new Uint8Array([...new TextEncoder().encode(HEADER), 0x0a, 0x43, 0xe1, 0xba, 0x2c]), name: "cp1258.csv" });
    expect(win1258.body.error?.message).toBe(vi.questionFile.encoding);
    const pdf = await importFile(bank.id, { bytes: "%PDF-1.4", name: "de-thi.pdf" });
    expect(pdf.body.error?.message).toBe(vi.questionFile.unsupportedType);
    const empty = await importFile(bank.id, { bytes: "\uFEFF" + HEADER + "\r\n", name: "trong.csv" });
    expect(empty.status).toBe(400);
    expect(empty.body.error?.message).toBe(vi.questionFile.emptyFile);
    expect((await questionsOf(bank.id)).list).toHaveLength(0);
  });

  it("refuses a file over 10 MB with 413", async () => {
    const bank = await newBank();
    const big = new Uint8Array(10 * 1024 * 1024 + 10).fill(0x41);
    const r = await importFile(bank.id, { bytes: big, name: "lon.csv" });
    expect(r.status).toBe(413);
    expect(r.body.error?.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("imports GIFT and Aiken text files", async () => {
    const bank = await newBank();
    const tag = uniq();
    const gift = `$CATEGORY: $course$/Đề án 06\n\n::Q1:: Ứng dụng định danh điện tử quốc gia ${tag} là gì? {\n=VNeID\n~Zalo\n~VssID\n####VNeID do Bộ Công an phát triển.\n}\n`;
    expect((await importFile(bank.id, { bytes: gift, name: "de.gift" })).body.imported).toBe(1);
    const aiken = `Chỉ số SIPAS ${tag} đo gì?\nA. Mức độ hài lòng của người dân, tổ chức\nB. Năng lực cạnh tranh cấp tỉnh\nANSWER: A\nGIẢI THÍCH: SIPAS là chỉ số hài lòng về sự phục vụ hành chính.\n`;
    const res = await importApi.action(
      args(upload(`/api/v1/admin/banks/${bank.id}/import`, { bytes: aiken, name: "aiken.txt" }, organizer, { defaultTopic: "Các chỉ số đánh giá" }), { bankId: bank.id }),
    );
    expect(((await res.json()) as { imported: number }).imported).toBe(1);
    const { list } = await questionsOf(bank.id);
    expect(list.map((q) => q.topic).sort()).toEqual(["Các chỉ số đánh giá", "Đề án 06"]);
  });
});

describe("preview, then commit (the organizer's pages)", () => {
  it("uploads, previews the errors, then imports only the valid rows", async () => {
    const bank = await newBank();
    const tag = uniq();
    const file = { bytes: csv(3, tag, [`Cải cách thể chế,Câu lỗi ${tag},Một,Hai,,,E,Giải thích,Dễ`]), name: "xem-truoc.csv" };
    const posted = (await importPage.action(args(upload(`/admin/banks/${bank.id}/import`, file), { bankId: bank.id }))) as Response;
    expect(posted.status).toBe(302);
    const jobId = posted.headers.get("Location")!.split("/").pop()!;
    const preview = await previewPage.loader(args(req(`/admin/imports/${jobId}`, { cookie: organizer }), { jobId }));
    expect(preview.valid).toBe(3);
    expect(preview.errors).toEqual([{ row: 5, column: "Đáp án đúng", message: "Đáp án đúng là E nhưng Đáp án E bỏ trống" }]);
    expect((await questionsOf(bank.id)).list).toHaveLength(0); // nothing written before the commit

    // Another organizer cannot see or commit someone else's upload.
    const other = (await loginStaff("organizer")).cookie;
    await expect(previewPage.loader(args(req(`/admin/imports/${jobId}`, { cookie: other }), { jobId }))).rejects.toMatchObject({ status: 404 });

    const commit = (body: string) =>
      previewPage.action(args(req(`/admin/imports/${jobId}`, { method: "POST", body: new URLSearchParams({ intent: body }), cookie: organizer, headers: { "Content-Type": "application/x-www-form-urlencoded" } }), { jobId }));
    const done = (await commit("partial")) as { done: string; imported: number; skipped: number };
    expect(done).toMatchObject({ done: "committed", imported: 3, skipped: 1 });
    expect((await questionsOf(bank.id)).list).toHaveLength(3);
    // A second click (or a replayed form) imports nothing more.
    const twice = (await commit("partial")) as unknown as { data: { done: string }; init: { status: number } };
    expect(twice.init.status).toBe(409);
    expect((await questionsOf(bank.id)).list).toHaveLength(3);
  });

  it("shows a whole-file problem on the upload page without creating anything", async () => {
    const bank = await newBank();
    const r = (await importPage.action(args(upload(`/admin/banks/${bank.id}/import`, { bytes: "a,b\n1,2\n", name: "sai-mau.csv" }), { bankId: bank.id }))) as unknown as {
      data: { message: string };
      init: { status: number };
    };
    expect(r.init.status).toBe(400);
    expect(r.data.message).toMatch(/^Tệp thiếu cột bắt buộc|^Dòng 1: Tệp thiếu cột bắt buộc/);
    expect(await db().importJob.count({ where: { bankId: bank.id } })).toBe(0);
  });
});

describe("export", () => {
  it("round-trips: the bank exported as .xlsx imports into another bank as the same questions", async () => {
    const source = await newBank();
    const tag = uniq();
    const special = `Tin nhắn "=HYPERLINK(""http://x"",""y"")" ${tag} có phải công thức không?`;
    const text = `${csv(2, tag).trimEnd()}\r\nChính phủ số,"${special.replace(/"/g, '""')}",Không,Có,"+84 912",-5,A,Ghi như văn bản.,Khó\r\n`;
    expect((await importFile(source.id, { bytes: text, name: "a.csv" })).body.imported).toBe(3);

    const res = await exportXlsx.loader(args(req(`/admin/banks/${source.id}/export.xlsx`, { cookie: organizer }), { bankId: source.id }));
    expect(res.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("Content-Disposition")).toMatch(/filename\*=UTF-8''Ng%C3%A2n/);
    const bytes = new Uint8Array(await res.arrayBuffer());

    const target = await newBank();
    expect((await importFile(target.id, { bytes, name: "xuat.xlsx" })).body).toMatchObject({ imported: 3, errors: [] });
    const a = (await exportDrafts(source.id)).map((q) => q.draft);
    const b = (await exportDrafts(target.id)).map((q) => q.draft);
    expect(b).toEqual(a);
    expect(b.some((q) => q.text === special)).toBe(true);
  });

  it("round-trips through GIFT", async () => {
    const bank = await newBank();
    await importFile(bank.id, { bytes: csv(3), name: "a.csv" });
    const drafts = (await exportDrafts(bank.id)).map((q) => q.draft);
    const parsed = parseGift(toGift(drafts));
    expect(parsed.errors).toEqual([]);
    expect(parsed.questions.map((q) => q.question)).toEqual(drafts.map((d): QuestionDraft => ({ ...d, difficulty: "medium" })));
  });

  it("offers a template with the contract's headers and an example row that imports cleanly", async () => {
    const res = await templateXlsx.loader(args(req("/admin/template.xlsx", { cookie: organizer })));
    const sheet = await readQuestionSheet(new Uint8Array(await res.arrayBuffer()));
    if (!sheet.ok) throw new Error(sheet.message);
    expect(sheet.rows[0].slice(0, 8)).toEqual(["Chủ đề", "Câu hỏi", "Đáp án A", "Đáp án B", "Đáp án C", "Đáp án D", "Đáp án E", "Đáp án F"]);
    expect(sheet.rows[0]).toContain("Đáp án đúng");
    const bank = await newBank();
    const r = await importFile(bank.id, { bytes: await writeQuestionWorkbook([], { template: true }), name: "mau.xlsx" });
    expect(r.body).toMatchObject({ imported: 1, errors: [] });
  });
});

describe("editing, versions and search", () => {
  it("edits an unused question in place, but versions one already drawn into an attempt", async () => {
    const bank = await newBank();
    await importFile(bank.id, { bytes: csv(2), name: "a.csv" });
    const [unused, used] = (await questionsOf(bank.id)).list;

    const form = (q: { text: string }, text: string) =>
      new URLSearchParams({ intent: "save", topic: "Chính phủ số", text, optionA: "Đúng", optionB: "Sai", correct: "B", explanation: "Vì sao.", difficulty: "hard", status: "active", source: "Nghị quyết 57-NQ/TW" });
    const save = (id: string, body: URLSearchParams) =>
      editPage.action(args(req(`/admin/questions/${id}`, { method: "POST", body, cookie: organizer, headers: { "Content-Type": "application/x-www-form-urlencoded" } }), { questionId: id }));

    const inPlace = (await save(unused.id, form(unused, `Sửa tại chỗ ${uniq()}`))) as Response;
    expect(inPlace.headers.get("Location")).toBe(`/admin/questions/${unused.id}?saved=1`);
    expect((await getQuestion(unused.id)).options.map((o) => o.text)).toEqual(["Đúng", "Sai"]);

    // The draw of an attempt stamps firstUsedAt (timed rounds); from then on the text is frozen.
    await db().question.update({ where: { id: used.id }, data: { firstUsedAt: new Date() } });
    const before = await getQuestion(used.id);
    const versioned = (await save(used.id, form(used, `Phiên bản mới ${uniq()}`))) as Response;
    const newId = versioned.headers.get("Location")!.match(/questions\/([^?]+)/)![1];
    expect(newId).not.toBe(used.id);
    const after = await getQuestion(used.id);
    expect(after).toMatchObject({ text: before.text, status: "retired", replacedById: newId });
    expect(after.options).toEqual(before.options);
    expect(await getQuestion(newId)).toMatchObject({ version: 2, rootId: used.id, status: "active", difficulty: "hard" });
    // The retired version cannot be edited again.
    const again = (await save(used.id, form(used, "x y z"))) as unknown as { init: { status: number } };
    expect(again.init.status).toBe(409);
    // Direct model call: same rule.
    await expect(updateQuestion(used.id, { ...(await exportDrafts(bank.id))[0].draft }, "active", { id: organizerId })).rejects.toThrow();
  });

  it("reports every field error of the editor in Vietnamese", async () => {
    const bank = await newBank();
    await importFile(bank.id, { bytes: csv(1), name: "a.csv" });
    const [q] = (await questionsOf(bank.id)).list;
    const body = new URLSearchParams({ intent: "save", topic: "", text: "Có", optionA: "Một", optionB: "", optionC: "Ba", correct: "", explanation: "", difficulty: "medium", status: "active" });
    const r = (await editPage.action(
      args(req(`/admin/questions/${q.id}`, { method: "POST", body, cookie: organizer, headers: { "Content-Type": "application/x-www-form-urlencoded" } }), { questionId: q.id }),
    )) as unknown as { data: { fields: Record<string, string> }; init: { status: number } };
    expect(r.init.status).toBe(400);
    expect(r.data.fields).toMatchObject({ topic: "thiếu Chủ đề", explanation: "thiếu Giải thích", correct: "thiếu Đáp án đúng" });
    expect(r.data.fields.optionB).toMatch(/bỏ trống/);
  });

  it("finds questions with or without tone marks", async () => {
    const bank = await newBank();
    const tag = uniq();
    await importFile(bank.id, {
      bytes: `${HEADER}\nCải cách thể chế,Nghị quyết ${tag} về cải cách hành chính giai đoạn nào?,2021–2030,2011–2020,,,A,Nghị quyết 76/NQ-CP.,Dễ\nChính phủ số,Ứng dụng ${tag} nào dùng để định danh?,VNeID,Zalo,,,A,Đề án 06.,Dễ\n`,
      name: "a.csv",
    });
    const search = async (q: string) =>
      (await bankPage.loader(args(req(`/admin/banks/${bank.id}?q=${encodeURIComponent(q)}`, { cookie: organizer }), { bankId: bank.id }))).questions.map((x) => x.text);
    expect(await search("cai cach hanh chinh")).toHaveLength(1);
    expect(await search("CẢI CÁCH")).toHaveLength(1);
    expect(await search("dinh danh vneid")).toHaveLength(1);
    expect(await search(tag)).toHaveLength(2);
    expect(await search("không có từ này")).toHaveLength(0);
  });
});
