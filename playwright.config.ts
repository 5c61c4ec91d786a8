// End-to-end tests: a real browser (Debian's Chromium, no downloaded browsers) against the app
// started the way `npm start` starts it, on a fresh SQLite database under tests/.tmp/.
import { defineConfig } from "@playwright/test";

const CI = !!process.env.CI;
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  fullyParallel: true,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  workers: CI ? 1 : 2,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: CI ? [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]] : "list",
  use: {
    baseURL,
    // Most contestants take part from a phone.
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium-mobile",
      use: {
        browserName: "chromium",
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: {
    command: "node tests/e2e/start-server.mjs",
    url: `${baseURL}/api/v1/communes`,
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      DATABASE_URL: "file:./tests/.tmp/e2e.db",
      // Every test registers its own contestants from 127.0.0.1: allow more than an hour of a
      // commune office's registrations; the limits themselves are tested in tests/integration/abuse.test.ts.
      RATE_LIMITS: "register=1000/3600,loginIp=1000/900",
    },
    reuseExistingServer: !CI,
    // First start: build (~10–20 s), migrate and seed (~10 s), more on a slow CI machine.
    timeout: 180_000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
  },
});
