import type Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDb } from "../../src/store/db.js";
import { createReportSink } from "../../src/store/sink.js";
import { fakeBody, fakeParser, rawPage, sampleRecord } from "./helpers.js";

/** The analyst views beyond the contract: coverage, identity_failures, carry_over_check. */
describe("analyst views", () => {
  let db: Database.Database;
  beforeEach(() => {
    db = openDb(":memory:");
    const sink = createReportSink(db, { parse: fakeParser() });
    const withCarry = (year: number, carriedOver: number | null, carriedForward: number, agency = "甲局") => {
      const r = sampleRecord({ agency, year, template: year >= 2021 ? "2021" : "2019" }, year);
      r.applications["carried_over"] = { ...r.applications["carried_over"], total: carriedOver };
      r.applications["carried_forward"] = { ...r.applications["carried_forward"], total: carriedForward };
      if (year === 2021) r.issues = [];
      return r;
    };
    sink.ingest(rawPage(fakeBody(withCarry(2020, 1, 4)), "http://a.cn/2020"));
    sink.ingest(rawPage(fakeBody(withCarry(2021, 4, 2)), "http://a.cn/2021"));
    sink.ingest(rawPage(fakeBody(withCarry(2022, 3, 0)), "http://a.cn/2022"));
    sink.ingest(rawPage(fakeBody(withCarry(2023, null, 0)), "http://a.cn/2023"));
    sink.ingest(rawPage(fakeBody(withCarry(2022, 2, 0, "乙局")), "http://b.cn/2022"));
  });
  afterEach(() => db.close());

  it("carry_over_check compares Y−1's carried_forward with Y's carried_over for the same agency", () => {
    expect(db.prepare("SELECT * FROM carry_over_check ORDER BY agency, year").all()).toEqual([
      { agency: "甲局", year: 2021, carried_forward_prev: 4, carried_over: 4, matches: 1 },
      { agency: "甲局", year: 2022, carried_forward_prev: 2, carried_over: 3, matches: 0 },
      { agency: "甲局", year: 2023, carried_forward_prev: 0, carried_over: null, matches: null },
    ]);
  });

  it("coverage counts latest reports per year and template, and those with issues", () => {
    expect(db.prepare("SELECT * FROM coverage ORDER BY year").all()).toEqual([
      { year: 2020, template: "2019", reports: 1, with_issues: 1, incomplete: 0, with_errors: 1 },
      { year: 2021, template: "2021", reports: 1, with_issues: 0, incomplete: 0, with_errors: 0 },
      { year: 2022, template: "2021", reports: 2, with_issues: 2, incomplete: 0, with_errors: 2 },
      { year: 2023, template: "2021", reports: 1, with_issues: 1, incomplete: 0, with_errors: 1 },
    ]);
  });

  it("identity_failures lists the identities latest reports break", () => {
    const rows = db.prepare("SELECT agency, year, code, identity, expected, actual FROM identity_failures ORDER BY agency, year").all();
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({ agency: "乙局", year: 2022, code: "identity.applications.balance", identity: "applications.balance", expected: 12, actual: 11 });
  });
});
