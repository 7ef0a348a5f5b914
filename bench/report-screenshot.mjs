// Makes docs/report.png, the README's picture of `nianbao report`: crawl the bundled sample portal
// into a temporary database (as `npm start` does), write the report, and photograph the top of it
// in the system's headless Chromium. Run after `npm run build`:
//   node bench/report-screenshot.mjs
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { main } from "../dist/cli/main.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = mkdtempSync(join(tmpdir(), "nianbao-screenshot-"));
const io = { stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin, env: {}, cwd: dir };
try {
  const code = await main(["demo", "--db", join(dir, "nb.db"), "--quiet", "--delay-ms", "0", "--report", join(dir, "report.html")], io);
  if (code !== 0) throw new Error(`demo exited ${code}`);
  const profile = join(dir, "profile");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(pathToFileURL(join(dir, "report.html")).href);
  await page.waitForSelector("body[data-ready='1']");
  mkdirSync(join(root, "docs"), { recursive: true });
  await page.screenshot({ path: join(root, "docs", "report.png"), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 2200 } });
  await context.close();
  console.log("docs/report.png");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
