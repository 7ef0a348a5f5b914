// The HTML report at scale: a generated database of BENCH_REPORTS reports (default 10,000, see
// make-report-db.mjs), then `writeReport` (read the database, build the page) timed, the file's
// size, and — when the system Chromium is there — the time headless Chromium takes from navigation
// to the page script's end (every chart drawn, every table filled), with the requests and console
// errors it saw (both must be none).
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { openDb } from "../dist/store/db.js";
import { writeReport } from "../dist/report/index.js";
import { makeReportDb } from "./make-report-db.mjs";

export const name = "HTML report (nianbao report) on a generated database";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

async function openInChromium(file) {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "nianbao-bench-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const url = pathToFileURL(file).href;
    const requests = [];
    const errors = [];
    await context.route("**/*", (route) => (route.request().url() === url ? route.continue() : (requests.push(route.request().url()), route.abort())));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(e.message));
    const t0 = performance.now();
    await page.goto(url, { waitUntil: "load" });
    await page.waitForSelector("body[data-ready='1']", { timeout: 120_000 });
    const ms = performance.now() - t0;
    // Interaction cost: re-sorting the largest table.
    // Measured inside the page (a string: this file is linted as Node code).
    const sortMs = await page.evaluate(`(() => { const t = performance.now(); document.querySelector("#compare-table th:nth-child(2)").click(); return performance.now() - t; })()`);
    return { ms, sortMs, requests, errors };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

export async function run() {
  const n = Number(process.env.BENCH_REPORTS ?? 10_000);
  const load = loadavg()[0].toFixed(1);
  const dir = mkdtempSync(join(tmpdir(), "nianbao-bench-report-"));
  try {
    const dbFile = join(dir, "report.db");
    const t0 = performance.now();
    const made = makeReportDb(dbFile, n);
    const genS = (performance.now() - t0) / 1000;
    const db = openDb(dbFile, { readOnly: true });
    const file = join(dir, "report.html");
    const c0 = process.cpuUsage();
    const t1 = performance.now();
    const s = writeReport(db, {}, file);
    const writeS = (performance.now() - t1) / 1000;
    const c1 = process.cpuUsage(c0);
    db.close();
    const lines = [
      `database: ${made.reports} reports of ${s.bodies} bodies, ${s.years.join("/")}, generated in ${genS.toFixed(1)} s (${(statSync(dbFile).size / 1e6).toFixed(0)} MB)`,
      `nianbao report: ${writeS.toFixed(1)} s wall, ${((c1.user + c1.system) / 1e6).toFixed(1)} s CPU; file ${(s.bytes / 1024 / 1024).toFixed(2)} MiB (of which ECharts 1.07 MiB); ${s.failures} failed pages, ${s.broken} broken identities or carry-overs`,
    ];
    if (existsSync(CHROMIUM)) {
      const o = await openInChromium(file);
      lines.push(`headless Chromium: open to fully drawn ${(o.ms / 1000).toFixed(1)} s; re-sort the comparison table ${o.sortMs.toFixed(0)} ms; requests ${o.requests.length}, console errors ${o.errors.length}`);
    } else lines.push(`headless Chromium: not measured (no ${CHROMIUM})`);
    lines.push(`load average at start ${load} on ${cpus().length} CPUs`);
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
