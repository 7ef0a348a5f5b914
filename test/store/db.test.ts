import Database from "better-sqlite3";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NianbaoError } from "../../src/errors.js";
import { openDb } from "../../src/store/db.js";
import { applied, migrate } from "../../src/store/migrate.js";
import { MIGRATIONS } from "../../src/store/migrations/index.js";
import type { ReportRecord } from "../../src/schema/record.js";
import { loadRecord } from "../../src/store/records.js";
import { searchReports } from "../../src/store/search.js";
import { createReportSink } from "../../src/store/sink.js";
import { fakeBody, fakeParser, rawPage, sampleRecord } from "./helpers.js";

/** PRODUCT.md's "Database views (the analyst's contract)", verbatim. */
const CONTRACT_VIEWS: Record<string, string[]> = {
  reports_latest: ["report_id", "agency", "year", "template", "title", "published_at", "source_url", "parser_version", "issue_count"],
  applications: ["report_id", "row_key", "natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total"],
  active_disclosure: ["report_id", "item", "metric", "value", "unit"],
  review_litigation: ["report_id", "group_key", "upheld", "corrected", "other", "pending", "total"],
  report_issues: ["report_id", "code", "severity", "message"],
};

/** Columns added after the contract's own (README "The views"). */
const ADDED_COLUMNS: Record<string, string[]> = {
  reports_latest: ["region", "source_id", "incomplete", "error_count", "warning_count", "form", "linked_from"],
};

const EXTRA_VIEWS: Record<string, string[]> = {
  coverage: ["year", "template", "reports", "with_issues", "incomplete", "with_errors"],
  applications_all: CONTRACT_VIEWS["applications"] as string[],
  active_disclosure_all: CONTRACT_VIEWS["active_disclosure"] as string[],
  review_litigation_all: CONTRACT_VIEWS["review_litigation"] as string[],
  report_issues_all: CONTRACT_VIEWS["report_issues"] as string[],
  reports_all: [
    ...(CONTRACT_VIEWS["reports_latest"] as string[]),
    ...(ADDED_COLUMNS["reports_latest"] as string[]),
    "unreadable_cells", "identity_key", "page_id", "fetched_at", "pinned", "copy_rank", "is_latest",
  ],
  carry_over_check: ["agency", "year", "carried_forward_prev", "carried_over", "matches"],
};

const columnsOf = (db: Database.Database, view: string) => db.prepare("SELECT name FROM pragma_table_info(?)").pluck().all(view);

/**
 * Store a record the way the first schema (001-core, as shipped) laid it out: values keyed by
 * section, row and column text; the search text indexed at once.
 */
function storeAs001(db: Database.Database, id: number, record: ReportRecord): void {
  db.prepare(
    `INSERT INTO pages (id, url, final_url, fetched_at, status, headers_json, encoding, sha256, size, body_codec, body)
     VALUES (?, ?, ?, ?, 200, '{}', 'utf-8', ?, 1, 'identity', x'00')`,
  ).run(id, `http://old.example.cn/${id}`, `http://old.example.cn/${id}`, `2023-01-0${id}T00:00:00Z`, `sha${id}`);
  db.prepare(
    `INSERT INTO reports (id, page_id, identity_key, agency, year, template, title, published_at, source_url, incomplete, has_provenance, extra_json, parser_version, fingerprint, parsed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, 'old-digest', '2023-01-01')`,
  ).run(id, id, `${record.year}|${record.agency}`, record.agency, record.year, record.template, record.title, record.publishedAt, record.sourceUrl, record.incomplete ? 1 : 0, record.parserVersion);
  const value = db.prepare(
    "INSERT INTO report_values (report_id, section, row_key, col_key, value, unit, raw, prov_table, prov_row, prov_col, prov_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  for (const [field, section] of [["active", "active"], ["applications", "applications"], ["reviewLitigation", "review_litigation"]] as const) {
    for (const [row, cols] of Object.entries(record[field])) {
      for (const [col, v] of Object.entries(cols)) {
        const path = `${field}.${row}.${col}`;
        const p = record.provenance?.[path];
        value.run(id, section, row, col, v, record.units[path] ?? null, p?.raw ?? null, p?.table ?? null, p?.row ?? null, p?.col ?? null, p?.source ?? null);
      }
    }
  }
  record.issues.forEach((i, ord) =>
    db
      .prepare("INSERT INTO issues (report_id, ord, code, severity, message, paths_json, expected_json, actual_json, identity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .run(id, ord, i.code, i.severity, i.message, JSON.stringify(i.paths), JSON.stringify(i.expected), JSON.stringify(i.actual), i.identity ?? null),
  );
  db.prepare("INSERT INTO report_text (rowid, title, body) VALUES (?, ?, ?)").run(id, record.title, "本年度未收取信息处理费。");
}

describe("openDb", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-db-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("creates every table and the views with the contract's columns first (then the documented additions), in WAL with foreign keys on", () => {
    const db = openDb(join(dir, "new.db"));
    for (const [view, cols] of Object.entries(CONTRACT_VIEWS)) expect(columnsOf(db, view), view).toEqual([...cols, ...(ADDED_COLUMNS[view] ?? [])]);
    for (const [view, cols] of Object.entries(EXTRA_VIEWS)) expect(columnsOf(db, view), view).toEqual(cols);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(applied(db)).toEqual(MIGRATIONS.map((m) => m.name));
    db.close();
  });

  it("upgrades a database made by the first migration when it is opened, keeping its data", () => {
    const path = join(dir, "old.db");
    const old = new Database(path);
    old.pragma("journal_mode = WAL");
    migrate(old, MIGRATIONS.slice(0, 1));
    const records = [sampleRecord(), sampleRecord({ year: 2020, template: "2019", agency: "乙局" }, 5)];
    // One cell the parser could not read: null, named by an error.
    const second = records[1] as ReportRecord;
    second.applications["granted"] = { ...second.applications["granted"], total: null };
    second.issues.push({ code: "cell.unreadable", severity: "error", message: "见附件", paths: ["applications.granted.total"] });
    records.forEach((r, i) => storeAs001(old, i + 1, r));
    old.close();

    const db = openDb(path);
    expect(applied(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(db.prepare("SELECT report_id FROM reports_latest ORDER BY report_id").pluck().all()).toEqual([1, 2]);
    records.forEach((r, i) => expect(loadRecord(db, i + 1)).toEqual(r));
    expect(db.prepare("SELECT natural_person FROM applications WHERE report_id = 2 AND row_key = 'new_received'").pluck().get()).toBe(records[1]?.applications["new_received"]?.["natural_person"]);
    expect(db.prepare("SELECT count(*) FROM search_pending").pluck().get()).toBe(0);
    // 004 backfilled what ranks copies and what analysts filter on, from the stored issues and values.
    expect(db.prepare("SELECT report_id, error_count, warning_count, form, unreadable_cells FROM reports_all ORDER BY report_id").all()).toEqual(
      records.map((r, i) => ({
        report_id: i + 1,
        error_count: r.issues.filter((x) => x.severity === "error").length,
        warning_count: r.issues.filter((x) => x.severity === "warning").length,
        form: "html",
        unreadable_cells: i === 1 ? 1 : 0,
      })),
    );
    expect(db.prepare("SELECT page_id, url FROM page_urls ORDER BY page_id").all()).toEqual([
      { page_id: 1, url: "http://old.example.cn/1" },
      { page_id: 2, url: "http://old.example.cn/2" },
    ]);
    expect(searchReports(db, "信息处理费").hits.map((h) => h.report_id).sort()).toEqual([1, 2]);
    // And it keeps working: a new page goes in with the new layout, next to the carried-over ones.
    const added = createReportSink(db, { parse: fakeParser() }).ingest(rawPage(fakeBody(sampleRecord({ agency: "丙局" }, 9))));
    expect(added.status).toBe("stored");
    expect(db.prepare("SELECT count(DISTINCT report_id) FROM value_details").pluck().get()).toBe(3);
    db.close();
  });

  it("applies a later migration to an existing database once, in a transaction with its ledger row", () => {
    const path = join(dir, "x.db");
    openDb(path).close();
    const later = [...MIGRATIONS, { name: "999-test-note", up: (d: Database.Database) => d.exec("ALTER TABLE reports ADD COLUMN note TEXT") }];
    const db = new Database(path);
    expect(migrate(db, later)).toEqual(["999-test-note"]);
    expect(migrate(db, later)).toEqual([]);
    expect(columnsOf(db, "reports")).toContain("note");
    db.close();
  });

  it("enforces foreign keys: a report cannot point at a missing page", () => {
    const db = openDb(":memory:");
    expect(() =>
      db
        .prepare("INSERT INTO reports (page_id, identity_key, incomplete, has_provenance, parser_version, fingerprint, parsed_at) VALUES (99, 'k', 0, 0, 'v', 'f', 't')")
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });
});

describe("openDb on a file that is not a database", () => {
  it("fails with E_DB_OPEN, read-only or not", () => {
    const dir = mkdtempSync(join(tmpdir(), "nianbao-db-bad-"));
    const path = join(dir, "not.db");
    writeFileSync(path, "hello, not SQLite at all\n".repeat(10));
    for (const readOnly of [true, false]) {
      let code: string | undefined;
      try {
        openDb(path, { readOnly }).close();
      } catch (e) {
        code = (e as NianbaoError).code;
      }
      expect(code, `readOnly ${readOnly}`).toBe("E_DB_OPEN");
    }
    rmSync(dir, { recursive: true, force: true });
  });
});
