import type Database from "better-sqlite3";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReportRecord } from "../../src/schema/record.js";
import { openDb } from "../../src/store/db.js";
import { loadRecord } from "../../src/store/records.js";
import { createReportSink } from "../../src/store/sink.js";
import { fakeBody, fakeParser, rawPage, recordArb, sampleRecord } from "./helpers.js";

/**
 * Rebuild what the views say about a report, in the record's shape. The `*_all` views: a random
 * record may be a worse copy of one stored before, which the contract views then leave out.
 */
function throughViews(db: Database.Database, reportId: number) {
  const meta = db
    .prepare(
      `SELECT report_id, agency, year, template, title, published_at, source_url, parser_version, issue_count, incomplete, error_count, warning_count, linked_from
       FROM reports_all WHERE report_id = ?`,
    )
    .get(reportId) as Record<string, unknown>;
  const active: Record<string, Record<string, number | null>> = {};
  const units: Record<string, string> = {};
  for (const r of db.prepare("SELECT * FROM active_disclosure_all WHERE report_id = ?").all(reportId) as { item: string; metric: string; value: number | null; unit: string | null }[]) {
    (active[r.item] ??= {})[r.metric] = r.value;
    if (r.unit !== null) units[`active.${r.item}.${r.metric}`] = r.unit;
  }
  const applications: Record<string, Record<string, number | null>> = {};
  for (const r of db.prepare("SELECT * FROM applications_all WHERE report_id = ?").all(reportId) as Record<string, string | number | null>[]) {
    const { report_id: _id, row_key, ...cols } = r;
    applications[row_key as string] = cols as Record<string, number | null>;
  }
  const reviewLitigation: Record<string, Record<string, number | null>> = {};
  for (const r of db.prepare("SELECT * FROM review_litigation_all WHERE report_id = ?").all(reportId) as Record<string, string | number | null>[]) {
    const { report_id: _id, group_key, ...cols } = r;
    reviewLitigation[group_key as string] = cols as Record<string, number | null>;
  }
  const issues = db.prepare("SELECT code, severity, message FROM report_issues_all WHERE report_id = ?").all(reportId);
  return { meta, active, applications, reviewLitigation, units, issues };
}

/** The record as the views can show it: the wide views list all seven (five) columns, absent ones as NULL. */
function expectedThroughViews(record: ReportRecord, reportId: number) {
  const widen = (rows: Record<string, Record<string, number | null>>, cols: readonly string[]) =>
    Object.fromEntries(Object.entries(rows).filter(([, c]) => Object.keys(c).length).map(([row, c]) => [row, Object.fromEntries(cols.map((k) => [k, c[k] ?? null]))]));
  const activeUnits = Object.fromEntries(
    Object.entries(record.units).filter(([p]) => {
      const [field, item, metric] = p.split(".");
      return field === "active" && record.active[item as string]?.[metric as string] !== undefined && p.split(".").length === 3;
    }),
  );
  return {
    meta: {
      report_id: reportId,
      agency: record.agency,
      year: record.year,
      template: record.template,
      title: record.title,
      published_at: record.publishedAt,
      source_url: record.sourceUrl,
      parser_version: record.parserVersion,
      issue_count: record.issues.length,
      incomplete: record.incomplete ? 1 : 0,
      error_count: record.issues.filter((i) => i.severity === "error").length,
      warning_count: record.issues.filter((i) => i.severity === "warning").length,
      // Pages stored by this test link nothing (a report file found through a page would name it).
      linked_from: null,
    },
    active: Object.fromEntries(Object.entries(record.active).filter(([, c]) => Object.keys(c).length)),
    applications: widen(record.applications, ["natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total"]),
    reviewLitigation: widen(record.reviewLitigation, ["upheld", "corrected", "other", "pending", "total"]),
    units: activeUnits,
    issues: record.issues.map(({ code, severity, message }) => ({ code, severity, message })),
  };
}

describe("record ↔ rows", () => {
  let db: Database.Database;
  beforeEach(() => {
    db = openDb(":memory:");
  });
  afterEach(() => db.close());

  it("property: a record stored and read back through the views (and in full) equals the record", () => {
    let n = 0;
    fc.assert(
      fc.property(recordArb, (generated) => {
        // One body per record: records of one agency in consecutive years would (rightly) gain
        // cross_year.carry_over issues from each other, which are the store's, not the record's.
        const record = generated.agency === null ? generated : { ...generated, agency: `${generated.agency}${n}号` };
        const sink = createReportSink(db, { parse: () => record });
        const out = sink.ingest(rawPage(new TextEncoder().encode(`page ${n++}`), `http://example.gov.cn/${n}.html`));
        expect(out.status === "stored" || out.status === "changed").toBe(true);
        const id = out.reportId as number;
        expect(throughViews(db, id)).toEqual(expectedThroughViews(record, id));
        expect(loadRecord(db, id)).toEqual(record);
      }),
      { numRuns: 150 },
    );
  });

  it("keeps integers integers and decimals decimals in SQL", () => {
    const record = sampleRecord({ template: "2021" });
    const out = createReportSink(db, { parse: fakeParser() }).ingest(rawPage(fakeBody(record)));
    const types = db.prepare("SELECT typeof(value) AS t, count(*) AS n FROM report_values WHERE report_id = ? GROUP BY 1 ORDER BY 1").all(out.reportId);
    // 7 × 25 applications (one row all blank) + 15 review + 10 active values, of which fees.amount is a decimal.
    expect(types).toEqual([
      { t: "integer", n: 7 * 24 + 15 + 9 },
      { t: "null", n: 7 },
      { t: "real", n: 1 },
    ]);
    const row = db.prepare("SELECT * FROM active_disclosure WHERE report_id = ? AND item = 'fees'").get(out.reportId);
    expect(row).toEqual({ report_id: out.reportId, item: "fees", metric: "amount", value: record.active["fees"]?.["amount"], unit: "万元" });
  });

  it("keeps value-key ids right when a page's transaction rolls back after creating a new key", () => {
    const sink = createReportSink(db, { parse: (body) => JSON.parse(new TextDecoder().decode(body)) as ReportRecord });
    const record = sampleRecord({ template: "2021" });
    const withNewKey: ReportRecord = { ...record, active: { ...record.active, brand_new_item: { brand_new_metric: 7 } } };
    // The crawler stores each page inside its own transaction; this one fails after the key is made.
    expect(() =>
      db.transaction(() => {
        sink.ingest(rawPage(new TextEncoder().encode(JSON.stringify(withNewKey)), "http://example.gov.cn/a.html"));
        throw new Error("crash after ingest");
      })(),
    ).toThrow("crash after ingest");
    expect(db.prepare("SELECT count(*) FROM value_keys WHERE row_key = 'brand_new_item'").pluck().get()).toBe(0);
    // The next page (again in a transaction) must not reuse an id that was rolled back.
    const out = db.transaction(() => sink.ingest(rawPage(new TextEncoder().encode(JSON.stringify(withNewKey)), "http://example.gov.cn/b.html")))();
    expect(loadRecord(db, out.reportId as number)?.active["brand_new_item"]).toEqual({ brand_new_metric: 7 });
    // And once committed, ids are cached and still right for later pages in transactions.
    const again = db.transaction(() => sink.ingest(rawPage(new TextEncoder().encode(JSON.stringify({ ...withNewKey, year: 2022 })), "http://example.gov.cn/c.html")))();
    expect(loadRecord(db, again.reportId as number)?.active["brand_new_item"]).toEqual({ brand_new_metric: 7 });
  });

  it("returns null for a report that does not exist", () => {
    expect(loadRecord(db, 12345)).toBeNull();
  });
});
