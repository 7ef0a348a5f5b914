import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDb } from "../../src/store/db.js";
import { applied, migrate } from "../../src/store/migrate.js";
import { MIGRATIONS } from "../../src/store/migrations/index.js";
import { loadRecord } from "../../src/store/records.js";
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

const EXTRA_VIEWS: Record<string, string[]> = {
  coverage: ["year", "template", "reports", "with_issues", "incomplete"],
  carry_over_check: ["agency", "year", "carried_forward_prev", "carried_over", "matches"],
};

const columnsOf = (db: Database.Database, view: string) => db.prepare("SELECT name FROM pragma_table_info(?)").pluck().all(view);

describe("openDb", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-db-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("creates every table and the views with exactly the contract's columns, in WAL with foreign keys on", () => {
    const db = openDb(join(dir, "new.db"));
    for (const [view, cols] of Object.entries({ ...CONTRACT_VIEWS, ...EXTRA_VIEWS })) expect(columnsOf(db, view), view).toEqual(cols);
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
    const record = sampleRecord();
    const { reportId } = createReportSink(old, { parse: fakeParser() }).ingest(rawPage(fakeBody(record)));
    old.close();

    const db = openDb(path);
    expect(applied(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(db.prepare("SELECT report_id FROM reports_latest").pluck().all()).toEqual([reportId]);
    expect(loadRecord(db, reportId as number)).toEqual(record);
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
