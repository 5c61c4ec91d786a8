// Registration, login and the public pages, through a real browser on a phone-sized screen.
import { expect, test, type Page } from "@playwright/test";
import {
  communeSelect,
  fillRegistration,
  genderCenturyDigit,
  internationalPhone,
  newPerson,
  solvedCaptcha,
  submitRegistration,
  waitForCaptcha,
  waitForHydration,
  type Person,
} from "./helpers";

const CONTEST_TITLE = "Cuộc thi trực tuyến tìm hiểu về cải cách hành chính tỉnh Gia Lai năm 2025";
const GENDER_CENTURY_ERROR = "Chữ số thứ tư của số căn cước không khớp với giới tính và năm sinh đã khai.";

async function expectOnAccount(page: Page, p: Person, commune = "Phường Quy Nhơn") {
  await expect(page).toHaveURL(/\/account(\?|$)/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Xin chào, ${p.fullName}`);
  await expect(page.getByTestId("account-role")).toHaveText("Thí sinh");
  await expect(page.getByTestId("account-commune")).toHaveText(commune);
  // Identifiers are shown masked, never in full, even to their owner.
  const main = page.getByRole("main");
  await expect(main).toContainText(`${p.phone.slice(0, 3)}****${p.phone.slice(-3)}`);
  await expect(main).not.toContainText(p.phone);
  await expect(main).not.toContainText(p.nationalId);
}

/** A person whose CCCD has the 4th digit of the other gender: valid in every other respect. */
function personWithWrongGenderDigit(): { person: Person; expectedDigit: number } {
  const person = newPerson({ gender: "male", birthDate: "1990-05-17" });
  const expectedDigit = genderCenturyDigit(1990, "male");
  expect(expectedDigit).toBe(0);
  expect(person.nationalId[3]).toBe("0");
  // 1 is the female digit for the 1900s: the ID says "woman born 19xx" but the form says man.
  return { person: { ...person, nationalId: `${person.nationalId.slice(0, 3)}1${person.nationalId.slice(4)}` }, expectedDigit };
}

async function expectWrongIdRejected(page: Page, p: Person) {
  await expect(page).toHaveURL(/\/register$/);
  const id = page.getByLabel("Số căn cước công dân (12 chữ số)", { exact: true });
  await expect(id).toHaveAttribute("aria-invalid", "true");
  await expect(id).toHaveAttribute("aria-describedby", "nationalId-error");
  // The message sits right below the CCCD input, inside the same field block.
  const error = page.locator("#nationalId-error");
  await expect(error).toHaveText(GENDER_CENTURY_ERROR);
  await expect(error).toBeVisible();
  await expect(id.locator("xpath=..").locator("#nationalId-error")).toHaveCount(1);
  await expect(page.getByRole("alert").filter({ hasText: "Thông tin chưa hợp lệ" })).toBeVisible();
  // Only the CCCD is wrong: no other field is flagged.
  await expect(page.locator('[aria-invalid="true"]')).toHaveCount(1);

  // Everything typed is kept (but the passwords, which are never sent back).
  await expect(id).toHaveValue(p.nationalId);
  await expect(page.getByLabel("Họ và tên", { exact: true })).toHaveValue(p.fullName);
  await expect(page.getByLabel("Ngày sinh", { exact: true })).toHaveValue(p.birthDate);
  await expect(page.getByRole("radio", { name: "Nam", exact: true })).toBeChecked();
  await expect(page.getByRole("radio", { name: "Nữ", exact: true })).not.toBeChecked();
  await expect(page.getByLabel("Số điện thoại di động", { exact: true })).toHaveValue(p.phone);
  await expect(page.getByLabel("Thư điện tử (không bắt buộc)", { exact: true })).toHaveValue(p.email);
  await expect(communeSelect(page).locator("option:checked")).toHaveText("Phường Quy Nhơn");
  await expect(page.getByLabel("Đối tượng", { exact: true })).toHaveValue(p.group);
  await expect(page.getByLabel("Cơ quan, đơn vị, trường học (không bắt buộc)", { exact: true })).toHaveValue(p.workplace);
}

test.describe("registration with JavaScript", () => {
  test("a contestant registers, logs out and logs in again with the phone in +84 form", async ({ page }) => {
    const p = newPerson({ group: "official", workplace: "Văn phòng UBND tỉnh Gia Lai" });
    await page.goto("/register");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đăng ký tài khoản dự thi");
    await waitForHydration(page);
    await fillRegistration(page, p);

    // The commune search ignores tone marks: "quy nhon" narrows the 135 units to the Quy Nhơn wards.
    const select = communeSelect(page);
    await expect(select.locator("option")).toHaveCount(136); // 135 units and the placeholder
    await page.getByTestId("commune-filter").fill("quy nhon");
    await expect(select.locator("option", { hasText: /^Phường Quy Nhơn$/ })).toHaveCount(1);
    const options = (await select.locator("option").allTextContents()).slice(1);
    expect(options.length).toBeGreaterThan(0);
    expect(options.length).toBeLessThan(10);
    for (const o of options) expect(o).toMatch(/Quy Nhơn/);
    await select.selectOption({ label: "Phường Quy Nhơn" });
    await expect(select.locator("option:checked")).toHaveText("Phường Quy Nhơn");

    await submitRegistration(page);
    await expectOnAccount(page, p);
    await expect(page.getByRole("status")).toHaveText("Đăng ký thành công. Chúc bạn thi tốt!");

    // Log out (the button in the page, not the one in the header).
    await page.getByRole("main").getByRole("button", { name: "Đăng xuất" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("banner").getByRole("link", { name: "Đăng nhập" })).toBeVisible();
    await page.goto("/account");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount$/);

    // A wrong password is refused with one neutral message.
    await waitForCaptcha(page);
    await page.getByLabel("Số điện thoại, số căn cước hoặc thư điện tử").fill(internationalPhone(p.phone));
    await page.getByLabel("Mật khẩu", { exact: true }).fill(`${p.password}x`);
    await page.getByRole("main").getByRole("button", { name: "Đăng nhập" }).click();
    await expect(page.getByRole("alert")).toHaveText("Thông tin đăng nhập hoặc mật khẩu không đúng.");
    await expect(page).toHaveURL(/\/login/);

    // The phone written another way still identifies the same account.
    const identifier = internationalPhone(p.phone);
    expect(identifier).toMatch(/^\+84 9\d\d \d{3} \d{3}$/);
    await page.getByLabel("Số điện thoại, số căn cước hoặc thư điện tử").fill(identifier);
    await page.getByLabel("Mật khẩu", { exact: true }).fill(p.password);
    await page.getByRole("main").getByRole("button", { name: "Đăng nhập" }).click();
    await expectOnAccount(page, p);
  });

  test("a CCCD whose 4th digit contradicts gender and birth year is refused next to the field, the rest kept", async ({
    page,
    request,
  }) => {
    const { person: p } = personWithWrongGenderDigit();
    await page.goto("/register");
    await waitForHydration(page);
    await fillRegistration(page, p);
    await page.getByTestId("commune-filter").fill("quy nhon");
    await communeSelect(page).selectOption({ label: "Phường Quy Nhơn" });
    await submitRegistration(page);

    await expectWrongIdRejected(page, p);

    // Nothing was created: the phone does not log in.
    const login = await request.post("/api/v1/auth/login", {
      data: { identifier: p.phone, password: p.password, captcha: await solvedCaptcha(request) },
    });
    expect(login.status()).toBe(401);
  });
});

test.describe("registration without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the plain form registers a contestant and reaches the account page", async ({ page }) => {
    const p = newPerson({ group: "student", gender: "female" });
    await page.goto("/register");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đăng ký tài khoản dự thi");
    // No scripts, no search box: the full list of 135 units is a plain select.
    await expect(page.getByTestId("commune-filter")).toHaveCount(0);
    await expect(communeSelect(page).locator("option")).toHaveCount(136);
    await fillRegistration(page, p);
    await communeSelect(page).selectOption({ label: "Phường Quy Nhơn" });
    await submitRegistration(page);
    await expectOnAccount(page, p);
  });

  test("a wrong CCCD comes back from the server with the message and the typed values", async ({ page }) => {
    const { person: p } = personWithWrongGenderDigit();
    await page.goto("/register");
    await fillRegistration(page, p);
    await communeSelect(page).selectOption({ label: "Phường Quy Nhơn" });
    await submitRegistration(page);
    // Here the page is the server's answer: the values were echoed back, the passwords were not.
    await expectWrongIdRejected(page, p);
    await expect(page.getByLabel("Mật khẩu (ít nhất 8 ký tự)", { exact: true })).toHaveValue("");
    await expect(page.getByLabel("Nhập lại mật khẩu", { exact: true })).toHaveValue("");
  });
});

test.describe("public pages", () => {
  test("the home page shows the demo contest and a round that is open", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(CONTEST_TITLE);
    const rounds = page.getByTestId("round");
    expect(await rounds.count()).toBeGreaterThanOrEqual(1);
    await expect(rounds.filter({ hasText: "Đang diễn ra" }).first()).toBeVisible();
    await expect(page.getByRole("main").getByRole("link", { name: "Đăng ký dự thi" })).toHaveAttribute("href", "/register");
  });

  test("the communes API lists the 135 units", async ({ request }) => {
    const res = await request.get("/api/v1/communes");
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(/^application\/json/);
    const communes = (await res.json()) as { code: string; name: string; type: string }[];
    expect(Array.isArray(communes)).toBe(true);
    expect(communes).toHaveLength(135);
    for (const c of communes) {
      expect(c.code).toMatch(/^\d{5}$/);
      expect(["xa", "phuong", "dac_khu"]).toContain(c.type);
      expect(c.name.length).toBeGreaterThan(0);
    }
    expect(new Set(communes.map((c) => c.code)).size).toBe(135);
    expect(communes).toContainEqual(expect.objectContaining({ name: "Quy Nhơn", type: "phuong" }));
  });

  test("an unknown page answers 404 in Vietnamese with a way home", async ({ page, request }) => {
    const res = await page.goto("/trang-khong-ton-tai");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không tìm thấy trang");
    const home = page.getByRole("main").getByRole("link", { name: "Về trang chủ" });
    await expect(home).toHaveAttribute("href", "/");
    await home.click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(CONTEST_TITLE);

    // Unknown API paths answer in the API's JSON error shape instead.
    const api = await request.get("/api/v1/khong-co");
    expect(api.status()).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  });
});
