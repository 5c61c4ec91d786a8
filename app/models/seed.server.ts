// First-start data: the communes (always, idempotently) and, outside production, a demo contest.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { db } from "~/utils/db.server";
import { insertQuestions } from "./question-bank.server";
import { upsertStaff, type StaffInput } from "./user.server";

export const DEMO_CONTEST_TITLE = "Cuộc thi trực tuyến tìm hiểu về cải cách hành chính tỉnh Gia Lai năm 2025";

const demoQuestionSchema = z.object({
  topic: z.string().min(1),
  text: z.string().min(1),
  options: z.array(z.string().min(1)).length(4),
  correct: z.number().int().min(0).max(3),
  explanation: z.string().min(1),
  source: z.string().min(1),
  difficulty: z.enum(["easy", "medium", "hard"]),
});
export type DemoQuestion = z.infer<typeof demoQuestionSchema>;

export function readDemoQuestions(file = path.resolve("prisma", "demo", "questions.json")): DemoQuestion[] {
  return z.array(demoQuestionSchema).parse(JSON.parse(fs.readFileSync(file, "utf8")));
}

export interface DemoCredential {
  role: StaffInput["role"];
  email: string;
  password: string;
  fullName: string;
}

const DEMO_STAFF: Omit<DemoCredential, "password">[] = [
  { role: "organizer", email: "bantochuc@demo.local", fullName: "Ban Tổ chức (tài khoản mẫu)" },
  { role: "judge", email: "giamkhao@demo.local", fullName: "Ban Giám khảo (tài khoản mẫu)" },
  { role: "admin", email: "quantri@demo.local", fullName: "Quản trị hệ thống (tài khoản mẫu)" },
  { role: "commune_officer", email: "canboxa@demo.local", fullName: "Cán bộ đầu mối phường Quy Nhơn (tài khoản mẫu)" },
];

const DAY = 24 * 60 * 60 * 1000;

/** True when nothing but reference data is in the database (a first start). */
export async function isEmptyDatabase(): Promise<boolean> {
  const [contests, users] = await Promise.all([db().contest.count(), db().user.count()]);
  return contests === 0 && users === 0;
}

/** The demo contest: one round open now, one upcoming; demo staff with fresh random passwords. */
export async function seedDemo(now: Date): Promise<DemoCredential[]> {
  const questions = readDemoQuestions();
  await db().$transaction(async (tx) => {
    const bank = await tx.questionBank.create({ data: { name: "Ngân hàng câu hỏi mẫu về cải cách hành chính" } });
    const drafts = questions.map((q) => ({ ...q }));
    await insertQuestions(tx, bank.id, drafts, { id: null });
    await tx.contest.create({
      data: {
        title: DEMO_CONTEST_TITLE,
        description:
          "Cuộc thi tìm hiểu về công tác cải cách hành chính theo Kế hoạch số 27/KH-UBND ngày 07/8/2025 của Ủy ban nhân dân tỉnh Gia Lai.",
        rounds: {
          create: [
            {
              name: "Vòng 1",
              opensAt: new Date(now.getTime() - DAY),
              closesAt: new Date(now.getTime() + 14 * DAY),
              durationSeconds: 20 * 60,
              questionCount: 20,
              maxAttempts: 3,
              bankId: bank.id,
            },
            {
              name: "Vòng 2",
              opensAt: new Date(now.getTime() + 14 * DAY),
              closesAt: new Date(now.getTime() + 28 * DAY),
              durationSeconds: 20 * 60,
              questionCount: 20,
              maxAttempts: 3,
              bankId: bank.id,
            },
          ],
        },
      },
    });
  });
  const credentials: DemoCredential[] = [];
  for (const s of DEMO_STAFF) {
    const password = randomBytes(9).toString("base64url");
    await upsertStaff({ ...s, password, communeCode: s.role === "commune_officer" ? "21583" : undefined });
    credentials.push({ ...s, password });
  }
  return credentials;
}
