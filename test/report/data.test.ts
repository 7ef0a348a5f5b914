import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectReportData, PATH_LABELS, REASON_ROWS, REPORT_COLUMNS } from "../../src/report/data.js";
import { openDb } from "../../src/store/db.js";
import { fillReportDb } from "./fixture-db.js";

describe("the report's data", () => {
  let db: Database.Database;
  beforeAll(() => {
    db = openDb(":memory:");
    fillReportDb(db);
  });
  afterAll(() => db.close());
  const col = (name: (typeof REPORT_COLUMNS)[number]) => REPORT_COLUMNS.indexOf(name);
  const now = new Date("2025-01-02T03:04:05Z");

  it("has every latest report with its indicators, bodies and years", () => {
    const d = collectReportData(db, {}, now);
    expect(d.bodies.slice(0, 3).sort()).toEqual(["丙区民政局", "乙县教育局", "甲市财政局"].sort());
    expect(d.years).toEqual([2019, 2020, 2021, 2022]);
    expect(d.reports).toHaveLength(7);
    const jia2021 = d.reports.find((r) => d.bodies[r[col("body")] as number] === "甲市财政局" && r[col("year")] === 2021);
    expect(jia2021?.[col("applications_received")]).toBe(6);
    expect(jia2021?.[col("rankable")]).toBe(0);
    expect(d.generatedAt).toBe("2025-01-02T03:04:05.000Z");
  });

  it("places a failed or rejected page on the body and year its link title names", () => {
    const d = collectReportData(db, {}, now);
    const byUrl = Object.fromEntries(d.failures.map((f) => [f.url, { ...f, body: d.bodies[f.body] }]));
    expect(Object.keys(byUrl).sort()).toEqual(["http://bing.example.cn/ding-2021.html", "http://yi.example.cn/2020.html"]);
    expect(byUrl["http://yi.example.cn/2020.html"]).toMatchObject({ body: "乙县教育局", year: 2020 });
    expect(byUrl["http://yi.example.cn/2020.html"]?.reason).toMatch(/^E_NOT_REPORT: /);
    // A body with no stored report: named by the link title, not by the site it was found on.
    expect(byUrl["http://bing.example.cn/ding-2021.html"]).toMatchObject({ body: "丁镇农业站", year: 2021, reason: "E_FETCH_HTTP: HTTP 500" });
  });

  it("lists broken identities with the cells in Chinese, and carry-overs that do not match the year before", () => {
    const d = collectReportData(db, {}, now);
    const identity = d.broken.find((b) => b.kind === "identity");
    expect(identity).toMatchObject({ expected: 40, actual: 38 });
    expect(identity?.cells).toEqual(["一、本年新收政府信息公开申请数量·总计", "二、上年结转政府信息公开申请数量·总计", "（七）总计·总计", "四、结转下年度继续办理·总计"]);
    const carry = d.broken.filter((b) => b.kind === "carry_over");
    expect(carry).toHaveLength(1);
    expect(carry[0]).toMatchObject({ expected: 2, actual: 5, prevUrl: "http://jia.example.cn/2021.html" });
    expect(d.reports[carry[0]!.report]![col("source_url")]).toBe("http://jia.example.cn/2022.html");
  });

  it("sums refusal reasons per year and counts blank cells apart, never as 0", () => {
    const d = collectReportData(db, {}, now);
    expect(d.reasons.byYear["2021"]?.["denied_state_secret"]).toMatchObject({ reports: 2, blank: 1 });
    const one = db.prepare("SELECT a.total FROM applications a JOIN reports_latest l USING (report_id) WHERE l.year = 2021 AND l.agency = '甲市财政局' AND a.row_key = 'denied_state_secret'").pluck().get();
    expect(d.reasons.byYear["2021"]?.["denied_state_secret"]?.sum).toBe(one);
    expect(REASON_ROWS.map((r) => r.key).slice(0, 2)).toEqual(["denied_state_secret", "denied_law_prohibited"]);
    expect(REASON_ROWS.map((r) => r.key)).toEqual(expect.arrayContaining(["other", "other_no_correction", "other_unpaid_fee", "other_other", "rejected_confirmation", "unavailable_unclear"]));
    expect(PATH_LABELS.get("reviewLitigation.review.corrected")).toBe("表四 行政复议·结果纠正");
  });

  it("filters by region through the report's source, by agency and by year", () => {
    const jiaSheng = collectReportData(db, { region: "甲省" }, now);
    expect(jiaSheng.reports).toHaveLength(6);
    expect(jiaSheng.failures.map((f) => f.url)).toEqual(["http://yi.example.cn/2020.html"]);
    const dingSheng = collectReportData(db, { region: "丁省" }, now);
    expect(dingSheng.reports.map((r) => dingSheng.bodies[r[col("body")] as number])).toEqual(["丙区民政局"]);
    expect(dingSheng.failures.map((f) => f.url)).toEqual(["http://bing.example.cn/ding-2021.html"]);
    const jia = collectReportData(db, { agency: "甲市" }, now);
    expect(jia.reports).toHaveLength(4);
    expect(jia.failures).toEqual([]);
    // The carry-over of 2022 is checked against 2021 even when 2021 is outside the years asked for.
    const y2022 = collectReportData(db, { yearFrom: 2022, yearTo: 2022 }, now);
    expect(y2022.reports).toHaveLength(3);
    expect(y2022.failures).toEqual([]);
    expect(y2022.broken.map((b) => b.kind).sort()).toEqual(["carry_over", "identity"]);
    // LIKE wildcards in a filter are taken literally.
    expect(collectReportData(db, { agency: "%" }, now).reports).toEqual([]);
  });
});
