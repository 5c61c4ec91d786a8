// Taking a round as a contestant, on a phone-sized screen: a full attempt of the demo "Vòng 1",
// answers and time surviving a reload and a change of device, the offline answer queue, the
// countdown reaching zero, no answer key in the browser, and the plain form without JavaScript.
// The server's side is checked by reading the e2e SQLite database directly (read-only).
import { expect, test, type Page } from "@playwright/test";
import { randomInt } from "node:crypto";
import {
  answerCurrent,
  apiLogin,
  answerKey,
  attemptIdFromUrl,
  attemptRow,
  capture,
  countCorrect,
  countdown,
  createRoundApi,
  currentQuestion,
  demoRound,
  explanationsOf,
  getAttemptApi,
  localQueue,
  nextQuestion,
  organizerWithBank,
  P,
  playBar,
  putAnswer,
  questionIdOf,
  registerContestant,
  savedAnswers,
  secondsOnClock,
  startAttemptApi,
  waitForPlay,
} from "./play-helpers";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** From the round page: "Bắt đầu làm bài", then the hydrated play page. Returns the attempt id. */
async function startFromRoundPage(page: Page, roundId: string): Promise<string> {
  await page.goto(`/rounds/${roundId}`);
  await page.getByRole("button", { name: P.start, exact: true }).click();
  await expect(page).toHaveURL(/\/attempts\/[^/]+$/);
  await waitForPlay(page);
  return attemptIdFromUrl(page.url());
}

/** Chooses answers for the first `n` questions with "Câu sau"; returns what was chosen. */
async function answerFirst(page: Page, n: number, total: number): Promise<Record<string, string>> {
  const chosen: Record<string, string> = {};
  for (let i = 1; i <= n; i++) {
    await expect(page.getByTestId("progress")).toHaveText(P.question(i, total));
    const a = await answerCurrent(page);
    chosen[a.questionId] = a.optionId;
    await expect(page.getByTestId("answered")).toHaveText(P.answered(i, total));
    if (i < n) await nextQuestion(page);
  }
  return chosen;
}

/** Walks from question 1 with "Câu sau" and checks the radio chosen for each question in `chosen`. */
async function expectChosenStillChecked(page: Page, chosen: Record<string, string>, total: number) {
  const wanted = new Set(Object.keys(chosen));
  for (let i = 1; wanted.size > 0 && i <= total; i++) {
    await expect(page.getByTestId("progress")).toHaveText(P.question(i, total));
    const q = currentQuestion(page);
    const id = await questionIdOf(q);
    if (chosen[id]) {
      await expect(q.locator(`input[type="radio"][value="${chosen[id]}"]`)).toBeChecked();
      await expect(q.locator('input[type="radio"]:checked')).toHaveCount(1);
      wanted.delete(id);
    } else {
      await expect(q.locator('input[type="radio"]:checked')).toHaveCount(0);
    }
    if (wanted.size > 0) await nextQuestion(page);
  }
  expect([...wanted]).toEqual([]);
}

test.describe("a full attempt of the demo round", () => {
  test("home → round rules → 20 answers (one jump with the overview) → prediction → result counted in the history", async ({ page }) => {
    test.slow(); // twenty questions, each answer saved before moving on
    await registerContestant(page.request);

    await page.goto("/");
    const round = page.getByTestId("round").filter({ has: page.getByRole("link", { name: "Vòng 1", exact: true }) });
    await expect(round).toContainText("Đang diễn ra");
    await round.getByRole("link", { name: "Vòng 1", exact: true }).click();
    await expect(page).toHaveURL(/\/rounds\/[^/]+$/);
    const roundPath = new URL(page.url()).pathname;

    // The rules, before starting.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vòng 1");
    await expect(page.getByRole("heading", { name: P.rulesTitle })).toBeVisible();
    await expect(page.getByText(P.rules(20, 20))).toBeVisible();
    await expect(page.getByText(P.predictionRule)).toBeVisible();
    await expect(page.getByText(P.attemptsLeft(3, 3))).toBeVisible();
    await page.getByRole("button", { name: P.start, exact: true }).click();
    await expect(page).toHaveURL(/\/attempts\/[^/]+$/);
    await waitForPlay(page);
    const attemptId = attemptIdFromUrl(page.url());
    const total = 20;
    await expect(page.getByTestId("answered")).toHaveText(P.answered(0, total));
    await expect(currentQuestion(page)).toHaveCount(1);
    await expect(page.getByTestId("question")).toHaveCount(total);
    await expect(page.getByRole("button", { name: P.prev, exact: true })).toBeDisabled();
    await capture(page, "play-question");

    // Questions 1–10 in order.
    const chosen = await answerFirst(page, 10, total);
    await nextQuestion(page);
    await expect(page.getByTestId("progress")).toHaveText(P.question(11, total));

    // The overview grid: 1–10 answered, 11 current; jump to the last question.
    await page.getByRole("button", { name: P.overview, exact: true }).click();
    const grid = page.getByTestId("overview");
    await expect(grid.getByRole("button")).toHaveCount(total);
    await expect(grid.getByRole("button", { name: P.goTo(11), exact: true })).toHaveAttribute("aria-current", "step");
    await capture(page, "play-overview");
    await grid.getByRole("button", { name: P.goTo(20), exact: true }).click();
    await expect(grid).toHaveCount(0);
    await expect(page.getByTestId("progress")).toHaveText(P.question(20, total));
    await expect(page.getByRole("button", { name: P.next, exact: true })).toBeDisabled();
    const last = await answerCurrent(page);
    chosen[last.questionId] = last.optionId;
    await expect(page.getByTestId("answered")).toHaveText(P.answered(11, total));

    // Back to 11 through the grid, then 11–19 with "Câu sau".
    await page.getByRole("button", { name: P.overview, exact: true }).click();
    await grid.getByRole("button", { name: P.goTo(11), exact: true }).click();
    for (let i = 11; i <= 19; i++) {
      await expect(page.getByTestId("progress")).toHaveText(P.question(i, total));
      const a = await answerCurrent(page);
      chosen[a.questionId] = a.optionId;
      await expect(page.getByTestId("answered")).toHaveText(P.answered(i + 1, total));
      if (i < 19) await nextQuestion(page);
    }
    expect(Object.keys(chosen)).toHaveLength(total);
    await expect(page.getByTestId("answered")).toHaveText(P.answered(20, total));
    await expect(page.getByTestId("save-status")).toHaveText(P.saved);

    // Submit: the confirmation asks for the prediction first.
    await page.getByRole("button", { name: P.finish, exact: true }).click();
    const confirm = page.getByTestId("confirm");
    await expect(confirm.getByRole("heading", { name: P.confirmTitle })).toBeVisible();
    await expect(confirm).toContainText(P.allAnswered);
    await confirm.getByRole("button", { name: P.confirmSubmit, exact: true }).click();
    await expect(confirm.locator("#prediction")).toHaveAttribute("aria-invalid", "true");
    await expect(confirm.locator("#prediction-hint")).not.toHaveText(P.predictionHint);
    await confirm.locator("#prediction").fill("137");
    await expect(confirm.locator("#prediction-hint")).toHaveText(P.predictionHint);
    await capture(page, "play-confirm");
    await confirm.getByRole("button", { name: P.confirmSubmit, exact: true }).click();

    await expect(page).toHaveURL(new RegExp(`/attempts/${attemptId}/result$`));
    const result = page.getByTestId("result");
    await expect(result.getByRole("heading", { level: 1 })).toHaveText(P.resultTitle);

    // The key, read from the database after the attempt; the server has exactly what was chosen.
    const key = answerKey(attemptId);
    expect(Object.keys(key)).toHaveLength(total);
    expect(savedAnswers(attemptId)).toEqual(chosen);
    const correct = countCorrect(chosen, key);
    await expect(page.getByTestId("score")).toHaveText(`Bạn trả lời đúng ${correct}/20 câu.`);
    await expect(result).toContainText(P.predictionLine(137));
    await expect(result).not.toContainText(P.expiredNote);
    expect(attemptRow(attemptId)).toMatchObject({ status: "submitted", correctCount: correct, prediction: 137 });
    // Answers are revealed after the round closes, not now.
    await expect(page.getByText(P.reviewLater)).toBeVisible();
    await capture(page, "result");

    // The round page's history lists the attempt as the one that counts.
    await result.getByRole("link", { name: P.backToRound, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${roundPath}$`));
    const history = page.getByTestId("attempt-history").getByRole("listitem");
    await expect(history).toHaveCount(1);
    await expect(history.first()).toContainText(`${P.attemptN(1)} · ${P.status.submitted} · ${correct}/20`);
    await expect(history.first()).toContainText(P.counting);
    await expect(history.first().getByRole("link", { name: P.viewResult })).toHaveAttribute("href", `/attempts/${attemptId}/result`);
    await expect(page.getByText(P.attemptsLeft(2, 3))).toBeVisible();
  });
});

test.describe("answers and time survive a reload and a change of device", () => {
  test("reload keeps the chosen answers and the countdown; a new browser context after logging in shows the same", async ({ page, browser }) => {
    const person = await registerContestant(page.request);
    const round = await demoRound(page.request);
    const attemptId = await startFromRoundPage(page, round.id);
    const total = round.questionCount;

    const chosen = await answerFirst(page, 3, total);
    await expect(page.getByTestId("save-status")).toHaveText(P.saved);
    expect(savedAnswers(attemptId)).toEqual(chosen);
    const { deadlineAt } = await getAttemptApi(page.request, attemptId);
    const deadline = Date.parse(deadlineAt);
    // The test runs on the server's machine: both read the same clock.
    const expectClockRight = async (p: Page) => {
      const shown = await secondsOnClock(p);
      const expected = (deadline - Date.now()) / 1000;
      expect(Math.abs(shown - expected), `countdown ${shown}s, expected ≈ ${expected.toFixed(1)}s`).toBeLessThanOrEqual(3);
      return shown;
    };
    const before = await expectClockRight(page);
    const t0 = Date.now();
    await page.waitForTimeout(2_200); // let the clock move, so "kept" cannot mean "restarted"

    await test.step("reload", async () => {
      await page.reload();
      await waitForPlay(page);
      await expect(page.getByTestId("answered")).toHaveText(P.answered(3, total));
      const after = await expectClockRight(page);
      expect(Math.abs(after - (before - (Date.now() - t0) / 1000))).toBeLessThanOrEqual(3);
      expect(after).toBeLessThan(before);
      await expect(page.getByTestId("progress")).toHaveText(P.question(1, total));
      await expectChosenStillChecked(page, chosen, total);
    });

    await test.step("close the tab, log in on another device", async () => {
      const url = page.url();
      await page.close();
      const other = await browser.newContext();
      try {
        const phone = await other.newPage();
        expect(phone.viewportSize()).toEqual({ width: 390, height: 844 });
        await phone.goto(new URL(url).pathname);
        await expect(phone).toHaveURL(/\/login\?redirectTo=/);
        // Logged in through the API of this new context (its cookie is the page's): the login form
        // and its captcha are another test's subject.
        await apiLogin(other.request, person.phone, person.password);
        await phone.goto(new URL(url).pathname);
        await expect(phone).toHaveURL(new RegExp(`/attempts/${attemptId}$`));
        await waitForPlay(phone);
        await expect(phone.getByTestId("answered")).toHaveText(P.answered(3, total));
        await expectClockRight(phone);
        // Nothing of the first device's local queue here: the answers come from the server.
        expect(await localQueue(phone, attemptId)).toBeNull();
        await expectChosenStillChecked(phone, chosen, total);
        // The round page offers to resume, not to start a second attempt.
        await phone.goto(`/rounds/${round.id}`);
        await expect(phone.getByRole("link", { name: P.resume, exact: true }).first()).toHaveAttribute("href", `/attempts/${attemptId}`);
        await expect(phone.getByRole("button", { name: P.start })).toHaveCount(0);
      } finally {
        await other.close();
      }
    });
  });
});

test.describe("the offline answer queue", () => {
  test("answers chosen offline wait on the phone, reach the server once online, and survive a closed page", async ({ page, context }) => {
    await registerContestant(page.request);
    const round = await demoRound(page.request);
    const attemptId = await startFromRoundPage(page, round.id);
    const total = round.questionCount;
    const status = page.getByTestId("save-status");
    const banner = page.getByTestId("offline-banner");

    await test.step("three answers while offline", async () => {
      await context.setOffline(true);
      const chosen = await answerFirst(page, 3, total);
      await expect(banner).toBeVisible();
      await expect(banner).toHaveText(P.offline);
      await expect(status).toHaveText(P.retrying(3));
      await capture(page, "play-offline");
      // Kept on the phone, not on the server.
      expect(await localQueue(page, attemptId)).toEqual(chosen);
      expect(savedAnswers(attemptId)).toEqual({});

      await context.setOffline(false);
      const online = Date.now();
      await expect.poll(() => savedAnswers(attemptId), { timeout: 6_000 }).toEqual(chosen);
      await expect(status).toHaveText(P.saved, { timeout: 6_000 });
      await expect(banner).toHaveCount(0);
      expect(Date.now() - online).toBeLessThan(6_000);
      expect(await localQueue(page, attemptId)).toBeNull();
    });

    await test.step("two more offline, the page closed before the network comes back", async () => {
      const before = savedAnswers(attemptId);
      await context.setOffline(true);
      await nextQuestion(page);
      await expect(page.getByTestId("progress")).toHaveText(P.question(4, total));
      const four = await answerCurrent(page);
      await nextQuestion(page);
      const five = await answerCurrent(page);
      const queued = { [four.questionId]: four.optionId, [five.questionId]: five.optionId };
      await expect(status).toHaveText(P.retrying(2));
      expect(await localQueue(page, attemptId)).toEqual(queued);
      await page.close();
      expect(savedAnswers(attemptId)).toEqual(before);

      await context.setOffline(false);
      const again = await context.newPage();
      await again.goto(`/attempts/${attemptId}`);
      await waitForPlay(again);
      await expect.poll(() => savedAnswers(attemptId), { timeout: 6_000 }).toEqual({ ...before, ...queued });
      await expect(again.getByTestId("answered")).toHaveText(P.answered(5, total));
      await expect(again.getByTestId("save-status")).toHaveText(P.saved);
      expect(await localQueue(again, attemptId)).toBeNull();
    });
  });
});

test.describe("the countdown reaching zero", () => {
  test("the page submits by itself at zero with the saved answers; later answers are refused (409)", async ({ page, playwright, baseURL }) => {
    test.setTimeout(90_000);
    const orgRequest = await playwright.request.newContext({ baseURL });
    const otherRequest = await playwright.request.newContext({ baseURL });
    try {
      const org = await organizerWithBank(orgRequest);
      const now = Date.now();
      const round = await createRoundApi(org, {
        opensAt: new Date(now - 60_000),
        closesAt: new Date(now + 25_000),
        durationSeconds: 600,
        questionCount: 5,
        maxAttempts: 1,
      });
      await registerContestant(page.request);
      const attemptId = await startFromRoundPage(page, round.id);
      const { deadlineAt } = await getAttemptApi(page.request, attemptId);
      const deadline = Date.parse(deadlineAt);
      // Cut at the round's close, not ten minutes from now.
      expect(deadline).toBe(Date.parse(round.closesAt));
      const left = await secondsOnClock(page);
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(25);
      await expect(countdown(page)).toHaveClass(/text-red-700/); // under a minute

      // A second contestant, through the API only, who never submits.
      await registerContestant(otherRequest);
      const other = await startAttemptApi(otherRequest, round.id);
      expect(Date.parse(other.deadlineAt)).toBe(deadline);
      const otherKey = answerKey(other.id);
      const [o1, o2, o3] = other.questions;
      expect((await putAnswer(otherRequest, other.id, o1.id, otherKey[o1.id])).status()).toBe(200);

      // Two answers on the page: the first right, the second wrong.
      const key = answerKey(attemptId);
      const q1 = await questionIdOf(currentQuestion(page));
      const a1 = await answerCurrent(page, { optionId: key[q1] });
      await nextQuestion(page);
      const q2 = await questionIdOf(currentQuestion(page));
      const wrong = await currentQuestion(page).locator(`input[type="radio"]:not([value="${key[q2]}"])`).first().getAttribute("value");
      const a2 = await answerCurrent(page, { optionId: wrong! });
      await expect(page.getByTestId("save-status")).toHaveText(P.saved);
      expect(savedAnswers(attemptId)).toEqual({ [a1.questionId]: a1.optionId, [a2.questionId]: a2.optionId });
      expect(Date.now()).toBeLessThan(deadline); // all this happened in time

      // No click on "Nộp bài": the page submits by itself at zero.
      await expect(page).toHaveURL(new RegExp(`/attempts/${attemptId}/result$`), { timeout: deadline - Date.now() + 10_000 });
      expect(Date.now()).toBeGreaterThanOrEqual(deadline - 1_000);
      const score = page.getByTestId("score");
      await expect(score).toHaveText(P.resultLine(1, 5));
      const row = attemptRow(attemptId);
      expect(["submitted", "expired"]).toContain(row.status);
      test.info().annotations.push({ type: "auto-submitted attempt", description: `status ${row.status}, prediction ${row.prediction}` });
      expect(row.correctCount).toBe(1);
      if (row.status === "expired") await expect(page.getByTestId("result")).toContainText(P.expiredNote);
      await capture(page, "result-timeup");

      // The page's own attempt is closed: a late answer is refused.
      const late = await putAnswer(page.request, attemptId, q2, key[q2]);
      expect(late.status()).toBe(409);
      expect(await late.json()).toMatchObject({ error: { code: "ATTEMPT_CLOSED" } });

      // The other contestant: within the network grace (GRACE_MS = 5 s) an answer still lands …
      const graceAt = deadline + 1_000;
      if (Date.now() < graceAt) await page.waitForTimeout(graceAt - Date.now());
      const inGrace = await putAnswer(otherRequest, other.id, o2.id, otherKey[o2.id]);
      expect(Date.now()).toBeLessThan(deadline + 5_000);
      expect(inGrace.status(), await inGrace.text()).toBe(200);
      // … after it, 409, and the server closes the attempt as expired with what it had.
      const lateAt = deadline + 6_000;
      await page.waitForTimeout(Math.max(0, lateAt - Date.now()));
      const afterGrace = await putAnswer(otherRequest, other.id, o3.id, otherKey[o3.id]);
      expect(afterGrace.status()).toBe(409);
      expect(await afterGrace.json()).toMatchObject({ error: { code: "ATTEMPT_CLOSED" } });
      expect(savedAnswers(other.id)).toEqual({ [o1.id]: otherKey[o1.id], [o2.id]: otherKey[o2.id] });
      expect(attemptRow(other.id)).toMatchObject({ status: "expired", correctCount: 2 });
    } finally {
      await orgRequest.dispose();
      await otherRequest.dispose();
    }
  });
});

test.describe("answers revealed after the round closes", () => {
  // With revealAnswers "after_close", answers are still accepted until the close + GRACE_MS (5 s),
  // so the key must not appear before then (a second account could still change its answers).

  test("the key is not shown while answers are still accepted in the network grace", async ({ page, playwright, baseURL }) => {
    test.setTimeout(60_000);
    const orgRequest = await playwright.request.newContext({ baseURL });
    const otherRequest = await playwright.request.newContext({ baseURL });
    try {
      const org = await organizerWithBank(orgRequest);
      const closesAt = Date.now() + 12_000;
      const round = await createRoundApi(org, { opensAt: new Date(Date.now() - 60_000), closesAt: new Date(closesAt), questionCount: 3, prediction: false });

      // A takes the round and submits before the close.
      await registerContestant(page.request);
      const a = await startAttemptApi(page.request, round.id);
      expect((await putAnswer(page.request, a.id, a.questions[0].id, a.questions[0].options[0].id)).status()).toBe(200);
      expect((await page.request.post(`/api/v1/attempts/${a.id}/submit`, { data: { prediction: null } })).status()).toBe(200);
      // B is still answering when the round closes.
      await registerContestant(otherRequest);
      const b = await startAttemptApi(otherRequest, round.id);
      expect(Date.parse(b.deadlineAt)).toBe(Date.parse(round.closesAt));

      await page.waitForTimeout(Math.max(0, closesAt + 1_000 - Date.now()));
      // One second after the close B's answer is still accepted (grace) …
      const late = await putAnswer(otherRequest, b.id, b.questions[0].id, b.questions[0].options[1].id);
      expect(late.status()).toBe(200);
      // … so at this moment A's result page must not show the key yet.
      await page.goto(`/attempts/${a.id}/result`);
      await expect(page.getByTestId("score")).toBeVisible();
      expect(Date.now()).toBeLessThan(closesAt + 5_000);
      expect(await page.getByRole("heading", { name: P.reviewTitle }).count(), "answer key shown during the grace").toBe(0);
      await expect(page.getByText(P.reviewLater)).toBeVisible();

      // Once the grace is over, it is.
      await page.waitForTimeout(Math.max(0, closesAt + 6_000 - Date.now()));
      await page.reload();
      await expect(page.getByRole("heading", { name: P.reviewTitle })).toBeVisible();
    } finally {
      await orgRequest.dispose();
      await otherRequest.dispose();
    }
  });
});

test.describe("no answer key in the browser", () => {
  test("the play page's HTML, its Remix data and the attempt API tell no correct option apart", async ({ page }) => {
    await registerContestant(page.request);
    const round = await demoRound(page.request);
    const started = await startAttemptApi(page.request, round.id);
    const attemptId = started.id;
    const key = answerKey(attemptId);
    const explanations = explanationsOf(attemptId);
    expect(explanations.length).toBe(round.questionCount);

    const response = await page.goto(`/attempts/${attemptId}`);
    expect(response?.status()).toBe(200);
    const raw = await response!.text();
    await waitForPlay(page);
    // Answer one, so a chosen option is in the data too.
    await answerCurrent(page);
    await expect(page.getByTestId("save-status")).toHaveText(P.saved);
    const dom = await page.content();
    const apiRes = await page.request.get(`/api/v1/attempts/${attemptId}`);
    expect(apiRes.status()).toBe(200);
    const json = await apiRes.text();
    const attempt = JSON.parse(json).attempt as typeof started;

    // The Remix context scripts of the server's HTML (with single fetch, the loader data streams in
    // as `window.__remixContext.streamController.enqueue(…)`): the attempt is there, the key is not.
    const context = [...raw.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)]
      .map((m) => m[1])
      .filter((s) => s.includes("__remixContext"))
      .join("\n");
    expect(context).toContain("streamController.enqueue");
    expect(context).toContain(attemptId);
    for (const q of attempt.questions) expect(context).toContain(q.id);

    for (const [name, text] of [
      ["API JSON", json],
      ["Remix context", context],
      ["raw HTML", raw],
      ["DOM", dom],
    ] as const) {
      expect(text, name).not.toMatch(/correct|isCorrect|explanation|giải thích/i);
      for (const e of explanations) expect(text.includes(e), `${name} contains an explanation`).toBe(false);
    }
    // The JSON's shape: questions with {id, text, options: [{id, text}]} and nothing else.
    for (const q of attempt.questions) {
      expect(Object.keys(q).sort()).toEqual(["id", "options", "text"]);
      for (const o of q.options) expect(Object.keys(o).sort()).toEqual(["id", "text"]);
    }

    // Nor elsewhere within a contestant's reach: the result page of the running attempt, the
    // organizers' question list.
    // (a running attempt has no result page: it sends the contestant back to the attempt).
    const early = await page.request.get(`/attempts/${attemptId}/result`, { maxRedirects: 0 });
    expect(early.status()).toBe(302);
    expect(early.headers()["location"]).toBe(`/attempts/${attemptId}`);
    expect((await page.request.get(`/api/v1/admin/banks/${encodeURIComponent("any")}/questions`)).status()).toBe(403);

    // Option ids are random UUIDs: no order, no pattern that marks the right one.
    const displayIndexOfCorrect: number[] = [];
    for (const q of attempt.questions) {
      const ids = q.options.map((o) => o.id);
      for (const id of ids) expect(id).toMatch(UUID);
      expect(ids).toContain(key[q.id]);
      displayIndexOfCorrect.push(ids.indexOf(key[q.id]));
      // Every option id appears equally often in the HTML and in the Remix data …
      for (const [name, text] of [
        ["raw HTML", raw],
        ["Remix context", context],
      ] as const) {
        const counts = ids.map((id) => text.split(id).length - 1);
        expect(new Set(counts).size, `${name}: ${counts.join(",")}`).toBe(1);
      }
    }
    // … the right one is not always in the same place …
    expect(new Set(displayIndexOfCorrect).size).toBeGreaterThan(1);
    // … and on the page every option's markup is the same but for its id and text.
    for (const fieldset of await page.getByTestId("question").all()) {
      const shapes = await fieldset.locator("label").evaluateAll((labels) =>
        labels.map((l) => {
          const input = l.querySelector("input")!;
          const attrs = Array.from(input.attributes)
            .filter((a) => a.name !== "value" && a.name !== "checked")
            .map((a) => `${a.name}=${a.name === "name" ? "q" : a.value}`)
            .sort()
            .join(" ");
          const data = Object.keys(l.dataset).concat(Object.keys(input.dataset)).join(",");
          return `${input.checked ? "" : l.className}|${attrs}|${data}`;
        }),
      );
      const unchecked = shapes.filter((s) => !s.startsWith("|"));
      expect(new Set(unchecked).size, unchecked.join("\n")).toBe(1);
    }
  });
});

test.describe("the result address of an attempt still running", () => {
  // An attempt in progress has no result yet: the result address sends the contestant back to it.

  test("opening /attempts/:id/result mid-attempt does not show a score", async ({ page }) => {
    await registerContestant(page.request);
    const round = await demoRound(page.request);
    const a = await startAttemptApi(page.request, round.id);
    expect((await putAnswer(page.request, a.id, a.questions[0].id, answerKey(a.id)[a.questions[0].id])).status()).toBe(200);
    await page.goto(`/attempts/${a.id}/result`);
    await expect(page.getByRole("main")).toBeVisible();
    expect(await page.getByTestId("score").count(), `a score is shown for an attempt in progress at ${page.url()}`).toBe(0);
    await expect(page).toHaveURL(new RegExp(`/attempts/${a.id}$`));
    expect(attemptRow(a.id).status).toBe("in_progress");
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the round page's form starts the attempt; the full form with radios and the prediction submits it", async ({ page }) => {
    await registerContestant(page.request);
    const round = await demoRound(page.request);

    await page.goto("/");
    await page.getByRole("link", { name: "Vòng 1", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/rounds/${round.id}$`));
    await page.getByRole("button", { name: P.start, exact: true }).click();
    await expect(page).toHaveURL(/\/attempts\/[^/]+$/);
    const attemptId = attemptIdFromUrl(page.url());

    // No bar, no countdown: every question is on the page, with a note on how to proceed.
    await expect(playBar(page)).toHaveCount(0);
    await expect(page.getByText(P.noScript, { exact: false })).toBeVisible();
    const questions = page.getByTestId("question");
    await expect(questions).toHaveCount(round.questionCount);
    for (const q of await questions.all()) await expect(q).toBeVisible();

    // Seven questions answered, the rest left blank.
    const chosen: Record<string, string> = {};
    for (const i of [0, 1, 2, 5, 8, 13, 19]) {
      const q = questions.nth(i);
      const radio = q.getByRole("radio").nth(randomInt(4));
      await radio.check();
      chosen[await questionIdOf(q)] = (await radio.getAttribute("value"))!;
    }
    expect(savedAnswers(attemptId)).toEqual({}); // nothing is saved before the form is sent
    await page.getByLabel(P.predictionQuestion, { exact: true }).fill("42");
    await page.getByRole("button", { name: P.finish, exact: true }).click();

    await expect(page).toHaveURL(new RegExp(`/attempts/${attemptId}/result$`));
    expect(savedAnswers(attemptId)).toEqual(chosen);
    const correct = countCorrect(chosen, answerKey(attemptId));
    await expect(page.getByTestId("score")).toHaveText(P.resultLine(correct, round.questionCount));
    await expect(page.getByTestId("result")).toContainText(P.predictionLine(42));
    expect(attemptRow(attemptId)).toMatchObject({ status: "submitted", correctCount: correct, prediction: 42 });
    await capture(page, "result-nojs");
  });
});
