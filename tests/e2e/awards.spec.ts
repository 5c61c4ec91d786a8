// The judges' awards workflow in a real browser: a short round that three contestants take through
// the API closes; a judge opens its awards page, saves the default prize plan, allocates, verifies
// the first winner and publishes; the public results page then shows masked names only. The
// whole-contest page renders too (its rounds are not all closed, so it says so).
import { expect, test, type APIRequestContext } from "@playwright/test";
import { maskName } from "../../app/domain/names";
import { vi } from "../../app/i18n/vi";
import { createStaff, newStaff, submitLogin } from "./staff";
import { answerKey, createRoundApi, organizerWithBank, putAnswer, registerContestant, startAttemptApi } from "./play-helpers";

const A = vi.awards;

/** Starts, answers `right` questions correctly (the rest wrongly) and submits with a prediction. */
async function takeRound(request: APIRequestContext, roundId: string, right: number, prediction: number) {
  const attempt = await startAttemptApi(request, roundId);
  const key = answerKey(attempt.id);
  for (const [i, q] of attempt.questions.entries()) {
    const optionId = i < right ? key[q.id] : q.options.find((o) => o.id !== key[q.id])!.id;
    expect((await putAnswer(request, attempt.id, q.id, optionId)).status()).toBe(200);
  }
  const submitted = await request.post(`/api/v1/attempts/${attempt.id}/submit`, { data: { prediction } });
  expect(submitted.status(), await submitted.text()).toBe(200);
}

test("a judge allocates, verifies and publishes a round's prizes; the public page masks the names", async ({ page, browser }) => {
  test.slow();
  const orgContext = await browser.newContext();
  const org = await organizerWithBank(orgContext.request);
  const closesAt = Date.now() + 20_000;
  const round = await createRoundApi(org, { opensAt: new Date(Date.now() - 60_000), closesAt: new Date(closesAt), questionCount: 3 });

  // Three contestants: 3, 2 and 1 correct answers.
  const people = [];
  for (const right of [3, 2, 1]) {
    const ctx = await browser.newContext();
    const person = await registerContestant(ctx.request);
    await takeRound(ctx.request, round.id, right, 1);
    people.push(person);
    await ctx.close();
  }
  await page.waitForTimeout(Math.max(0, closesAt + 500 - Date.now()));

  const judge = await createStaff(newStaff("judge", "Lê Thị Giám Khảo"));
  await page.goto(`/login?redirectTo=${encodeURIComponent(`/judge/rounds/${round.id}/awards`)}`);
  await submitLogin(page, judge.email, judge.password);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${A.title}: ${round.name}`);
  const rows = page.getByTestId("ranking-row");
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText(people[0].fullName);

  // The default plan (Nhất 1, Nhì 1, Ba 1, Khuyến khích 5), saved as it is.
  await page.getByRole("button", { name: A.savePlan }).click();
  await expect(page.getByRole("button", { name: A.allocate })).toBeVisible();
  await page.getByRole("button", { name: A.allocate }).click();
  const winners = page.getByTestId("winners").locator("li");
  await expect(winners).toHaveCount(3);
  await expect(winners.nth(0)).toContainText(`Giải Nhất · ${A.columns.rank} 1 · ${people[0].fullName}`);
  await expect(winners.nth(2)).toContainText(`Giải Ba · ${A.columns.rank} 3 · ${people[2].fullName}`);
  // "Khuyến khích" has no one left: reported, not invented.
  await expect(page.getByText(A.unfilled("Giải Khuyến khích", 5))).toBeVisible();

  await winners.nth(0).getByRole("button", { name: A.verify }).click();
  await expect(winners.nth(0)).toContainText(A.verified);
  await page.getByRole("button", { name: A.publish }).click();
  await expect(page.getByText(/^Đã công bố lúc/)).toBeVisible();

  // Public results: masked names, nothing personal.
  const publicPage = await browser.newPage();
  await publicPage.goto(`/rounds/${round.id}/results`);
  await expect(publicPage.getByRole("heading", { level: 1 })).toHaveText(A.resultsTitle(round.name));
  const list = publicPage.getByTestId("public-winners").locator("li");
  await expect(list).toHaveCount(3);
  await expect(list.nth(0)).toContainText(maskName(people[0].fullName));
  const html = await publicPage.content();
  for (const p of people) {
    expect(html).not.toContain(p.nationalId);
    expect(html).not.toContain(p.phone);
  }
  await publicPage.close();

  // The whole contest's page, from the judges' home.
  await page.goto("/judge");
  await page.getByRole("link", { name: A.wholeContestTitle }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(A.wholeContestTitle);
  await orgContext.close();
});
