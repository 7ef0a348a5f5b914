import type Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReportRecord } from "../../src/schema/record.js";
import { openDb } from "../../src/store/db.js";
import { createReportSink } from "../../src/store/sink.js";
import { fakeBody, fakeParser, rawPage, sampleRecord } from "./helpers.js";

/** 表三 总计 column per row (the rest of the row keeps sampleRecord's numbers). */
const TOTALS_2021: Record<string, number | null> = {
  new_received: 20, carried_over: 2, granted: 10, partially_granted: 2,
  denied_state_secret: 1, denied_law_prohibited: 0, denied_three_safeties: 0, denied_third_party: 1,
  denied_internal_affairs: 0, denied_process_info: 0, denied_enforcement_files: 0, denied_admin_query: 0,
  unavailable_not_held: 3, unavailable_needs_creation: 0, unavailable_unclear: 1,
  rejected_petition: 0, rejected_duplicate: 1, rejected_publication: 0, rejected_excessive: 0, rejected_confirmation: 0,
  other_no_correction: 1, other_unpaid_fee: 0, other_other: 0, total: 20, carried_forward: 2,
};

function withTotals(r: ReportRecord, totals: Record<string, number | null>): ReportRecord {
  for (const [row, total] of Object.entries(totals)) r.applications[row] = { ...r.applications[row], total };
  return r;
}

function report2021(agency: string, patch: (r: ReportRecord) => void = () => {}): ReportRecord {
  const r = withTotals(sampleRecord({ agency, year: 2021, template: "2021" }), TOTALS_2021);
  r.reviewLitigation = {
    review: { upheld: 1, corrected: 1, other: 0, pending: 1, total: 3 },
    litigation_direct: { upheld: 1, corrected: 1, other: 0, pending: 0, total: 2 },
    litigation_after_review: { upheld: 1, corrected: 0, other: 0, pending: 0, total: 1 },
  };
  r.active = {
    rules: { issued: 1, repealed: 0, in_force: 5 },
    normative_docs: { issued: 2, repealed: 1, in_force: 9 },
    licensing: { decisions: 300 },
    penalty: { decisions: 40 },
    coercion: { decisions: 3 },
    fees: { amount: 12.5 },
  };
  r.units = { "active.fees.amount": "万元" };
  patch(r);
  return r;
}

describe("indicators view", () => {
  let db: Database.Database;
  let n = 0;
  const store = (r: ReportRecord) => createReportSink(db, { parse: fakeParser() }).ingest(rawPage(fakeBody(r), `http://x.cn/${++n}`));
  const row = (agency: string) => db.prepare("SELECT * FROM indicators WHERE agency = ?").get(agency) as Record<string, unknown>;
  beforeEach(() => {
    db = openDb(":memory:");
  });
  afterEach(() => db.close());

  it("computes every indicator of a complete 2021 report from the printed totals", () => {
    store(report2021("甲局"));
    expect(row("甲局")).toEqual({
      report_id: 1, agency: "甲局", year: 2021, template: "2021",
      applications_received: 20, carried_over: 2, handled: 20,
      granted: 12, granted_share: 0.6,
      refused: 2, refused_share: 0.1,
      unable: 4, unable_share: 0.2,
      not_processed: 1, not_processed_share: 0.05,
      other_handling: 1, carried_forward: 2,
      review_total: 3, review_corrected: 1, review_corrected_share: 1 / 3,
      litigation_total: 3, litigation_corrected: 1, litigation_corrected_share: 1 / 3,
      rules_issued: 1, rules_in_force: 5, normative_docs_issued: 2, normative_docs_in_force: 9,
      licensing_decisions: 300, penalty_decisions: 40, coercion_decisions: 3, fees_amount_wan: 12.5,
      rankable: 1, issue_count: 1,
    });
  });

  it("maps the 2019 keys (made / total) and leaves the 2021-only fee amount NULL", () => {
    const r = sampleRecord({ agency: "乙局", year: 2019, template: "2019" });
    r.active["rules"] = { made: 4, published: 3, total: 30 };
    r.active["normative_docs"] = { made: 1, published: 1, total: 7 };
    r.active["fees"] = { previous: 2, change: 0 };
    store(r);
    expect(row("乙局")).toMatchObject({ template: "2019", rules_issued: 4, rules_in_force: 30, normative_docs_issued: 1, normative_docs_in_force: 7, fees_amount_wan: null });
    // 2019's one （六）其他处理 row is the whole group.
    expect(row("乙局")["other_handling"]).toBe(r.applications["other"]?.["total"]);
  });

  it("is NULL when a part is blank, never a blank taken as 0", () => {
    store(report2021("丙局", (r) => withTotals(r, { denied_third_party: null })));
    store(report2021("丁局", (r) => (r.reviewLitigation["litigation_after_review"] = { upheld: 0, corrected: null, other: 0, pending: 0, total: null })));
    expect(row("丙局")).toMatchObject({ refused: null, refused_share: null, unable: 4, unable_share: 0.2 });
    expect(row("丁局")).toMatchObject({ litigation_total: null, litigation_corrected: null, litigation_corrected_share: null, review_corrected_share: 1 / 3 });
  });

  it("is NULL, not a division by zero, when the denominator is 0; small samples are not rankable", () => {
    const zero = Object.fromEntries(Object.keys(TOTALS_2021).map((k) => [k, 0]));
    store(report2021("戊局", (r) => {
      withTotals(r, { ...zero, new_received: 0 });
      r.reviewLitigation["review"] = { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 };
    }));
    store(report2021("己局", (r) => withTotals(r, { new_received: 9 })));
    expect(row("戊局")).toMatchObject({ handled: 0, granted: 0, granted_share: null, refused_share: null, review_corrected_share: null, rankable: 0 });
    expect(row("己局")["rankable"]).toBe(0);
    expect(row("甲局")).toBeUndefined();
  });

  it("converts a fee printed in 元 to 万元 and refuses a unit it does not know", () => {
    store(report2021("庚局", (r) => (r.units = { "active.fees.amount": "元" })));
    store(report2021("辛局", (r) => (r.units = { "active.fees.amount": "笔" })));
    expect(row("庚局")["fees_amount_wan"]).toBeCloseTo(0.00125, 10);
    expect(row("辛局")["fees_amount_wan"]).toBeNull();
  });

  it("has one row per latest report: an older version of the same report is not counted", () => {
    store(report2021("甲局", (r) => withTotals(r, { new_received: 5 })));
    store(report2021("甲局"));
    const rows = db.prepare("SELECT report_id, applications_received FROM indicators").all();
    expect(rows).toEqual([{ report_id: 2, applications_received: 20 }]);
  });
});
