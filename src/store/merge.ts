import Database from "better-sqlite3";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { NianbaoError } from "../errors.js";
import { applied, migrate } from "./migrate.js";
import { refreshCrossYear } from "./cross-year.js";
import { MIGRATIONS } from "./migrations/index.js";

/** What merging one database added. */
export interface MergeCounts {
  input: string;
  runs: number;
  pages: number;
  reports: number;
  rejections: number;
}

/** A run's identity across databases: where it was first made (see migration 008-merge). */
function runKey(kind: string, startedAt: string, optionsJson: string | null): string {
  return createHash("sha256").update(`${kind}\u0000${startedAt}\u0000${optionsJson ?? ""}`).digest("hex");
}

/**
 * Check an input's schema: refuse one written by a newer nianbao (migrations this one does not
 * know). Returns whether it lacks migrations this one has (an older database).
 */
function schemaOf(path: string): { older: boolean } {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (cause) {
    throw new NianbaoError("E_DB_OPEN", `cannot open ${path}: ${(cause as Error).message}`, { path }, { cause });
  }
  try {
    let names: string[];
    try {
      names = applied(db);
    } catch (cause) {
      throw new NianbaoError("E_DB_OPEN", `${path} is not a nianbao database: ${(cause as Error).message}`, { path }, { cause });
    }
    if (names.length === 0) throw new NianbaoError("E_DB_OPEN", `${path} is not a nianbao database (no schema ledger)`, { path });
    const known = new Set(MIGRATIONS.map((m) => m.name));
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length) {
      throw new NianbaoError("E_DB_OPEN", `${path} was written by a newer nianbao (schema steps ${unknown.join(", ")}); upgrade nianbao to merge it`, { path, unknown });
    }
    return { older: names.length < known.size };
  } finally {
    db.close();
  }
}

/** Columns of a table in a schema ("main" or an attached one). */
function columns(db: Database.Database, schema: string, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?, ?)`).all(table, schema) as { name: string }[]).map((r) => r.name);
}

/**
 * Copy rows of `table` from the attached `src` into main: every column both have, with some
 * replaced by expressions (remapped ids) and the rest copied as they are. `from` names the source
 * rows as `t` (joins allowed).
 */
function copy(db: Database.Database, table: string, options: { skip?: string[]; map?: Record<string, string>; from: string; where?: string; order?: string }): number {
  const target = columns(db, "main", table);
  const source = new Set(columns(db, "src", table));
  const skip = new Set(options.skip ?? []);
  const map = options.map ?? {};
  const cols = target.filter((c) => !skip.has(c) && (c in map || source.has(c)));
  const exprs = cols.map((c) => map[c] ?? `t."${c}"`);
  const sql = `INSERT INTO main."${table}" (${cols.map((c) => `"${c}"`).join(", ")}) SELECT ${exprs.join(", ")} FROM ${options.from}${options.where ? ` WHERE ${options.where}` : ""}${options.order ? ` ORDER BY ${options.order}` : ""}`;
  return db.prepare(sql).run().changes;
}

/**
 * Union databases made by separate crawls (shards: `crawl --shard k/N`) into `out`:
 *
 * - pages are deduplicated by sha256, as a crawl does: a page body stored in several inputs (at one
 *   URL or several) is stored once, with every URL it was seen at (page_urls); other bodies of the
 *   same URL are kept as versions (reports_latest shows the best copy);
 * - a pinned copy (report_pins) stays pinned;
 * - a page's report (with its values, issues and search text) or rejection comes with it;
 * - crawl runs are kept, one row per run of each shard, marked with where they came from, and
 *   pages keep pointing at the run that fetched them; sources are added if missing;
 * - the crawl state that steers a shard's next crawl (frontier, validators, fetch log, pauses)
 *   stays in the shard's own database.
 *
 * Idempotent: merging the same input again adds nothing. Each input is merged in one transaction,
 * so an interrupted merge leaves whole inputs. An input written by a newer nianbao is refused; an
 * older one is read from an upgraded temporary copy (the input itself is not changed).
 */
export function mergeDatabases(out: Database.Database, inputs: readonly string[]): MergeCounts[] {
  const results: MergeCounts[] = [];
  const outPath = out.name === ":memory:" ? null : resolve(out.name);
  for (const input of inputs) {
    if (!existsSync(input)) throw new NianbaoError("E_FILE_NOT_FOUND", `no database at ${input}`, { path: input });
    if (outPath !== null && resolve(input) === outPath) throw new NianbaoError("E_BAD_ARGS", `${input} is the output database; merge other databases into it`, { path: input });
  }
  // Check every input before merging any, so a refused one leaves the output untouched.
  const schemas = inputs.map((input) => schemaOf(input));
  inputs.forEach((input, i) => {
    let path = input;
    let temp: string | null = null;
    if (schemas[i]!.older) {
      temp = join(tmpdir(), `nianbao-merge-${randomUUID()}.db`);
      const src = new Database(input, { readonly: true, fileMustExist: true });
      try {
        src.prepare("VACUUM INTO ?").run(temp);
      } finally {
        src.close();
      }
      const upgraded = new Database(temp);
      try {
        migrate(upgraded, MIGRATIONS);
      } finally {
        upgraded.close();
      }
      path = temp;
    }
    try {
      results.push({ input, ...mergeOne(out, path) });
    } finally {
      if (temp) rmSync(temp, { force: true });
    }
  });
  return results;
}

function mergeOne(db: Database.Database, path: string): Omit<MergeCounts, "input"> {
  db.prepare("ATTACH DATABASE ? AS src").run(path);
  try {
    db.function("nianbao_run_key", { deterministic: true }, (kind, startedAt, optionsJson) => runKey(String(kind), String(startedAt), optionsJson === null ? null : String(optionsJson)));
    const tx = db.transaction(() => {
      db.exec(`
        DROP TABLE IF EXISTS temp.merge_runs; DROP TABLE IF EXISTS temp.merge_keys;
        DROP TABLE IF EXISTS temp.merge_pages; DROP TABLE IF EXISTS temp.merge_reports;
        CREATE TEMP TABLE merge_runs (old INTEGER PRIMARY KEY, new INTEGER, key TEXT);
        CREATE TEMP TABLE merge_keys (old INTEGER PRIMARY KEY, new INTEGER);
        CREATE TEMP TABLE merge_pages (old INTEGER PRIMARY KEY, new INTEGER);
        CREATE TEMP TABLE merge_reports (old INTEGER PRIMARY KEY, new INTEGER);
      `);
      // Runs: the key of a run is where it was first made; a run already here (merged before, or
      // made here) is mapped to its row instead of copied.
      db.exec(`INSERT INTO temp.merge_runs (old, key) SELECT id, COALESCE(merged_from, nianbao_run_key(kind, started_at, options_json)) FROM src.crawl_runs`);
      db.exec(`
        UPDATE temp.merge_runs SET new = (
          SELECT r.id FROM main.crawl_runs r
          WHERE r.merged_from = merge_runs.key
             OR (r.merged_from IS NULL AND nianbao_run_key(r.kind, r.started_at, r.options_json) = merge_runs.key))
      `);
      const runs = copy(db, "crawl_runs", { skip: ["id"], map: { merged_from: "m.key" }, from: "src.crawl_runs t JOIN temp.merge_runs m ON m.old = t.id", where: "m.new IS NULL", order: "t.id" });
      db.exec(`UPDATE temp.merge_runs SET new = (SELECT id FROM main.crawl_runs r WHERE r.merged_from = merge_runs.key) WHERE new IS NULL`);

      copy(db, "sources", { from: "src.sources t", where: "t.id NOT IN (SELECT id FROM main.sources)" });
      db.exec(`
        INSERT OR IGNORE INTO main.value_keys (section, row_key, col_key) SELECT section, row_key, col_key FROM src.value_keys ORDER BY id;
        INSERT INTO temp.merge_keys SELECT s.id, m.id FROM src.value_keys s JOIN main.value_keys m USING (section, row_key, col_key);
      `);

      // Pages not stored yet, in their original order: bytes already here (at any URL) are the same
      // page, as when a crawl meets them again; only the URLs they were seen at are added (below).
      const before = db.prepare("SELECT coalesce(max(id), 0) FROM main.pages").pluck().get() as number;
      const pages = copy(db, "pages", {
        skip: ["id"],
        map: { run_id: "(SELECT new FROM temp.merge_runs WHERE old = t.run_id)" },
        from: "src.pages t",
        where: "NOT EXISTS (SELECT 1 FROM main.pages p WHERE p.sha256 = t.sha256)",
        order: "t.id",
      });
      db.prepare(`INSERT INTO temp.merge_pages SELECT t.id, p.id FROM src.pages t JOIN main.pages p ON p.url = t.url AND p.sha256 = t.sha256 WHERE p.id > ?`).run(before);

      // Every URL each page was seen at, on the page that holds its bytes here.
      db.exec(`
        INSERT INTO main.page_urls (page_id, url, source_id, first_seen_at, last_seen_at)
        SELECT (SELECT min(p.id) FROM main.pages p WHERE p.sha256 = t.sha256), u.url, u.source_id, u.first_seen_at, u.last_seen_at
        FROM src.page_urls u JOIN src.pages t ON t.id = u.page_id WHERE true
        ON CONFLICT (page_id, url) DO UPDATE SET
          first_seen_at = min(first_seen_at, excluded.first_seen_at),
          last_seen_at = max(last_seen_at, excluded.last_seen_at)
      `);

      // The readings of those pages: reports with their rows, or rejections.
      const reports = copy(db, "reports", { skip: ["id"], map: { page_id: "m.new" }, from: "src.reports t JOIN temp.merge_pages m ON m.old = t.page_id", order: "t.id" });
      db.exec(`INSERT INTO temp.merge_reports SELECT t.id, r.id FROM src.reports t JOIN temp.merge_pages m ON m.old = t.page_id JOIN main.reports r ON r.page_id = m.new`);
      copy(db, "report_values", {
        map: { report_id: "m.new", key_id: "k.new" },
        from: "src.report_values t JOIN temp.merge_reports m ON m.old = t.report_id JOIN temp.merge_keys k ON k.old = t.key_id",
        order: "m.new, t.key_id",
      });
      copy(db, "issues", { map: { report_id: "m.new" }, from: "src.issues t JOIN temp.merge_reports m ON m.old = t.report_id" });
      // A user's choice of copy (nianbao pin) travels with the report.
      db.exec(`INSERT OR IGNORE INTO main.report_pins (report_id, pinned_at, note) SELECT m.new, t.pinned_at, t.note FROM src.report_pins t JOIN temp.merge_reports m ON m.old = t.report_id`);
      const rejections = copy(db, "rejections", { map: { page_id: "m.new" }, from: "src.rejections t JOIN temp.merge_pages m ON m.old = t.page_id" });
      db.exec(`
        INSERT INTO main.report_text (rowid, title, body) SELECT m.new, t.title, t.body FROM src.report_text t JOIN temp.merge_reports m ON m.old = t.rowid;
        INSERT OR IGNORE INTO main.search_pending (report_id) SELECT m.new FROM src.search_pending t JOIN temp.merge_reports m ON m.old = t.report_id;
      `);
      // Carry-over across years between this input's reports and those already merged (a body's
      // years may come from different shards, and this input's copy may now be the best one).
      const keys = db
        .prepare("SELECT DISTINCT r.agency, r.year FROM temp.merge_reports m JOIN main.reports r ON r.id = m.new WHERE r.agency IS NOT NULL AND r.year IS NOT NULL")
        .all() as { agency: string; year: number }[];
      refreshCrossYear(db, keys);
      return { runs, pages, reports, rejections };
    });
    return tx.immediate();
  } finally {
    db.exec("DROP TABLE IF EXISTS temp.merge_runs; DROP TABLE IF EXISTS temp.merge_keys; DROP TABLE IF EXISTS temp.merge_pages; DROP TABLE IF EXISTS temp.merge_reports;");
    db.exec("DETACH DATABASE src");
  }
}
