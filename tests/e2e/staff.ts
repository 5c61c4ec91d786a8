// Staff accounts for the end-to-end tests: created with the real command-line tool against the
// database the test web server uses (SQLite in WAL mode, so it can write while the app runs),
// then used through the login page like anyone else.
import { expect, type Page } from "@playwright/test";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { passFormGuards } from "./helpers";

const run = promisify(execFile);

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The same URL playwright.config.ts gives the web server (relative to the project root). */
export const E2E_DATABASE_URL = "file:./tests/.tmp/e2e.db";

export type StaffRole = "organizer" | "judge" | "commune_officer" | "admin";

export interface Staff {
  role: StaffRole;
  email: string;
  password: string;
  fullName: string;
}

export function newStaff(role: StaffRole, fullName = "Nguyễn Thị Tổ Chức"): Staff {
  const id = randomUUID().slice(0, 8);
  return { role, email: `${role}-${id}@e2e.gialai.gov.vn`, password: `Mk-${randomUUID().slice(0, 12)}`, fullName };
}

/** Runs `scripts/user-create.ts` for the account and checks that it reports a new account. */
export async function createStaff(staff: Staff, commune?: string): Promise<Staff> {
  const args = ["scripts/user-create.ts", "--role", staff.role, "--email", staff.email, "--password", staff.password, "--name", staff.fullName];
  if (commune) args.push("--commune", commune);
  const { stdout } = await run(path.join(ROOT, "node_modules", ".bin", "tsx"), args, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: E2E_DATABASE_URL, NODE_ENV: "development" },
    timeout: 60_000,
  });
  expect(stdout).toContain(`✓ Created ${staff.role} ${staff.email}`);
  return staff;
}

/** Fills and submits the login form of the page already open (/login, possibly with redirectTo). */
export async function submitLogin(page: Page, identifier: string, password: string) {
  await page.getByLabel("Số điện thoại, số căn cước hoặc thư điện tử", { exact: true }).fill(identifier);
  await page.getByLabel("Mật khẩu", { exact: true }).fill(password);
  // The form's guards: the no-JS arithmetic question when shown, and the minimum fill time.
  await passFormGuards(page);
  await page.getByRole("main").getByRole("button", { name: "Đăng nhập", exact: true }).click();
}

/** Logs in with the e-mail address and lands on the list of question banks. */
export async function logInAsStaff(page: Page, staff: Staff) {
  await page.goto(`/login?redirectTo=${encodeURIComponent("/admin/banks")}`);
  await submitLogin(page, staff.email, staff.password);
  await expect(page).toHaveURL(/\/admin\/banks$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ngân hàng câu hỏi");
}

/**
 * Waits until React has hydrated the element the selector finds (React marks hydrated DOM nodes
 * with its own expando properties), so a click goes through the page's handlers rather than the
 * browser's plain form submission.
 */
export async function waitForReact(page: Page, selector: string) {
  await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel);
      return !!el && Object.keys(el).some((k) => k.startsWith("__reactProps$") || k.startsWith("__reactFiber$"));
    },
    selector,
  );
}
