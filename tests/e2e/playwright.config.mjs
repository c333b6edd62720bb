// Playwright end-to-end tests of the built page (dist/), in Debian's Chromium: no browser
// download. `cargo xtask test` builds dist/ first and runs these.
import { defineConfig } from "@playwright/test";

// STATEBOX_E2E_PORT lets two checkouts on one machine run their tests side by side.
const PORT = Number(process.env.STATEBOX_E2E_PORT || 8113);

export default defineConfig({
  testDir: ".",
  timeout: 60_000,
  retries: 0,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath: "/usr/bin/chromium",
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
  webServer: {
    command: `python3 -m http.server ${PORT} --bind 127.0.0.1 --directory ../../dist`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
