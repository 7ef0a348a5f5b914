/**
 * Cross-year evidence in the store: 二、上年结转 (total) of year N against 四、结转下年度继续办理
 * (total) of year N−1 of the same agency becomes a `cross_year.carry_over` issue on the later
 * report, whichever order the reports arrive in, through ingest (real parser) and reparse.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NianbaoError } from "../../src/errors.js";
import { parseReport } from "../../src/pipeline.js";
import type { ReportRecord } from "../../src/schema/record.js";
import { openDb } from "../../src/store/db.js";
import { ingestInputs } from "../../src/store/ingest.js";
import { loadRecord } from "../../src/store/records.js";
import { mergeDatabases } from "../../src/store/merge.js";
import { reparseAll } from "../../src/store/reparse.js";
import { createReportSink } from "../../src/store/sink.js";
import { fakeBody, fakeParser, rawPage, sampleRecord } from "./helpers.js";

// 某区应急管理局 2022: 四、结转下年度继续办理 total 4.
const PAGE_2022 = readFileSync(new URL("../../fixtures/reports/syn-pipe-2021-rows/input.txt", import.meta.url), "utf8");
/** The same body's 2023 report whose 二、上年结转 row is given. */
const page2023 = (carriedOver: string) =>
  PAGE_2022.replace(/2022/g, "2023").replace("二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |", `二、上年结转政府信息公开申请数量 | ${carriedOver} |`);
const bytes = (s: string) => new TextEncoder().encode(s);
const parse = (body: Uint8Array) => parseReport(body);

const crossYear = (db: Database.Database) =>
  db
    .prepare(
      `SELECT l.agency, l.year, i.severity, i.message FROM report_issues i JOIN reports_latest l USING (report_id)
       WHERE i.code = 'cross_year.carry_over' ORDER BY l.year`,
    )
    .all() as { agency: string; year: number; severity: string; message: string }[];

describe("cross-year carry-over issues", () => {
  let db: Database.Database;
  beforeEach(() => {
    db = openDb(":memory:");
  });
  afterEach(() => db.close());

  it("merge: years crawled by different shards are checked against each other in the merged database", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nianbao-cross-merge-"));
    try {
      const shard = async (name: string, url: string, body: string) => {
        const d = openDb(join(dir, name));
        await ingestInputs(d, [{ kind: "bytes" as const, url, body: bytes(body) }], { parse });
        expect(crossYear(d)).toEqual([]); // alone, a shard has no year to compare with
        d.close();
        return join(dir, name);
      };
      const a = await shard("a.db", "http://a.cn/2022.html", PAGE_2022);
      const b = await shard("b.db", "http://a.cn/2023.html", page2023("0 | 0 | 0 | 0 | 0 | 0 | 0"));
      mergeDatabases(db, [b, a]);
      expect(crossYear(db).map(({ agency, year }) => ({ agency, year }))).toEqual([{ agency: "某区应急管理局", year: 2023 }]);
      mergeDatabases(db, [a, b]); // idempotent: nothing added, the issue stays single
      expect(crossYear(db)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const order of ["earlier first", "later first"] as const) {
    it(`ingest: a 上年结转 that is not last year's 结转下年度 is an issue on the later report (${order})`, async () => {
      const inputs = [
        { kind: "bytes" as const, url: "http://a.cn/2022.html", body: bytes(PAGE_2022) },
        { kind: "bytes" as const, url: "http://a.cn/2023.html", body: bytes(page2023("0 | 0 | 0 | 0 | 0 | 0 | 0")) },
      ];
      await ingestInputs(db, order === "earlier first" ? inputs : inputs.reverse(), { parse });
      const issues = crossYear(db);
      expect(issues.map(({ agency, year, severity }) => ({ agency, year, severity }))).toEqual([{ agency: "某区应急管理局", year: 2023, severity: "warning" }]);
      expect(issues[0]!.message).toContain("0");
      expect(issues[0]!.message).toContain("2022 年报告的 四、结转下年度继续办理（总计）为 4");
      // It counts where issues are counted, and the record stays what the page reads.
      const latest = db.prepare("SELECT report_id, issue_count FROM reports_latest WHERE year = 2023").get() as { report_id: number; issue_count: number };
      const record = loadRecord(db, latest.report_id)!;
      expect(latest.issue_count).toBe(record.issues.length + 1);
      expect(record.issues.some((i) => i.code.startsWith("cross_year."))).toBe(false);
    });
  }

  it("ingest: no issue when the numbers agree, or for another agency", async () => {
    await ingestInputs(
      db,
      [
        { kind: "bytes", url: "http://a.cn/2022.html", body: bytes(PAGE_2022) },
        { kind: "bytes", url: "http://a.cn/2023.html", body: bytes(page2023("0 | 0 | 0 | 4 | 0 | 0 | 4")) },
        { kind: "bytes", url: "http://b.cn/2023.html", body: bytes(page2023("0 | 0 | 0 | 0 | 0 | 0 | 0").replace(/某区应急管理局/g, "某区民政局")) },
      ],
      { parse },
    );
    expect(crossYear(db)).toEqual([]);
  });

  it("reparse: the issue follows the stored numbers (appears, goes, and is not a change by itself)", async () => {
    const at = (year: number, carriedOver: number, carriedForward: number): ReportRecord => {
      const r = sampleRecord({ year, title: `测试市财政局${year}年政府信息公开工作年度报告` });
      r.applications["carried_over"]!["total"] = carriedOver;
      r.applications["carried_forward"]!["total"] = carriedForward;
      return r;
    };
    const sink = createReportSink(db, { parse: fakeParser({ version: "1" }) });
    sink.ingest(rawPage(fakeBody(at(2020, 1, 5)), "http://a.cn/2020.html"));
    sink.ingest(rawPage(fakeBody(at(2021, 5, 2)), "http://a.cn/2021.html"));
    expect(crossYear(db)).toEqual([]);

    // A parser change reads 2020's 结转下年度 as 6: 2021's report gets the issue.
    const misread = (r: ReportRecord) => (r.year === 2020 ? { ...r, applications: { ...r.applications, carried_forward: { ...r.applications["carried_forward"], total: 6 } } } : r);
    await reparseAll(db, { parse: fakeParser({ version: "2", transform: misread }) });
    expect(crossYear(db).map((i) => i.year)).toEqual([2021]);
    // Reparsing again with the same parser changes nothing, the issue included.
    const again = await reparseAll(db, { parse: fakeParser({ version: "2", transform: misread }) });
    expect(again.changes).toEqual([]);
    expect(crossYear(db).map((i) => i.year)).toEqual([2021]);
    // The fix: the issue goes.
    await reparseAll(db, { parse: fakeParser({ version: "3" }) });
    expect(crossYear(db)).toEqual([]);
  });

  it("reparse: a report that stops being a report takes its neighbour's issue with it", async () => {
    const sink = createReportSink(db, { parse: fakeParser({ version: "1" }) });
    const r2020 = sampleRecord({ year: 2020 });
    r2020.applications["carried_forward"]!["total"] = 9;
    const r2021 = sampleRecord({ year: 2021 });
    r2021.applications["carried_over"]!["total"] = 3;
    sink.ingest(rawPage(fakeBody(r2020), "http://a.cn/2020.html"));
    sink.ingest(rawPage(fakeBody(r2021), "http://a.cn/2021.html"));
    expect(crossYear(db).map((i) => i.year)).toEqual([2021]);
    const rejecting = fakeParser({ version: "2" });
    await reparseAll(db, {
      parse: (body, options) => {
        const r = rejecting(body, options);
        if (r.year === 2020) throw new NianbaoError("E_NOT_REPORT", "not a report");
        return r;
      },
    });
    expect(crossYear(db)).toEqual([]);
  });
});
