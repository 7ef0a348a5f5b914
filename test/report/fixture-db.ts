import type Database from "better-sqlite3";
import type { ReportRecord } from "../../src/schema/record.js";
import { upsertSources } from "../../src/store/runs.js";
import { createReportSink } from "../../src/store/sink.js";
import { fakeBody, fakeParser, rawPage, sampleRecord } from "../store/helpers.js";

/**
 * A small database for the report's tests, with every case the page shows:
 * - 甲市财政局 (region 甲省甲市) 2019–2022: 2021 has 6 applications (not rankable), 2022 breaks the
 *   carry-over from 2021 (2021 carries 2 forward, 2022 says 5 carried over);
 * - 乙县教育局 (region 甲省乙县) 2021 and 2022, 2022 with an identity failure, 2021 with a blank
 *   （三）1 cell;
 * - a page of 乙县 that the parser rejected, whose link title names 乙县教育局 2020 (a failure);
 * - a report link of 丙区's site for 丁镇农业站 2021 that failed to fetch (a body with no report);
 * - 丙区民政局 (region 丁省丙区) 2022 only, whose source URL is a javascript: URL;
 * - text with markup in an issue message (the page must show it as text).
 */
export function fillReportDb(db: Database.Database): void {
  upsertSources(db, [
    { id: "jia", name: "甲市财政局网站", region: "甲省甲市" },
    { id: "yi", name: "乙县政府网站", region: "甲省乙县" },
    { id: "bing", name: "丙区政府网站", region: "丁省丙区" },
  ] as never);
  const sink = createReportSink(db, { parse: fakeParser() });
  const put = (source: string, agency: string, year: number, patch: (r: ReportRecord) => void = () => {}) => {
    const r = sampleRecord({ agency, year, template: year >= 2021 ? "2021" : "2019", title: `${agency}${year}年政府信息公开工作年度报告`, sourceUrl: `http://${source}.example.cn/${year}.html` }, year + agency.length);
    r.issues = [];
    const total = (row: string, v: number | null) => (r.applications[row] = { ...r.applications[row], total: v });
    total("new_received", 40);
    total("carried_over", 0);
    total("carried_forward", 0);
    patch(r);
    sink.ingest(rawPage(fakeBody(r), `http://${source}.example.cn/${year}.html`, { sourceId: source }));
  };
  for (const y of [2019, 2020]) put("jia", "甲市财政局", y);
  put("jia", "甲市财政局", 2021, (r) => {
    r.applications["new_received"] = { ...r.applications["new_received"], total: 6 };
    r.applications["carried_forward"] = { ...r.applications["carried_forward"], total: 2 };
  });
  put("jia", "甲市财政局", 2022, (r) => (r.applications["carried_over"] = { ...r.applications["carried_over"], total: 5 }));
  put("yi", "乙县教育局", 2021, (r) => (r.applications["denied_state_secret"] = { ...r.applications["denied_state_secret"], total: null }));
  put("yi", "乙县教育局", 2022, (r) => {
    r.issues = [
      {
        code: "identity.applications.balance",
        severity: "error",
        message: "总计列：一加二（40）不等于三（七）总计加四（38）<em>注</em>",
        paths: ["applications.new_received.total", "applications.carried_over.total", "applications.total.total", "applications.carried_forward.total"],
        expected: 40,
        actual: 38,
        identity: "applications.balance",
      },
    ];
  });
  put("bing", "丙区民政局", 2022, (r) => (r.sourceUrl = "javascript:alert(1)"));
  // A page the parser rejects, found under a link titled with 乙县教育局's 2020 report.
  sink.ingest(rawPage(fakeBody(null), "http://yi.example.cn/2020.html", { sourceId: "yi" }));
  db.prepare(
    `INSERT INTO crawl_frontier (unique_key, url, host, kind, source_id, title, state, added_at, updated_at)
     VALUES ('yi-2020', 'http://yi.example.cn/2020.html', 'yi.example.cn', 'report', 'yi', '乙县教育局2020年政府信息公开工作年度报告', 'done', '2024-01-01', '2024-01-01')`,
  ).run();
  // A report link of 丁镇农业站 (no report of it stored) that the crawler gave up on.
  db.prepare(
    `INSERT INTO crawl_frontier (unique_key, url, host, kind, source_id, title, state, last_error, last_error_code, added_at, updated_at)
     VALUES ('bing-2021', 'http://bing.example.cn/ding-2021.html', 'bing.example.cn', 'report', 'bing', '丁镇农业站2021年度政府信息公开工作年度报告', 'failed', 'HTTP 500', 'E_FETCH_HTTP', '2024-01-01', '2024-01-01')`,
  ).run();
}
