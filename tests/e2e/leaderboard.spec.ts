// The public leaderboard of the demo round, open in one browser while a new contestant, in another
// context, registers and completes an attempt through the API: the entry shows up on its own within
// a few seconds (no reload), with a masked name, and no personal data reaches the page.
import { expect, test } from "@playwright/test";
import { randomInt } from "node:crypto";
import { communeFullName } from "../../app/domain/communes";
import { maskName } from "../../app/domain/names";
import { vi } from "../../app/i18n/vi";
import { newPerson } from "./helpers";
import { demoRound, putAnswer, solvedCaptcha, startAttemptApi } from "./play-helpers";

const B = vi.boards;

test("a new result appears on an open leaderboard within seconds, without a reload and without personal data", async ({ page, browser }) => {
  test.slow();
  const round = await demoRound(page.request);
  // A commune of its own (the other e2e tests register in Phường Quy Nhơn), so the entry is easy to find.
  const communes = (await (await page.request.get("/api/v1/communes")).json()) as { code: string; name: string; type: string }[];
  const candidates = communes.filter((c) => c.code !== "21583");
  const commune = candidates[randomInt(candidates.length)];
  const boardUrl = `/rounds/${round.id}/leaderboard?commune=${commune.code}`;

  await page.goto(boardUrl);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(B.leaderboardTitle(round.name));
  await expect(page.getByTestId("order-label")).toHaveText(B.liveOrder);
  await expect(page.getByLabel(B.commune, { exact: true })).toHaveValue(commune.code);
  await expect(page.getByTestId("leaderboard-empty")).toBeVisible();
  // A marker that a reload would wipe out.
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

  // Another browser context: register, start, answer every question, submit.
  const other = await browser.newContext();
  const api = other.request;
  const person = newPerson({ group: "citizen" });
  const registered = await api.post("/api/v1/auth/register", {
    data: {
      captcha: await solvedCaptcha(api),
      fullName: person.fullName,
      nationalId: person.nationalId,
      birthDate: person.birthDate,
      gender: person.gender,
      phone: person.phone,
      email: person.email,
      communeCode: commune.code,
      group: person.group,
      workplace: person.workplace,
      password: person.password,
    },
  });
  expect(registered.status(), await registered.text()).toBe(201);
  const attempt = await startAttemptApi(api, round.id);
  for (const q of attempt.questions) {
    const saved = await putAnswer(api, attempt.id, q.id, q.options[0].id);
    expect(saved.status(), await saved.text()).toBe(200);
  }
  const submitted = await api.post(`/api/v1/attempts/${attempt.id}/submit`, { data: { prediction: 7 } });
  expect(submitted.status(), await submitted.text()).toBe(200);
  const result = (await submitted.json()).result as { correctCount: number; questionCount: number };
  const submittedAt = Date.now();

  // The open page picks it up by itself.
  const masked = maskName(person.fullName);
  const entry = page.getByTestId("leaderboard-entry").filter({ hasText: masked });
  await expect(entry).toBeVisible({ timeout: 6_000 });
  const seenAfterMs = Date.now() - submittedAt;
  test.info().annotations.push({ type: "appeared after", description: `${seenAfterMs} ms` });
  await expect(entry).toContainText(communeFullName(commune));
  await expect(entry).toContainText(B.score(result.correctCount, result.questionCount));
  await expect(entry.locator("td").first()).toHaveText("1");
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

  // Nothing personal: neither in the live page nor in the HTML the server renders.
  const fresh = await page.request.get(boardUrl);
  expect(fresh.status()).toBe(200);
  const html = await fresh.text();
  expect(html).toContain(masked);
  const [y, m, d] = person.birthDate.split("-");
  for (const text of [await page.content(), html]) {
    expect(text).not.toContain(person.fullName);
    expect(text).not.toContain(person.nationalId);
    expect(text).not.toContain(person.phone);
    expect(text).not.toContain(person.phone.slice(1)); // +84 form without the leading 0
    expect(text).not.toContain(person.birthDate);
    expect(text).not.toContain(`${d}/${m}/${y}`);
    expect(text).not.toContain(person.email);
  }
  await other.close();
});
