import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../src/store/db.js";
import { runCli } from "../cli/io.js";
import { CHROMIUM, hasChromium, probeReport } from "./browser.js";
import { fillReportDb } from "./fixture-db.js";
import { createReportSink } from "../../src/store/sink.js";
import { fakeBody, fakeParser, rawPage, sampleRecord } from "../store/helpers.js";

/** Screenshots of the rendered report are kept here for a human to look at (gitignored). */
const ARTIFACTS = join(import.meta.dirname, "..", "artifacts");

describe("nianbao report", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-report-"));
    const db = openDb(join(dir, "nb.db"));
    fillReportDb(db);
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes one self-contained HTML file and prints its path", async () => {
    const r = await runCli(["report", "--out", "out/report.html", "--db", "nb.db"], { cwd: dir });
    expect(r.stderr).toContain("report: 7 reports");
    expect(r.code).toBe(0);
    const file = join(dir, "out/report.html");
    expect(r.stdout.trim()).toBe(file);
    const html = readFileSync(file, "utf8");
    // Nothing is loaded from elsewhere: no src/href to another resource, and the CSP forbids it.
    const markup = html.replace(/(<script[^>]*>)[\s\S]*?<\/script>/g, "$1</script>");
    expect(markup.match(/<script[^>]*>/g)).toEqual(["<script>", '<script type="application/json" id="nb-data">', "<script>"]);
    expect(markup).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain("<html lang=\"zh-CN\">");
    expect(statSync(file).size).toBeGreaterThan(1_000_000); // ECharts is inside
  });

  it("refuses bad flags with one line and exit 2, and a missing database", async () => {
    for (const argv of [
      ["report", "--out", "r.html", "--db", "nb.db", "--year", "20x1"],
      ["report", "--out", "r.html", "--db", "nb.db", "--year", "2022-2019"],
      ["report", "--out", "r.html", "--db", "nb.db", "--agency", " "],
      ["report", "--out", "r.txt", "--db", "nb.db"],
      ["report", "--out", "r.html", "--db", "missing.db"],
      ["report", "--db", "nb.db"],
      ["report", "--out", "nb.db/r.html", "--db", "nb.db"], // a file where a folder should be
    ]) {
      const r = await runCli(argv, { cwd: dir });
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), argv.join(" ")).toHaveLength(1);
    }
    expect(existsSync(join(dir, "missing.db"))).toBe(false);
  });

  // Skipped only on request (NIANBAO_SKIP_BROWSER=1): without Chromium the test fails and says how to get it.
  it.skipIf(process.env["NIANBAO_SKIP_BROWSER"] === "1")("renders every chart in headless Chromium, with no request and no console error", async () => {
    expect(hasChromium, `no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`).toBe(true);
    const file = join(dir, "browser.html");
    expect((await runCli(["report", "--out", file, "--db", "nb.db"], { cwd: dir })).code).toBe(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    const sorted: string[] = [];
    const injected: number[] = [];
    const probe = await probeReport(file, join(ARTIFACTS, "report.png"), async (page) => {
      // Sorting works: in 2021, 本年新收 sorts largest first (乙县 40), a second click smallest first (甲市 6).
      await page.selectOption("#compare-year", "2021");
      const firstColumn = () => page.$$eval("#compare-table tbody tr td:first-child", (tds) => tds.map((t) => t.textContent ?? "").join(","));
      await page.click("#compare-table th:nth-child(2)");
      sorted.push(await firstColumn());
      await page.click("#compare-table th:nth-child(2)");
      sorted.push(await firstColumn());
      await page.selectOption("#trend-body", { index: 1 });
      await page.selectOption("#compare-year", "2022");
      // Text from reports is shown as text: no element from a message, no javascript: link.
      injected.push(await page.locator("#broken-table em").count(), await page.locator("a[href^='javascript']").count());
      injected.push((await page.locator("#broken-table").textContent())?.includes("<em>注</em>") ? 1 : 0);
    });
    expect(probe.ready).toBe(true);
    expect(probe.consoleErrors).toEqual([]);
    expect(probe.requests).toEqual([]);
    expect(probe.charts.map((c) => c.id)).toEqual(["chart-coverage", "chart-trends", "chart-ranking", "chart-reasons"]);
    for (const c of probe.charts) {
      expect(c.dataItems, c.id).toBeGreaterThan(0);
      expect(c.inkPixels, c.id).toBeGreaterThan(200);
    }
    expect(probe.tableRows["broken-table"]).toBe(2);
    expect(injected).toEqual([0, 0, 1]);
    expect(sorted).toEqual(["乙县教育局,甲市财政局", "甲市财政局,乙县教育局"]);
    expect(probe.summary).toContain("共 7 份报告");
    expect(existsSync(join(ARTIFACTS, "report.png"))).toBe(true);
  }, 90_000);

  it.skipIf(process.env["NIANBAO_SKIP_BROWSER"] === "1")("draws the first 300 rows of a long table and the rest on request", async () => {
    const db = openDb(join(dir, "many.db"));
    const sink = createReportSink(db, { parse: fakeParser() });
    for (let i = 0; i < 320; i++) {
      const r = sampleRecord({ agency: `第${i}测试局`, year: 2022, template: "2021" }, i + 1);
      r.issues = [];
      sink.ingest(rawPage(fakeBody(r), `http://many.example.cn/${i}.html`));
    }
    sink.flush();
    db.close();
    const file = join(dir, "many.html");
    expect((await runCli(["report", "--out", file, "--db", "many.db"], { cwd: dir })).code).toBe(0);
    const counts: number[] = [];
    const probe = await probeReport(file, undefined, async (page) => {
      counts.push(await page.locator("#compare-table tbody tr").count());
      await page.click("#compare-table-more");
      counts.push(await page.locator("#compare-table tbody tr").count());
      counts.push(await page.locator("#compare-table-more:visible").count());
    });
    expect(probe.consoleErrors).toEqual([]);
    expect(counts).toEqual([300, 320, 0]);
  }, 90_000);

  it.skipIf(process.env["NIANBAO_SKIP_BROWSER"] === "1")("opens without errors on a database with no report", async () => {
    openDb(join(dir, "empty.db")).close();
    const file = join(dir, "empty.html");
    expect((await runCli(["report", "--out", file, "--db", "empty.db"], { cwd: dir })).code).toBe(0);
    const probe = await probeReport(file);
    expect(probe.ready).toBe(true);
    expect(probe.consoleErrors).toEqual([]);
    expect(probe.summary).toContain("共 0 份报告");
  }, 90_000);
});
