import type Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDb } from "../../src/store/db.js";
import { searchReports } from "../../src/store/search.js";
import { createReportSink } from "../../src/store/sink.js";
import { fakeBody, fakeParser, rawPage, sampleRecord } from "./helpers.js";

const counts = (db: Database.Database) =>
  db
    .prepare(
      `SELECT (SELECT count(*) FROM pages) AS pages, (SELECT count(*) FROM reports) AS reports,
              (SELECT count(*) FROM report_values) AS "values", (SELECT count(*) FROM issues) AS issues,
              (SELECT count(*) FROM rejections) AS rejections, (SELECT count(*) FROM report_text) AS texts`,
    )
    .get();

describe("createReportSink", () => {
  let db: Database.Database;
  beforeEach(() => {
    db = openDb(":memory:");
  });
  afterEach(() => db.close());

  it("with the parser's search text, indexes the report in the transaction that stores it, and only that text", () => {
    const parse = fakeParser();
    const sink = createReportSink(db, { parse, parseWithText: (body, o) => ({ record: parse(body, o), searchText: "本年度未收取信息处理费" }) });
    const out = sink.ingest(rawPage(fakeBody(sampleRecord(), "门户网站导航菜单")));
    expect(db.prepare("SELECT count(*) FROM search_pending").pluck().get()).toBe(0);
    expect(db.prepare("SELECT rowid, title, body FROM report_text").all()).toEqual([{ rowid: out.reportId, title: sampleRecord().title, body: "本年度未收取信息处理费" }]);
    expect(searchReports(db, "信息处理费").hits.map((h) => h.report_id)).toEqual([out.reportId]);
    // The page's other text (the portal's chrome) is not what is searched.
    expect(searchReports(db, "导航菜单").hits).toEqual([]);
  });

  it("stores a page with its report; the same bytes again add nothing", () => {
    const sink = createReportSink(db, { parse: fakeParser() });
    const body = fakeBody(sampleRecord());
    const first = sink.ingest(rawPage(body));
    expect(first).toMatchObject({ status: "stored", agency: "测试市财政局", year: 2021, reason: null });
    const before = counts(db);
    const again = sink.ingest(rawPage(body));
    expect(again).toEqual({ ...first, status: "unchanged" });
    expect(counts(db)).toEqual(before);
    const page = db.prepare("SELECT url, status, encoding, size, body_codec, length(body) AS stored FROM pages").get() as Record<string, unknown>;
    expect(page).toMatchObject({ url: "http://example.gov.cn/report.html", status: 200, encoding: "utf-8", size: body.byteLength, body_codec: "br" });
    expect(page["stored"]).toBeLessThan(body.byteLength);
  });

  it("makes a changed page for the same agency and year a new version; the contract views show only the newest", () => {
    const sink = createReportSink(db, { parse: fakeParser() });
    const old = sampleRecord({ title: "旧版" });
    const fixed = sampleRecord({ title: "更正版" }, 7);
    const a = sink.ingest(rawPage(fakeBody(old)));
    const b = sink.ingest(rawPage(fakeBody(fixed)));
    expect(b.status).toBe("changed");
    expect(b.reportId).not.toBe(a.reportId);
    const latest = db.prepare("SELECT report_id, title, issue_count FROM reports_latest").all();
    expect(latest).toEqual([{ report_id: b.reportId, title: "更正版", issue_count: 1 }]);
    // The contract views count the report once; both versions stay in the *_all views.
    for (const view of ["applications", "active_disclosure", "review_litigation", "report_issues"]) {
      expect(db.prepare(`SELECT DISTINCT report_id FROM ${view}`).pluck().all(), view).toEqual([b.reportId]);
      expect(db.prepare(`SELECT DISTINCT report_id FROM ${view}_all ORDER BY 1`).pluck().all(), `${view}_all`).toEqual([a.reportId, b.reportId]);
    }
    const total = (view: string) => db.prepare(`SELECT sum(total) FROM ${view} WHERE row_key = 'new_received'`).pluck().get();
    expect(total("applications")).toBe(fixed.applications["new_received"]?.["total"]);
    expect(db.prepare("SELECT report_id, is_latest FROM reports_all ORDER BY report_id").all()).toEqual([
      { report_id: a.reportId, is_latest: 0 },
      { report_id: b.reportId, is_latest: 1 },
    ]);
  });

  it("treats the same bytes at another URL as the same page: unchanged, nothing stored twice, every URL kept", () => {
    const sink = createReportSink(db, { parse: fakeParser() });
    const body = fakeBody(sampleRecord());
    const a = sink.ingest(rawPage(body, "http://127.0.0.1:4001/nb/2021.html", { sourceId: "s1" }));
    const before = counts(db);
    const b = sink.ingest(rawPage(body, "http://127.0.0.1:4002/nb/2021.html", { sourceId: "s1", fetchedAt: "2024-02-01T00:00:00.000Z" }));
    expect(b).toEqual({ ...a, status: "unchanged" });
    expect(counts(db)).toEqual(before);
    expect(db.prepare("SELECT url FROM report_copies ORDER BY url").pluck().all()).toEqual(["http://127.0.0.1:4001/nb/2021.html", "http://127.0.0.1:4002/nb/2021.html"]);
    // Other bytes for the same report are a new version ("changed"), at any URL.
    const c = sink.ingest(rawPage(fakeBody(sampleRecord({ title: "更正版" }, 3)), "http://127.0.0.1:4002/nb/2021.html"));
    expect(c.status).toBe("changed");
    expect(db.prepare("SELECT count(*) FROM reports").pluck().get()).toBe(2);
  });

  it("keys reports without agency or year by page URL", () => {
    const sink = createReportSink(db, { parse: fakeParser() });
    const anon = sampleRecord({ agency: null });
    const a = sink.ingest(rawPage(fakeBody(anon), "http://a.example.cn/1.html"));
    const b = sink.ingest(rawPage(fakeBody(anon, "另一份"), "http://a.example.cn/2.html"));
    const c = sink.ingest(rawPage(fakeBody(sampleRecord({ agency: null, title: "新" })), "http://a.example.cn/2.html"));
    expect([a.status, b.status, c.status]).toEqual(["stored", "stored", "changed"]);
    expect(db.prepare("SELECT report_id FROM reports_latest ORDER BY report_id").pluck().all()).toEqual([a.reportId, c.reportId]);
  });

  it("records a page that is not a report, with the reason, and keeps its bytes", () => {
    const sink = createReportSink(db, { parse: fakeParser() });
    const out = sink.ingest(rawPage(fakeBody(null), "http://example.gov.cn/list.html"));
    expect(out).toMatchObject({ status: "rejected", reportId: null, code: "E_NOT_REPORT", reason: "no 政府信息公开 report tables found on the page" });
    expect(db.prepare("SELECT url, code, reason FROM rejected_pages").all()).toEqual([
      { url: "http://example.gov.cn/list.html", code: "E_NOT_REPORT", reason: "no 政府信息公开 report tables found on the page" },
    ]);
    expect(sink.ingest(rawPage(fakeBody(null), "http://example.gov.cn/list.html"))).toMatchObject({ status: "unchanged", reason: out.reason });
    expect(counts(db)).toMatchObject({ pages: 1, reports: 0, rejections: 1 });
  });

  it("records a parser crash as a rejection coded E_INTERNAL so the run goes on", () => {
    const sink = createReportSink(db, {
      parse: () => {
        throw new TypeError("cannot read properties of undefined");
      },
    });
    expect(sink.ingest(rawPage(fakeBody(sampleRecord())))).toMatchObject({ status: "rejected", code: "E_INTERNAL", reason: "parser error: cannot read properties of undefined" });
  });

  it("passes the final URL and content type to the parser and asks for provenance", () => {
    const seen: unknown[] = [];
    const parse = fakeParser();
    const sink = createReportSink(db, { parse: (body, options) => (seen.push(options), parse(body, options)) });
    sink.ingest(rawPage(fakeBody(sampleRecord()), "http://a.cn/x", { finalUrl: "https://a.cn/x", headers: { "content-type": "text/html; charset=gbk" } }));
    expect(seen).toEqual([{ sourceUrl: "https://a.cn/x", contentType: "text/html; charset=gbk", provenance: true }]);
  });

  it("creates the source row a page names and stamps the run", () => {
    const runId = Number(db.prepare("INSERT INTO crawl_runs (kind, started_at) VALUES ('crawl', '2024-01-01')").run().lastInsertRowid);
    const sink = createReportSink(db, { parse: fakeParser(), runId });
    sink.ingest(rawPage(fakeBody(sampleRecord()), "http://a.cn/x", { sourceId: "wuhai-czj" }));
    expect(db.prepare("SELECT source_id, run_id FROM pages").get()).toEqual({ source_id: "wuhai-czj", run_id: runId });
    expect(db.prepare("SELECT id FROM sources").pluck().all()).toEqual(["wuhai-czj"]);
  });

  it("indexes the page's visible text for search, not its markup or scripts, in batches", () => {
    const sink = createReportSink(db, { parse: fakeParser(), indexEvery: 2 });
    sink.ingest(rawPage(fakeBody(sampleRecord(), "本机关收取信息处理费0元&amp;其他")));
    expect(counts(db)).toMatchObject({ reports: 1, texts: 0 });
    expect(db.prepare("SELECT report_id FROM search_pending").pluck().all()).toEqual([1]);
    sink.ingest(rawPage(fakeBody(sampleRecord({ year: 2020 }))));
    expect(counts(db)).toMatchObject({ reports: 2, texts: 2 });
    expect(db.prepare("SELECT count(*) FROM search_pending").pluck().get()).toBe(0);
    const body = db.prepare("SELECT body FROM report_text").pluck().get() as string;
    expect(body).toContain("本机关收取信息处理费0元&其他");
    expect(body).not.toMatch(/<|nianbao-test-record|applications/);
  });
});
