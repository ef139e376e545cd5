// Playwright runs three layers: unit tests of the pure modules (no browser), component tests of the widget
// against tests/fake-rasa.mjs, and an end-to-end spec against a real Rasa (only with SAMTALE_RASA_URL set).
// The browser is Debian's Chromium (no Playwright browser download on this machine or in CI).
import { defineConfig } from "@playwright/test";

const port = Number(process.env.FAKE_RASA_PORT ?? 4173);

export default defineConfig({
  testDir: "tests",
  testMatch: "**/*.spec.ts",
  outputDir: "test-artifacts/playwright",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  workers: 2, // the machine has two cores
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["./tests/summary-reporter.ts"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: "nb-NO",
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    trace: "off",
    screenshot: "only-on-failure",
  },
  webServer: {
    command: "node tests/fake-rasa.mjs",
    url: `http://127.0.0.1:${port}/tests/pages/widget.html`,
    env: { FAKE_RASA_PORT: String(port) },
    reuseExistingServer: !process.env.CI,
    timeout: 20_000,
  },
});
