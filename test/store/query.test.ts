import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NianbaoError } from "../../src/errors.js";
import Database from "better-sqlite3";
import { openDb } from "../../src/store/db.js";
import { applied, migrate } from "../../src/store/migrate.js";
import { MIGRATIONS } from "../../src/store/migrations/index.js";
import { coerceParam, openForQuery, runReadOnly } from "../../src/store/query.js";
import { createReportSink } from "../../src/store/sink.js";
import { fakeBody, fakeParser, rawPage, sampleRecord } from "./helpers.js";

/**
 * The database's content on disk: the main file's hash and the WAL's (absent and empty count the
 * same: a read-only connection to a WAL database creates an empty -wal file, which holds no data).
 */
const hashFiles = (path: string) =>
  ["", "-wal"].map((suffix) => {
    try {
      const bytes = readFileSync(path + suffix);
      return bytes.byteLength === 0 ? "empty" : createHash("sha256").update(bytes).digest("hex");
    } catch {
      return "empty";
    }
  });

function codeOf(f: () => unknown): string | undefined {
  try {
    const out = f() as { rows?: Iterable<unknown> } | undefined;
    // Iterate the rows: a statement only fails once it runs.
    if (out?.rows) for (const _row of out.rows) void _row;
  } catch (e) {
    return e instanceof NianbaoError ? e.code : `not a NianbaoError: ${(e as Error).message}`;
  }
  return undefined;
}

describe("read-only query", () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-query-"));
    path = join(dir, "t.db");
    const db = openDb(path);
    createReportSink(db, { parse: fakeParser() }).ingest(rawPage(fakeBody(sampleRecord())));
    db.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads views with named parameters", () => {
    const db = openForQuery(path);
    const { columns, rows } = runReadOnly(db, "SELECT row_key, total FROM applications WHERE row_key = :row AND report_id = @id", { row: "new_received", id: 1 });
    expect(columns).toEqual(["row_key", "total"]);
    expect([...rows]).toHaveLength(1);
    db.close();
  });

  it.each([
    "INSERT INTO sources (id) VALUES ('x')",
    "DELETE FROM reports",
    "UPDATE pages SET status = 500",
    "DROP VIEW applications",
    "CREATE TABLE t (x)",
    "PRAGMA user_version = 7",
    "WITH x AS (SELECT 1) DELETE FROM issues",
    "VACUUM",
  ])("refuses %s with E_QUERY_READ_ONLY and leaves the file unchanged", (sql) => {
    const before = hashFiles(path);
    const db = openForQuery(path);
    expect(codeOf(() => runReadOnly(db, sql))).toBe("E_QUERY_READ_ONLY");
    db.close();
    expect(hashFiles(path)).toEqual(before);
  });

  it("refuses several statements at once, even if the first only reads", () => {
    const db = openForQuery(path);
    expect(codeOf(() => runReadOnly(db, "SELECT 1; DELETE FROM reports"))).toBe("E_QUERY_FAILED");
    db.close();
  });

  it("reports invalid SQL and missing parameters as E_QUERY_FAILED", () => {
    const db = openForQuery(path);
    expect(codeOf(() => runReadOnly(db, "SELEC 1"))).toBe("E_QUERY_FAILED");
    expect(codeOf(() => runReadOnly(db, "SELECT * FROM no_such_view"))).toBe("E_QUERY_FAILED");
    expect(codeOf(() => runReadOnly(db, "SELECT :missing"))).toBe("E_QUERY_FAILED");
    db.close();
  });

  it("cannot attach and create another database file", () => {
    const db = openForQuery(path);
    const code = codeOf(() => runReadOnly(db, `ATTACH '${join(dir, "other.db")}' AS other`));
    expect(code).toMatch(/E_QUERY_/);
    db.close();
    expect(() => readFileSync(join(dir, "other.db"))).toThrow();
  });

  it("says there is no database instead of creating one", () => {
    expect(codeOf(() => openForQuery(join(dir, "missing.db")))).toBe("E_DB_OPEN");
    expect(() => readFileSync(join(dir, "missing.db"))).toThrow();
  });

  it("upgrades a database made by an older version before querying it, so the views exist", () => {
    const old = join(dir, "old.db");
    const raw = new Database(old);
    migrate(raw, MIGRATIONS.slice(0, 1));
    raw.close();
    const db = openForQuery(old);
    expect(applied(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect([...runReadOnly(db, "SELECT * FROM value_details").rows]).toEqual([]);
    db.close();
  });

  it("binds text that reads as a number as a number", () => {
    expect([coerceParam("2020"), coerceParam("-1.5"), coerceParam("乌海"), coerceParam("12a"), coerceParam("")]).toEqual([2020, -1.5, "乌海", "12a", ""]);
  });
});
