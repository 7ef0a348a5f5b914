/**
 * `npm start`'s demo crawl: the sample portal's report published only as a PDF is fetched through
 * the page that links it and stored as a report (source_url = the file, linked_from = the page),
 * with the values LibreOffice printed from the same report page; the scanned PDF stays an honest
 * failure.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseReport } from "../../src/pipeline.js";
// @ts-expect-error: a plain-JS fixture module without types
import { reportPage } from "../../fixtures/portal/report-template.mjs";
import { runCli } from "../cli/io.js";

const dir = mkdtempSync(join(tmpdir(), "nianbao-files-crawl-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("crawl reads report files", () => {
  it("stores the PDF-only report with its linking page and refuses the scan", async () => {
    const db = join(dir, "demo.db");
    const r = await runCli(["demo", "--db", db, "--quiet", "--json"]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    const trs = summary.sources.find((s: { id: string }) => s.id === "sample-trs-city");
    expect(trs.filesRead).toBe(1);
    // The scan is a failure of its own kind: a file that needs OCR.
    expect(trs.filesNeedingOcr).toBe(1);
    const conn = new Database(db, { readonly: true });
    try {
      const row = conn.prepare("SELECT report_id, agency, year, source_url, linked_from FROM reports_latest WHERE agency = '示例市民政局' AND year = 2022").get() as Record<string, string | number>;
      expect(String(row["source_url"])).toMatch(/P020230117388811234567\.pdf$/);
      expect(String(row["linked_from"])).toMatch(/t20230117_0953\.html$/);
      const stored = conn.prepare("SELECT row_key, total FROM applications WHERE report_id = ? ORDER BY row_key").all(row["report_id"]) as { row_key: string; total: number | null }[];
      const html = parseReport(reportPage({ agency: "示例市民政局", year: 2022, template: "2021", style: "table", seed: 34, siteName: "示例市人民政府门户网站" }));
      const expected = Object.entries(html.applications).map(([k, v]) => ({ row_key: k, total: v["total"] ?? null })).sort((a, b) => a.row_key.localeCompare(b.row_key));
      expect(stored).toEqual(expected);
      const scan = conn.prepare("SELECT r.reason FROM rejections r JOIN pages p ON p.id = r.page_id WHERE p.url LIKE '%P020230119388811234568.pdf'").get() as { reason: string };
      expect(scan.reason).toMatch(/scanned PDF: no text layer/);
    } finally {
      conn.close();
    }
  }, 120_000);
});

describe("ingest and reparse take files", () => {
  it("a directory walk picks up .pdf/.docx/.doc, stores them with their bytes, and reparse re-reads them unchanged", async () => {
    const db = join(dir, "ingest.db");
    const src = join(import.meta.dirname, "..", "..", "fixtures", "files", "converted", "html-2021-pingtan-zrz");
    const r = await runCli(["ingest", "--db", db, src]);
    expect(r.code).toBe(0);
    const conn = new Database(db, { readonly: true });
    try {
      const pages = conn.prepare("SELECT url, size FROM pages ORDER BY url").all() as { url: string; size: number }[];
      expect(pages.map((p) => p.url.split("/").pop())).toEqual(["chromium.pdf", "lo.doc", "lo.docx", "lo.pdf"]);
      const totals = conn.prepare("SELECT a.total FROM applications_all a JOIN reports r ON r.id = a.report_id WHERE a.row_key = 'new_received'").pluck().all();
      expect(totals).toEqual([69, 69, 69, 69]);
    } finally {
      conn.close();
    }
    const again = await runCli(["reparse", "--db", db]);
    expect(again.code).toBe(0);
    expect(again.stdout + again.stderr).toMatch(/4 pages?/);
    expect(again.stdout + again.stderr).not.toMatch(/changed: [1-9]|[1-9]\d* changed/);
  }, 60_000);
});
