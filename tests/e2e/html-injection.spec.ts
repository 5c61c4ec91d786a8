// Question texts, options and round names are written by organizers (or arrive in an imported
// file): markup in them is shown as text, never run. A bank imported from CSV whose questions and
// options carry <script>, <img onerror> and <svg onload>, and a round whose name does too, are
// taken by a contestant in Chromium: the page shows the markup literally, no element of it exists
// in the page, and none of its scripts ran (each would have set a marker on window).
import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { apiLogin, P, registerContestant, waitForPlay } from "./play-helpers";
import { createStaff, newStaff } from "./staff";

const payload = (tag: string) => [
  `<img src=x onerror="window.__xss='${tag}-img'">`,
  `<script>window.__xss='${tag}-script'</script>`,
  `<svg onload="window.__xss='${tag}-svg'"></svg>`,
];

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function hostileCsv(): string {
  const header = ["Chủ đề", "Câu hỏi", "Đáp án A", "Đáp án B", "Đáp án C", "Đáp án D", "Đáp án đúng", "Giải thích", "Độ khó"];
  const rows = Array.from({ length: 5 }, (_, i) => {
    const [img, script, svg] = payload(`q${i}`);
    return [
      "Cải cách hành chính",
      `Câu ${i + 1} ${img} có thẻ HTML ${script}?`,
      `Phương án ${svg} A${i}`,
      `Phương án <b>đậm</b> B${i}`,
      `Phương án C${i}`,
      `Phương án D${i}`,
      "A",
      `Giải thích ${script}`,
      "Dễ",
    ];
  });
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

async function noInjectedMarkup(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss ?? null)).toBeNull();
  // None of the payload's elements made it into the document.
  expect(await page.locator('img[src="x"], svg[onload], b:text("đậm")').count()).toBe(0);
  // No script element of the payload's (the loader data in Remix's own script holds the text, escaped as \u003c).
  expect(await page.evaluate(() => [...document.scripts].some((s) => s.textContent?.trim().startsWith("window.__xss")))).toBe(false);
}

test("markup in question texts, options and round names is shown as text and never runs", async ({ page, browser }) => {
  test.slow();
  // The organizer, in a context of its own: a bank imported from the hostile CSV, and a round on it.
  const orgContext = await browser.newContext();
  const org = orgContext.request;
  const staff = await createStaff(newStaff("organizer", "Trần Văn Ra Đề"));
  await apiLogin(org, staff.email, staff.password);
  const bank = await org.post("/api/v1/admin/banks", { data: { name: `Ngân hàng <i>thẻ</i> ${randomUUID().slice(0, 6)}` } });
  expect(bank.status(), await bank.text()).toBe(201);
  const bankId = (await bank.json()).bank.id as string;
  const imported = await org.post(`/api/v1/admin/banks/${bankId}/import`, {
    multipart: { file: { name: "cau-hoi-the-html.csv", mimeType: "text/csv", buffer: Buffer.from(hostileCsv(), "utf8") } },
  });
  expect(imported.status(), await imported.text()).toBe(200);
  expect(await imported.json()).toMatchObject({ imported: 5, errors: [] });
  const roundName = `Vòng ${payload("round")[1]} ${randomUUID().slice(0, 6)}`;
  const now = Date.now();
  const created = await org.post("/api/v1/admin/rounds", {
    data: {
      name: roundName,
      opensAt: new Date(now - 60_000).toISOString(),
      closesAt: new Date(now + 3_600_000).toISOString(),
      durationSeconds: 600,
      questionCount: 5,
      maxAttempts: 1,
      bankId,
      prediction: false,
      tieBreak: ["duration", "submittedAt"],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const roundId = (await created.json()).round.id as string;
  await orgContext.close();

  // The contestant: the round page, then the play page, with every question walked through.
  await registerContestant(page.request);
  await page.goto(`/rounds/${roundId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(payload("round")[1]);
  await noInjectedMarkup(page);
  await page.getByRole("button", { name: P.start, exact: true }).click();
  await expect(page).toHaveURL(/\/attempts\/[^/]+$/);
  await waitForPlay(page);
  const html = await page.content();
  for (let i = 0; i < 5; i++) {
    // Each question's text and its hostile option are in the page as text.
    expect(html).toContain(`Câu ${i + 1} &lt;img src=x onerror="window.__xss='q${i}-img'"&gt; có thẻ HTML &lt;script&gt;`);
    expect(html).toContain(`Phương án &lt;svg onload="window.__xss='q${i}-svg'"&gt;&lt;/svg&gt; A${i}`);
  }
  await expect(page.locator('[data-testid="question"]:visible')).toContainText("<img src=x onerror=");
  await noInjectedMarkup(page);
});
