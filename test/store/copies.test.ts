import type Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReportRecord } from "../../src/schema/record.js";
import { openDb } from "../../src/store/db.js";
import { copiesOf, pinReport, unpinReport } from "../../src/store/pins.js";
import { reparseAll } from "../../src/store/reparse.js";
import { createReportSink } from "../../src/store/sink.js";
import { fakeBody, fakeParser, rawPage, sampleRecord } from "./helpers.js";

/** The same report read from a text rendering: provenance says text, glued digits left null. */
function asText(record: ReportRecord): ReportRecord {
  const copy = structuredClone(record);
  for (const p of Object.values(copy.provenance ?? {})) p.source = "pipe";
  const rules = copy.active["rules"] as Record<string, number | null>;
  for (const m of Object.keys(rules)) rules[m] = null;
  copy.issues = [
    { code: "split.ambiguous", severity: "error", message: "行政规范性文件2433 有多种拆分", paths: Object.keys(rules).map((m) => `active.rules.${m}`) },
  ];
  return copy;
}

describe("copies of one report", () => {
  let db: Database.Database;
  beforeEach(() => {
    db = openDb(":memory:");
  });
  afterEach(() => db.close());

  it("reports_latest shows the best evidence: the exact HTML copy, not a text copy stored after it", () => {
    const sink = createReportSink(db, { parse: fakeParser() });
    const html = sampleRecord({ issues: [] });
    const h = sink.ingest(rawPage(fakeBody(html), "file:///walk/a/report.html"));
    const t = sink.ingest(rawPage(fakeBody(asText(html)), "file:///walk/b/report.txt", { fetchedAt: "2030-01-01T00:00:00.000Z" }));
    expect(t.status).toBe("changed");
    expect(db.prepare("SELECT report_id, form, error_count, warning_count FROM reports_latest").all()).toEqual([
      { report_id: h.reportId, form: "html", error_count: 0, warning_count: 0 },
    ]);
    expect(db.prepare("SELECT value FROM active_disclosure WHERE item = 'rules' AND metric = 'issued'").pluck().get()).toBe(html.active["rules"]?.["issued"]);
    expect(copiesOf(db, t.reportId as number).map((c) => [c.report_id, c.copy_rank, c.form, c.unreadable_cells, c.urls])).toEqual([
      [h.reportId, 1, "html", 0, "file:///walk/a/report.html"],
      [t.reportId, 2, "text", 3, "file:///walk/b/report.txt"],
    ]);
  });

  it("within one form, fewer unreadable cells win, then fewer errors, over a newer copy", () => {
    const sink = createReportSink(db, { parse: fakeParser() });
    const identity = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ code: "identity.applications.balance", severity: "error" as const, message: `不平衡${i}`, paths: ["applications.total.total"] }));
    // Every cell read; two arithmetic errors (the report's own, in any copy).
    const read = sampleRecord({ issues: identity(2) });
    const a = sink.ingest(rawPage(fakeBody(read), "http://a.cn/1.html"));
    // Newer, same form (HTML), one error only, but three cells unreadable: the fully read copy stays current.
    const blurred = asText(sampleRecord({ issues: [] }));
    for (const p of Object.values(blurred.provenance ?? {})) p.source = "html";
    sink.ingest(rawPage(fakeBody(blurred), "http://a.cn/2.html", { fetchedAt: "2030-01-01T00:00:00.000Z" }));
    expect(db.prepare("SELECT report_id FROM reports_latest").pluck().all()).toEqual([a.reportId]);
    // Newer, same form, every cell read, but three errors: still the first copy.
    sink.ingest(rawPage(fakeBody(sampleRecord({ issues: identity(3) }, 5)), "http://a.cn/3.html", { fetchedAt: "2030-02-01T00:00:00.000Z" }));
    expect(db.prepare("SELECT report_id FROM reports_latest").pluck().all()).toEqual([a.reportId]);
    expect(db.prepare("SELECT unreadable_cells, error_count FROM reports_all ORDER BY copy_rank").all()).toEqual([
      { unreadable_cells: 0, error_count: 2 },
      { unreadable_cells: 0, error_count: 3 },
      { unreadable_cells: 3, error_count: 1 },
    ]);
  });

  it("a complete copy beats a newer one that lacks a table", () => {
    const sink = createReportSink(db, { parse: fakeParser() });
    const full = sink.ingest(rawPage(fakeBody(sampleRecord({ issues: [] })), "http://a.cn/1.html"));
    const partial = sampleRecord({ issues: [], incomplete: true, reviewLitigation: {} }, 2);
    sink.ingest(rawPage(fakeBody(partial), "http://a.cn/2.html", { fetchedAt: "2030-01-01T00:00:00.000Z" }));
    expect(db.prepare("SELECT report_id, incomplete FROM reports_latest").all()).toEqual([{ report_id: full.reportId, incomplete: 0 }]);
  });

  it("between equally good copies the richer form wins, then the newest", () => {
    const sink = createReportSink(db, { parse: fakeParser() });
    const html = sampleRecord({ issues: [] });
    const text = structuredClone(html);
    for (const p of Object.values(text.provenance ?? {})) p.source = "text";
    const h = sink.ingest(rawPage(fakeBody(html), "http://a.cn/1.html"));
    sink.ingest(rawPage(fakeBody(text), "http://a.cn/1.txt", { fetchedAt: "2030-01-01T00:00:00.000Z" }));
    expect(db.prepare("SELECT report_id FROM reports_latest").pluck().all()).toEqual([h.reportId]);
    const newer = sink.ingest(rawPage(fakeBody(html, "重新发布"), "http://a.cn/2.html", { fetchedAt: "2030-02-01T00:00:00.000Z" }));
    expect(db.prepare("SELECT report_id FROM reports_latest").pluck().all()).toEqual([newer.reportId]);
  });

  it("a pinned copy is shown whatever the ranking says, until unpinned", () => {
    const sink = createReportSink(db, { parse: fakeParser() });
    const html = sampleRecord({ issues: [] });
    const h = sink.ingest(rawPage(fakeBody(html), "http://a.cn/1.html"));
    const t = sink.ingest(rawPage(fakeBody(asText(html)), "http://a.cn/1.txt"));
    pinReport(db, t.reportId as number, new Date("2031-01-01T00:00:00Z"), "the HTML page has a typo");
    expect(db.prepare("SELECT report_id FROM reports_latest").pluck().all()).toEqual([t.reportId]);
    expect(db.prepare("SELECT DISTINCT report_id FROM applications").pluck().all()).toEqual([t.reportId]);
    // Pinning the other copy moves the pin: one pin per report.
    pinReport(db, h.reportId as number, new Date("2031-01-02T00:00:00Z"));
    expect(db.prepare("SELECT report_id FROM report_pins").pluck().all()).toEqual([h.reportId]);
    expect(unpinReport(db, t.reportId as number)).toBe(true);
    expect(db.prepare("SELECT count(*) FROM report_pins").pluck().get()).toBe(0);
    expect(() => pinReport(db, 999, new Date())).toThrow(/no report 999/);
  });

  it("reparse keeps the counts that rank copies current, and a pin survives it", async () => {
    const sink = createReportSink(db, { parse: fakeParser() });
    const h = sink.ingest(rawPage(fakeBody(sampleRecord({ issues: [] })), "http://a.cn/1.html"));
    const t = sink.ingest(rawPage(fakeBody(asText(sampleRecord({ issues: [] }))), "http://a.cn/1.txt"));
    pinReport(db, t.reportId as number, new Date("2031-01-01T00:00:00Z"));
    // A new parser reads the HTML copy with an error: its counts follow; the pin still decides.
    const blame = fakeParser({
      version: "test-2",
      transform: (r) => (r.title === "测试市财政局2021年政府信息公开工作年度报告" && r.provenance?.["applications.total.total"]?.source === "html"
        ? { ...r, issues: [{ code: "identity.applications.balance", severity: "error", message: "不平衡", paths: ["applications.total.total"] }] }
        : r),
    });
    await reparseAll(db, { parse: blame });
    expect(db.prepare("SELECT report_id, error_count, form, pinned, is_latest FROM reports_all ORDER BY report_id").all()).toEqual([
      { report_id: h.reportId, error_count: 1, form: "html", pinned: 0, is_latest: 0 },
      { report_id: t.reportId, error_count: 1, form: "text", pinned: 1, is_latest: 1 },
    ]);
  });
});
