import type Database from "better-sqlite3";
import { createHash } from "node:crypto";
import type { Issue } from "../schema/issues.js";
import type { BatchBuffer } from "./group-commit.js";
import { agencyYearKey, CROSS_YEAR_PREFIX, crossYearKey, refreshCrossYear } from "./cross-year.js";
import type { Provenance, ReportRecord } from "../schema/record.js";

/**
 * The record ↔ rows mapping: how a ReportRecord is laid out in `reports`, `report_values` and
 * `issues`, and how it is read back. Writing and reading live side by side so they cannot drift.
 */

/** The record's three value maps, their SQL section name, and the prefix of their value paths. */
export const SECTIONS = [
  { field: "active", section: "active" },
  { field: "applications", section: "applications" },
  { field: "reviewLitigation", section: "review_litigation" },
] as const satisfies readonly { field: keyof ReportRecord; section: string }[];

export type SectionName = (typeof SECTIONS)[number]["section"];

/**
 * What makes two page versions "the same report": agency and year when the page states both, else
 * the page's URL (so a page whose agency or year is unknown is still versioned by where it lives).
 */
export function identityKey(record: Pick<ReportRecord, "agency" | "year">, pageUrl: string): string {
  return record.agency !== null && record.year !== null ? agencyYearKey(record.agency, record.year) : `url|${pageUrl}`;
}

/**
 * A digest of everything the parser said about a page except which parser said it: reparse compares
 * it to skip pages whose reading did not change. Plain JSON.stringify (fast; ~200 values a report)
 * depends on key order, which is stable for one parser; when digests differ, reparse compares the
 * records themselves before calling a report changed.
 */
export function fingerprint(record: ReportRecord): string {
  const { parserVersion: _ignored, ...rest } = record;
  return createHash("sha256").update(JSON.stringify(rest)).digest("hex");
}

/** The prepared statements of one connection, prepared once (see openDb's note on performance). */
interface ReportStatements {
  insertReport: Database.Statement;
  updateReport: Database.Statement;
  insertIssue: Database.Statement;
  deleteValues: Database.Statement;
  deleteIssues: Database.Statement;
  deleteText: Database.Statement;
  markPending: Database.Statement;
  insertText: Database.Statement;
  findKey: Database.Statement;
  insertKey: Database.Statement;
  /** Multi-row value inserts by row count: a report's ~200 cells go in with one call. */
  insertValues: Map<number, Database.Statement>;
  /**
   * field → row → col → the value's path and value_keys id, for keys known to be committed. Nested
   * maps over the record's own (interned) key strings: no string is built to look a cell up.
   */
  keys: Map<string, Map<string, Map<string, { path: string; id: number }>>>;
}

const VALUE_COLUMNS = 10;
/** Rows per INSERT: 500 × 9 parameters stays well under SQLite's 32,766. */
const MAX_VALUE_ROWS = 500;

const statements = new WeakMap<Database.Database, ReportStatements>();

function reportStatements(db: Database.Database): ReportStatements {
  let s = statements.get(db);
  if (!s) {
    s = {
      insertReport: db.prepare(
        `INSERT INTO reports (page_id, identity_key, agency, year, template, title, published_at, source_url,
           incomplete, has_provenance, extra_json, parser_version, fingerprint, parsed_at,
           error_count, warning_count, unreadable_cells, form)
         VALUES (@pageId, @identityKey, @agency, @year, @template, @title, @publishedAt, @sourceUrl,
           @incomplete, @hasProvenance, @extraJson, @parserVersion, @fingerprint, @parsedAt,
           @errorCount, @warningCount, @unreadableCells, @form)`,
      ),
      updateReport: db.prepare(
        `UPDATE reports SET identity_key = @identityKey, agency = @agency, year = @year, template = @template,
           title = @title, published_at = @publishedAt, source_url = @sourceUrl, incomplete = @incomplete,
           has_provenance = @hasProvenance, extra_json = @extraJson, parser_version = @parserVersion,
           fingerprint = @fingerprint, parsed_at = @parsedAt, error_count = @errorCount,
           warning_count = @warningCount, unreadable_cells = @unreadableCells, form = @form
         WHERE id = @id`,
      ),
      insertIssue: db.prepare(
        `INSERT INTO issues (report_id, ord, code, severity, message, paths_json, expected_json, actual_json, identity, data_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      deleteValues: db.prepare("DELETE FROM report_values WHERE report_id = ?"),
      deleteIssues: db.prepare("DELETE FROM issues WHERE report_id = ?"),
      deleteText: db.prepare("DELETE FROM report_text WHERE rowid = ?"),
      markPending: db.prepare("INSERT OR IGNORE INTO search_pending (report_id) VALUES (?)"),
      insertText: db.prepare("INSERT INTO report_text (rowid, title, body) VALUES (?, ?, ?)"),
      findKey: db.prepare("SELECT id FROM value_keys WHERE section = ? AND row_key = ? AND col_key = ?").pluck(),
      // OR IGNORE: another process may have added the same key a moment ago.
      insertKey: db.prepare("INSERT OR IGNORE INTO value_keys (section, row_key, col_key) VALUES (?, ?, ?)"),
      insertValues: new Map(),
      keys: new Map(),
    };
    statements.set(db, s);
  }
  return s;
}

function mapIn<K, V>(m: Map<K, Map<string, V>>, k: K): Map<string, V> {
  let inner = m.get(k);
  if (!inner) m.set(k, (inner = new Map()));
  return inner;
}

function insertValuesStatement(db: Database.Database, s: ReportStatements, rows: number): Database.Statement {
  let stmt = s.insertValues.get(rows);
  if (!stmt) {
    const tuple = `(${new Array(VALUE_COLUMNS).fill("?").join(",")})`;
    stmt = db.prepare(
      `INSERT INTO report_values (report_id, key_id, value, unit, raw, prov_table, prov_row, prov_col, prov_source, prov_place) VALUES ${new Array(rows).fill(tuple).join(",")}`,
    );
    s.insertValues.set(rows, stmt);
  }
  return stmt;
}

/** A PDF cell's page and box (migration 005's prov_place), as JSON; null for every other source. */
function placeOf(p: Provenance | undefined): string | null {
  return p?.page === undefined ? null : JSON.stringify(p.box ? { page: p.page, box: p.box } : { page: p.page });
}

function jsonOrNull(v: unknown): string | null {
  return v === undefined ? null : JSON.stringify(v);
}

/**
 * A record laid out as rows, ready to insert. Everything CPU-bound (walking ~200 cells, key ids,
 * the digest) happens here, before the caller takes the write lock; inserting is then a few calls.
 */
export interface PreparedRecord {
  record: ReportRecord;
  /** The reports row, without page_id / parsed_at. */
  row: {
    identityKey: string;
    agency: string | null;
    year: number | null;
    template: string | null;
    title: string | null;
    publishedAt: string | null;
    sourceUrl: string | null;
    incomplete: 0 | 1;
    hasProvenance: 0 | 1;
    extraJson: string | null;
    parserVersion: string;
    /** Only with `prepareRecord(…, { fingerprint: true })`; '' otherwise (reparse fills it in). */
    fingerprint: string;
    /** Issues by severity: what an analyst filters on and what ranks copies of one report. */
    errorCount: number;
    warningCount: number;
    /** Null cells named by an error or warning issue: values the parser could not read. */
    unreadableCells: number;
    /** Where the values came from (see `formOf`). */
    form: string;
  };
  /** report_values parameters, VALUE_COLUMNS per cell; the report_id slots are filled on insert. */
  values: unknown[];
}

/**
 * Create the value keys of `paths` (record paths such as `applications.total.total`) if missing, and
 * load every key of the database into this connection's cache. Run it outside any transaction (it
 * does nothing inside one): a caller that stores every page inside its own transaction, like the
 * crawler, would otherwise create keys only inside transactions and never cache them.
 */
export function primeValueKeys(db: Database.Database, paths: readonly string[] = []): void {
  if (db.inTransaction) return;
  const s = reportStatements(db);
  const sectionOf = new Map<string, string>(SECTIONS.map((x) => [x.field, x.section]));
  const fieldOf = new Map<string, string>(SECTIONS.map((x) => [x.section, x.field]));
  db.transaction(() => {
    for (const p of paths) {
      const [field, row, col] = p.split(".");
      const section = field === undefined ? undefined : sectionOf.get(field);
      if (section && row && col) s.insertKey.run(section, row, col);
    }
  })();
  const rows = db.prepare("SELECT id, section, row_key, col_key FROM value_keys").all() as { id: number; section: string; row_key: string; col_key: string }[];
  for (const r of rows) {
    const field = fieldOf.get(r.section) as (typeof SECTIONS)[number]["field"] | undefined;
    if (field) mapIn(mapIn(s.keys, field), r.row_key).set(r.col_key, { path: `${field}.${r.row_key}.${r.col_key}`, id: r.id });
  }
  uncommittedKeys.get(db)?.clear();
}

/**
 * Keys inserted while a transaction was open, per connection. Their ids are not cached until that
 * transaction is over (a rollback would leave a cached id pointing nowhere); the set is cleared the
 * next time a record is prepared outside any transaction, or found committed by a later lookup.
 */
const uncommittedKeys = new WeakMap<Database.Database, Set<string>>();

/**
 * Lay a record out as rows. Creates missing value_keys rows. Key ids are cached per connection,
 * also inside a transaction (the crawler stores each page in one): only keys this connection
 * inserted in a transaction still open are left uncached.
 */
export function prepareRecord(db: Database.Database, record: ReportRecord, pageUrl: string, options: { fingerprint?: boolean } = {}): PreparedRecord {
  const s = reportStatements(db);
  let pending = uncommittedKeys.get(db);
  if (!pending) uncommittedKeys.set(db, (pending = new Set()));
  if (!db.inTransaction) pending.clear();
  const units = record.units;
  const prov = record.provenance;
  const values: unknown[] = [];
  let unitHits = 0;
  let provHits = 0;
  const emptyRows: Record<string, string[]> = {};
  // Paths named by errors and warnings: a null cell among them is one the parser could not read.
  let errorCount = 0;
  let warningCount = 0;
  const flagged = new Set<string>();
  for (const issue of record.issues) {
    if (issue.severity === "error") errorCount++;
    else if (issue.severity === "warning") warningCount++;
    else continue;
    for (const path of issue.paths) flagged.add(path);
  }
  let unreadableCells = 0;
  const sources = new Set<string>();
  // for…in rather than Object.entries: no array per row and cell on this hot path.
  for (const { field, section } of SECTIONS) {
    const rows = record[field];
    for (const row in rows) {
      const cols = rows[row] as Record<string, number | null>;
      let cells = 0;
      for (const col in cols) {
        const value = cols[col];
        cells++;
        let key = s.keys.get(field)?.get(row)?.get(col);
        if (key === undefined) {
          const path = `${field}.${row}.${col}`;
          let id = s.findKey.get(section, row, col) as number | undefined;
          if (id === undefined) {
            s.insertKey.run(section, row, col);
            id = s.findKey.get(section, row, col) as number;
            if (db.inTransaction) pending.add(path);
          }
          key = { path, id };
          if (!pending.has(path)) mapIn(mapIn(s.keys, field), row).set(col, key);
        }
        const path = key.path;
        const keyId = key.id;
        const unit = units[path];
        if (unit !== undefined) unitHits++;
        const p: Provenance | undefined = prov?.[path];
        if (p !== undefined) {
          provHits++;
          sources.add(p.source);
        }
        if (value === null && flagged.size > 0 && flagged.has(path)) unreadableCells++;
        values.push(null, keyId, value, unit ?? null, p?.raw ?? null, p?.table ?? null, p?.row ?? null, p?.col ?? null, p?.source ?? null, placeOf(p));
      }
      // A row with no cells has no long-form row to live in.
      if (cells === 0) (emptyRows[field] ??= []).push(row);
    }
  }
  // Units and provenance naming no stored value (if a parser ever emits such), and rows without
  // cells, go into extra_json so the record round-trips. Counting hits keeps the usual case cheap.
  const extra: Record<string, unknown> = {};
  const unitCount = Object.keys(units).length;
  const provCount = prov ? Object.keys(prov).length : 0;
  if (unitHits < unitCount || provHits < provCount) {
    const valuePaths = new Set<string>();
    for (const { field } of SECTIONS) {
      for (const [row, cols] of Object.entries(record[field])) for (const col of Object.keys(cols)) valuePaths.add(`${field}.${row}.${col}`);
    }
    const extraUnits = Object.fromEntries(Object.entries(units).filter(([path]) => !valuePaths.has(path)));
    const extraProv = Object.fromEntries(Object.entries(prov ?? {}).filter(([path]) => !valuePaths.has(path)));
    if (Object.keys(extraUnits).length) extra["units"] = extraUnits;
    if (Object.keys(extraProv).length) extra["provenance"] = extraProv;
  }
  if (Object.keys(emptyRows).length) extra["emptyRows"] = emptyRows;
  return {
    record,
    values,
    row: {
      identityKey: identityKey(record, pageUrl),
      agency: record.agency,
      year: record.year,
      template: record.template,
      title: record.title,
      publishedAt: record.publishedAt,
      sourceUrl: record.sourceUrl,
      incomplete: record.incomplete ? 1 : 0,
      hasProvenance: record.provenance ? 1 : 0,
      extraJson: Object.keys(extra).length ? JSON.stringify(extra) : null,
      parserVersion: record.parserVersion,
      fingerprint: options.fingerprint ? fingerprint(record) : "",
      errorCount,
      warningCount,
      unreadableCells,
      form: formOf(sources),
    },
  };
}

/** Provenance sources that are a text rendering of a report rather than the report's own form. */
const TEXT_SOURCES = new Set(["pipe", "markdown", "text"]);

/**
 * The form a report's values were read from, which ranks copies of one report: `html` when any
 * value came from an HTML table, `text` when all came from text (pipe-flattened, markdown, plain),
 * else the file kind the provenance names (e.g. a PDF or DOCX table), `unknown` without provenance.
 */
export function formOf(sources: ReadonlySet<string>): string {
  if (sources.size === 0) return "unknown";
  if (sources.has("html")) return "html";
  for (const s of [...sources].sort()) if (!TEXT_SOURCES.has(s)) return s;
  return "text";
}

function insertContent(db: Database.Database, s: ReportStatements, reportId: number, prepared: PreparedRecord, searchText?: string): void {
  const { values, record } = prepared;
  for (let i = 0; i < values.length; i += VALUE_COLUMNS) values[i] = reportId;
  const perRow = MAX_VALUE_ROWS * VALUE_COLUMNS;
  for (let start = 0; start < values.length; start += perRow) {
    const chunk = start === 0 && values.length <= perRow ? values : values.slice(start, start + perRow);
    insertValuesStatement(db, s, chunk.length / VALUE_COLUMNS).run(chunk);
  }
  record.issues.forEach((issue, ord) => {
    s.insertIssue.run(reportId, ord, issue.code, issue.severity, issue.message, JSON.stringify(issue.paths), jsonOrNull(issue.expected), jsonOrNull(issue.actual), issue.identity ?? null, jsonOrNull(issue.data));
  });
  // With the parser's search text, the report is indexed now (the caller's transaction batches
  // FTS5's work); without it, the search index catches up in batches (search-index.ts).
  if (searchText === undefined) s.markPending.run(reportId);
  else {
    const held = heldTexts.get(db);
    if (held) held.push({ reportId, title: record.title ?? "", text: searchText });
    else s.insertText.run(reportId, record.title ?? "", searchText);
  }
}

interface HeldText {
  reportId: number;
  title: string;
  text: string;
}
const heldTexts = new WeakMap<Database.Database, HeldText[]>();

/**
 * Hold the search texts of reports inserted on `db` until the group commit flushes them, all in one
 * go just before COMMIT (a GroupCommit buffer). Why: FTS5 writes its pending index at every
 * savepoint, and a group commit runs each page in a savepoint, so indexing inside the unit made a
 * tiny index segment per report and FTS5 then merged them again and again (≈ 1 ms of a crawl's main
 * thread per report; flushed once per batch it is a fraction of that). A text whose report is gone
 * by the flush (deleted, or its unit undone) is dropped; a report id met twice keeps its last text.
 */
export function holdSearchTexts(db: Database.Database): BatchBuffer & { release(): void } {
  const held: HeldText[] = [];
  heldTexts.set(db, held);
  const exists = db.prepare("SELECT 1 FROM reports WHERE id = ?").pluck();
  return {
    mark: () => held.length,
    rollbackTo: (mark) => {
      held.length = Math.min(held.length, mark);
    },
    flush: () => {
      if (held.length === 0) return;
      const s = reportStatements(db);
      const last = new Map<number, HeldText>();
      for (const h of held) last.set(h.reportId, h);
      held.length = 0;
      for (const h of last.values()) {
        if (exists.get(h.reportId) === undefined) continue;
        s.deleteText.run(h.reportId);
        s.insertText.run(h.reportId, h.title, h.text);
      }
    },
    release: () => {
      if (heldTexts.get(db) === held) heldTexts.delete(db);
    },
  };
}

/**
 * Insert a report for a page, with its values and issues, and index `searchText` (the parser's
 * text of the report) or, without it, queue the report for the search index. Call inside a
 * transaction, with `prepared` from `prepareRecord`. Returns the new report id.
 */
export function insertReport(db: Database.Database, pageId: number, prepared: PreparedRecord, parsedAt: string, searchText?: string): number {
  const s = reportStatements(db);
  const id = Number(s.insertReport.run({ pageId, ...prepared.row, parsedAt }).lastInsertRowid);
  insertContent(db, s, id, prepared, searchText);
  refreshCrossYear(db, [prepared.row]);
  return id;
}

/**
 * Replace a stored report's content with a new parse of the same page, keeping its id (so
 * analysts' saved joins keep working); it is indexed with `searchText` (the parser's text of the report), or
 * without it re-queued for the search index (the title may have changed).
 * Call inside a transaction.
 */
export function replaceReport(db: Database.Database, reportId: number, prepared: PreparedRecord, parsedAt: string, searchText?: string): void {
  const s = reportStatements(db);
  const was = crossYearKey(db, reportId);
  s.updateReport.run({ id: reportId, ...prepared.row, parsedAt });
  s.deleteValues.run(reportId);
  s.deleteIssues.run(reportId);
  s.deleteText.run(reportId);
  insertContent(db, s, reportId, prepared, searchText);
  refreshCrossYear(db, [was, prepared.row]);
}

/** Delete a report and everything hanging off it. Call inside a transaction. */
export function deleteReport(db: Database.Database, reportId: number): void {
  reportStatements(db).deleteText.run(reportId);
  const was = crossYearKey(db, reportId);
  // report_values, issues and search_pending go with it (ON DELETE CASCADE).
  db.prepare("DELETE FROM reports WHERE id = ?").run(reportId);
  refreshCrossYear(db, [was]);
}

interface ReportRow {
  agency: string | null;
  year: number | null;
  template: string | null;
  title: string | null;
  published_at: string | null;
  source_url: string | null;
  incomplete: 0 | 1;
  has_provenance: 0 | 1;
  extra_json: string | null;
  parser_version: string;
}

interface ValueRow {
  section: SectionName;
  row_key: string;
  col_key: string;
  value: number | null;
  unit: string | null;
  raw: string | null;
  prov_table: number | null;
  prov_row: number | null;
  prov_col: number | null;
  prov_source: string | null;
  prov_place: string | null;
}

interface IssueRow {
  code: string;
  severity: Issue["severity"];
  message: string;
  paths_json: string;
  expected_json: string | null;
  actual_json: string | null;
  identity: string | null;
  data_json: string | null;
}

/**
 * Read a stored report back as the record it was stored from (keys in the order they were first
 * stored in the database, which is FORMAT order for the standard keys). Returns null when there is
 * no such report.
 */
export function loadRecord(db: Database.Database, reportId: number): ReportRecord | null {
  const r = db.prepare("SELECT * FROM reports WHERE id = ?").get(reportId) as ReportRow | undefined;
  if (!r) return null;
  const extra = r.extra_json
    ? (JSON.parse(r.extra_json) as { units?: Record<string, string>; provenance?: Record<string, Provenance>; emptyRows?: Record<string, string[]> })
    : {};
  const record: ReportRecord = {
    title: r.title,
    agency: r.agency,
    year: r.year,
    template: r.template,
    publishedAt: r.published_at,
    sourceUrl: r.source_url,
    active: {},
    applications: {},
    reviewLitigation: {},
    units: {},
    incomplete: r.incomplete === 1,
    issues: [],
    parserVersion: r.parser_version,
  };
  const provenance: Record<string, Provenance> = {};
  const fieldOf = Object.fromEntries(SECTIONS.map((s) => [s.section, s.field])) as Record<SectionName, (typeof SECTIONS)[number]["field"]>;
  const values = db
    .prepare(
      `SELECT k.section, k.row_key, k.col_key, v.value, v.unit, v.raw, v.prov_table, v.prov_row, v.prov_col, v.prov_source, v.prov_place
       FROM report_values v JOIN value_keys k ON k.id = v.key_id WHERE v.report_id = ? ORDER BY v.key_id`,
    )
    .all(reportId) as ValueRow[];
  for (const v of values) {
    const field = fieldOf[v.section];
    const rows = record[field];
    (rows[v.row_key] ??= {})[v.col_key] = v.value;
    const path = `${field}.${v.row_key}.${v.col_key}`;
    if (v.unit !== null) record.units[path] = v.unit;
    if (v.prov_table !== null) {
      provenance[path] = { table: v.prov_table, row: v.prov_row ?? 0, col: v.prov_col ?? 0, raw: v.raw ?? "", source: v.prov_source ?? "" };
      if (v.prov_place !== null) Object.assign(provenance[path], JSON.parse(v.prov_place) as Pick<Provenance, "page" | "box">);
    }
  }
  for (const { field } of SECTIONS) for (const row of extra.emptyRows?.[field] ?? []) record[field][row] ??= {};
  Object.assign(record.units, extra.units);
  Object.assign(provenance, extra.provenance);
  if (r.has_provenance) record.provenance = provenance;
  // The record as its page reads: the store's own cross-year issues show in report_issues, not here.
  const issues = db.prepare(`SELECT * FROM issues WHERE report_id = ? AND substr(code, 1, ${CROSS_YEAR_PREFIX.length}) != '${CROSS_YEAR_PREFIX}' ORDER BY ord`).all(reportId) as IssueRow[];
  record.issues = issues.map((i) => {
    const issue: Issue = { code: i.code, severity: i.severity, message: i.message, paths: JSON.parse(i.paths_json) as string[] };
    if (i.expected_json !== null) issue.expected = JSON.parse(i.expected_json) as Issue["expected"];
    if (i.actual_json !== null) issue.actual = JSON.parse(i.actual_json) as Issue["actual"];
    if (i.identity !== null) issue.identity = i.identity;
    if (i.data_json !== null) issue.data = JSON.parse(i.data_json) as Record<string, unknown>;
    return issue;
  });
  return record;
}

/**
 * Pages are deduplicated by their bytes: the same sha256 at any URL is one page (and one report),
 * and every URL it was seen at is kept in `page_urls`. The oldest page with these bytes, if any.
 */
export function findPageBySha(db: Database.Database, sha256: string): number | undefined {
  return pageStatements(db).findBySha.get(sha256) as number | undefined;
}

/** Note that a page's bytes were seen at `url` (first time: a new row; again: last_seen_at moves). */
export function notePageUrl(db: Database.Database, pageId: number, url: string, seenAt: string, sourceId: string | null): void {
  pageStatements(db).noteUrl.run(pageId, url, sourceId, seenAt, seenAt);
}

const pageStmts = new WeakMap<Database.Database, { findBySha: Database.Statement; noteUrl: Database.Statement }>();

function pageStatements(db: Database.Database): { findBySha: Database.Statement; noteUrl: Database.Statement } {
  let s = pageStmts.get(db);
  if (!s) {
    s = {
      findBySha: db.prepare("SELECT id FROM pages WHERE sha256 = ? ORDER BY id LIMIT 1").pluck(),
      noteUrl: db.prepare(
        `INSERT INTO page_urls (page_id, url, source_id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (page_id, url) DO UPDATE SET last_seen_at = excluded.last_seen_at`,
      ),
    };
    pageStmts.set(db, s);
  }
  return s;
}
