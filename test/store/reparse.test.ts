import type Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReportRecord } from "../../src/schema/record.js";
import { openDb } from "../../src/store/db.js";
import { loadRecord } from "../../src/store/records.js";
import { reparseAll } from "../../src/store/reparse.js";
import { createReportSink } from "../../src/store/sink.js";
import { fakeBody, fakeParser, rawPage, sampleRecord } from "./helpers.js";

/** Everything reparse may touch, to show that a no-op run is one (the digest is a cache reparse fills). */
const snapshot = (db: Database.Database) => ({
  reports: (db.prepare("SELECT * FROM reports ORDER BY id").all() as Record<string, unknown>[]).map(({ fingerprint: _cache, ...r }) => r),
  values: db.prepare("SELECT * FROM report_values ORDER BY report_id, key_id").all(),
  issues: db.prepare("SELECT * FROM issues ORDER BY report_id, ord").all(),
  rejections: db.prepare("SELECT * FROM rejections ORDER BY page_id").all(),
  text: db.prepare("SELECT rowid, title, body FROM report_text ORDER BY rowid").all(),
});

/** A parser change: the fix reads one more cell and drops the false identity issue. */
const fixed = (r: ReportRecord): ReportRecord => ({
  ...r,
  applications: { ...r.applications, rejected_excessive: { ...r.applications["rejected_excessive"], natural_person: 3 } },
  issues: [],
});

describe("reparseAll", () => {
  let db: Database.Database;
  const tick = () => new Date("2025-01-01T00:00:00Z");
  beforeEach(() => {
    db = openDb(":memory:");
    const sink = createReportSink(db, { parse: fakeParser({ version: "1" }) });
    sink.ingest(rawPage(fakeBody(sampleRecord()), "http://a.cn/2021.html"));
    sink.ingest(rawPage(fakeBody(sampleRecord({ year: 2020, template: "2019" })), "http://a.cn/2020.html"));
    sink.ingest(rawPage(fakeBody(null), "http://a.cn/list.html"));
    sink.flush();
  });
  afterEach(() => db.close());

  it("changes nothing with the same parser", async () => {
    const before = snapshot(db);
    const s = await reparseAll(db, { parse: fakeParser({ version: "1" }), now: tick });
    expect(s).toMatchObject({ pages: 3, unchanged: 2, restamped: 0, stillRejected: 1, changes: [], interrupted: false });
    expect(snapshot(db)).toEqual(before);
  });

  it("re-stamps reports a new parser version reads the same, and lists none as changed", async () => {
    const s = await reparseAll(db, { parse: fakeParser({ version: "2" }), now: tick });
    expect(s).toMatchObject({ unchanged: 2, restamped: 2, changes: [] });
    expect(db.prepare("SELECT DISTINCT parser_version FROM reports_latest").pluck().all()).toEqual(["2"]);
  });

  it("after a parser change, replaces values and issues in place and lists what changed; a second run changes nothing", async () => {
    const ids = db.prepare("SELECT id FROM reports ORDER BY id").pluck().all();
    const s = await reparseAll(db, { parse: fakeParser({ version: "2", transform: fixed }), now: tick });
    expect(s.changes.map(({ kind, agency, year, values, issues, fields }) => ({ kind, agency, year, values, issues, fields }))).toEqual([
      { kind: "changed", agency: "测试市财政局", year: 2021, values: 1, issues: 1, fields: [] },
      { kind: "changed", agency: "测试市财政局", year: 2020, values: 1, issues: 1, fields: [] },
    ]);
    expect(db.prepare("SELECT id FROM reports ORDER BY id").pluck().all()).toEqual(ids);
    expect(db.prepare("SELECT natural_person FROM applications WHERE row_key = 'rejected_excessive' ORDER BY report_id").pluck().all()).toEqual([3, 3]);
    // The fixed parse has no issues; the store's cross-year check remains (2020's 结转下年度 ≠ 2021's 上年结转 here).
    expect(db.prepare("SELECT count(*) FROM report_issues WHERE code != 'cross_year.carry_over'").pluck().get()).toBe(0);
    expect(loadRecord(db, ids[0] as number)?.parserVersion).toBe("2");

    const before = snapshot(db);
    const again = await reparseAll(db, { parse: fakeParser({ version: "2", transform: fixed }), now: () => new Date() });
    expect(again).toMatchObject({ pages: 3, unchanged: 2, restamped: 0, changes: [] });
    expect(snapshot(db)).toEqual(before);
  });

  it("indexes a changed report with the parser's text of it (as crawl and ingest do), not the whole page", async () => {
    const parse = fakeParser({ version: "2", transform: fixed });
    const s = await reparseAll(db, {
      parse,
      parseWithText: (body, options) => ({ record: parse(body, options), searchText: "解析器给出的报告正文" }),
      now: tick,
    });
    expect(s.changes).toHaveLength(2);
    const bodies = db.prepare("SELECT body FROM report_text ORDER BY rowid").pluck().all();
    expect(bodies).toEqual(["解析器给出的报告正文", "解析器给出的报告正文"]);
    expect(db.prepare("SELECT count(*) FROM search_pending").pluck().get()).toBe(0);
  });

  it("turns a rejected page into a report and a report into a rejection when the parser says so", async () => {
    const parse = fakeParser({ version: "2" });
    const s = await reparseAll(db, {
      now: tick,
      parse: (body, o) => {
        if (new TextDecoder().decode(body).includes("一个不是报告的页面")) return { ...sampleRecord({ agency: "列表页也是报告", year: 2019 }), parserVersion: "2" };
        const r = parse(body, o);
        if (r.year === 2020) throw new Error("tables only in an attachment");
        return r;
      },
    });
    expect(s.changes.map((c) => [c.kind, c.agency, c.year])).toEqual([
      ["rejected", "测试市财政局", 2020],
      ["parsed", "列表页也是报告", 2019],
    ]);
    expect(db.prepare("SELECT agency, year FROM reports_latest ORDER BY year").all()).toEqual([
      { agency: "列表页也是报告", year: 2019 },
      { agency: "测试市财政局", year: 2021 },
    ]);
    expect(db.prepare("SELECT url, code, reason FROM rejected_pages").all()).toEqual([{ url: "http://a.cn/2020.html", code: "E_INTERNAL", reason: "parser error: tables only in an attachment" }]);
    // Every page still has exactly one reading.
    expect(db.prepare("SELECT count(*) FROM pages p WHERE (SELECT count(*) FROM reports WHERE page_id = p.id) + (SELECT count(*) FROM rejections WHERE page_id = p.id) != 1").pluck().get()).toBe(0);
    // Search covers the new report and has dropped the rejected one.
    expect(db.prepare("SELECT rowid FROM report_text ORDER BY rowid").pluck().all()).toEqual(db.prepare("SELECT id FROM reports ORDER BY id").pluck().all());
  });

  it("stops between pages when interrupted, keeps what it did, and finishes on the next run", async () => {
    const controller = new AbortController();
    const parse = fakeParser({ version: "2", transform: fixed });
    const s = await reparseAll(db, { parse, now: tick, signal: controller.signal, onProgress: (done) => done === 1 && controller.abort() });
    expect(s).toMatchObject({ pages: 1, interrupted: true });
    expect(s.changes).toHaveLength(1);
    expect(db.prepare("SELECT status FROM crawl_runs WHERE kind = 'reparse'").pluck().all()).toEqual(["interrupted"]);
    const rest = await reparseAll(db, { parse, now: tick });
    expect(rest.changes.map((c) => c.year)).toEqual([2020]);
    expect(rest.unchanged).toBe(1);
  });
});
