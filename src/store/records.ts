import type Database from "better-sqlite3";
import { createHash } from "node:crypto";
import type { Issue } from "../schema/issues.js";
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
  return record.agency !== null && record.year !== null ? `${record.year}|${record.agency}` : `url|${pageUrl}`;
}

/** JSON with object keys sorted, so equal records give equal text whatever their key order. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    if (obj[key] !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(obj[key])}`);
  }
  return `{${parts.join(",")}}`;
}

/**
 * A digest of everything the parser said about a page except which parser said it: reparse
 * compares it to decide whether a report changed.
 */
export function fingerprint(record: ReportRecord): string {
  const { parserVersion: _ignored, ...rest } = record;
  return createHash("sha256").update(canonicalJson(rest)).digest("hex");
}

/** The prepared statements of one connection, prepared once (see openDb's note on performance). */
export interface ReportStatements {
  insertReport: Database.Statement;
  updateReport: Database.Statement;
  insertValue: Database.Statement;
  insertIssue: Database.Statement;
  deleteValues: Database.Statement;
  deleteIssues: Database.Statement;
  insertText: Database.Statement;
  deleteText: Database.Statement;
}

const cache = new WeakMap<Database.Database, ReportStatements>();

export function reportStatements(db: Database.Database): ReportStatements {
  let s = cache.get(db);
  if (!s) {
    s = {
      insertReport: db.prepare(
        `INSERT INTO reports (page_id, identity_key, agency, year, template, title, published_at, source_url,
           incomplete, has_provenance, extra_json, parser_version, fingerprint, parsed_at)
         VALUES (@pageId, @identityKey, @agency, @year, @template, @title, @publishedAt, @sourceUrl,
           @incomplete, @hasProvenance, @extraJson, @parserVersion, @fingerprint, @parsedAt)`,
      ),
      updateReport: db.prepare(
        `UPDATE reports SET identity_key = @identityKey, agency = @agency, year = @year, template = @template,
           title = @title, published_at = @publishedAt, source_url = @sourceUrl, incomplete = @incomplete,
           has_provenance = @hasProvenance, extra_json = @extraJson, parser_version = @parserVersion,
           fingerprint = @fingerprint, parsed_at = @parsedAt
         WHERE id = @id`,
      ),
      insertValue: db.prepare(
        `INSERT INTO report_values (report_id, section, row_key, col_key, value, unit, raw, prov_table, prov_row, prov_col, prov_source)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertIssue: db.prepare(
        `INSERT INTO issues (report_id, ord, code, severity, message, paths_json, expected_json, actual_json, identity, data_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      deleteValues: db.prepare("DELETE FROM report_values WHERE report_id = ?"),
      deleteIssues: db.prepare("DELETE FROM issues WHERE report_id = ?"),
      insertText: db.prepare("INSERT INTO report_text (rowid, title, body) VALUES (?, ?, ?)"),
      deleteText: db.prepare("DELETE FROM report_text WHERE rowid = ?"),
    };
    cache.set(db, s);
  }
  return s;
}

function reportParams(record: ReportRecord, pageUrl: string, parsedAt: string) {
  // Units and provenance are keyed by value path; those naming a stored value go into its row, the
  // rest (if a parser ever emits such), and rows without cells, into extra_json so nothing is lost.
  const valuePaths = new Set<string>();
  const emptyRows: Record<string, string[]> = {};
  for (const { field } of SECTIONS) {
    for (const [row, cols] of Object.entries(record[field])) {
      const keys = Object.keys(cols);
      // A row with no cells has no long-form row to live in.
      if (keys.length === 0) (emptyRows[field] ??= []).push(row);
      for (const col of keys) valuePaths.add(`${field}.${row}.${col}`);
    }
  }
  const extraUnits = Object.fromEntries(Object.entries(record.units).filter(([p]) => !valuePaths.has(p)));
  const extraProv = Object.fromEntries(Object.entries(record.provenance ?? {}).filter(([p]) => !valuePaths.has(p)));
  const extra: Record<string, unknown> = {};
  if (Object.keys(extraUnits).length) extra["units"] = extraUnits;
  if (Object.keys(extraProv).length) extra["provenance"] = extraProv;
  if (Object.keys(emptyRows).length) extra["emptyRows"] = emptyRows;
  return {
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
    fingerprint: fingerprint(record),
    parsedAt,
  };
}

function jsonOrNull(v: unknown): string | null {
  return v === undefined ? null : JSON.stringify(v);
}

function insertContent(s: ReportStatements, reportId: number, record: ReportRecord, text: string | null): void {
  const units = record.units;
  const prov = record.provenance;
  for (const { field, section } of SECTIONS) {
    for (const [row, cols] of Object.entries(record[field])) {
      for (const [col, value] of Object.entries(cols)) {
        const path = `${field}.${row}.${col}`;
        const p: Provenance | undefined = prov?.[path];
        s.insertValue.run(reportId, section, row, col, value, units[path] ?? null, p?.raw ?? null, p?.table ?? null, p?.row ?? null, p?.col ?? null, p?.source ?? null);
      }
    }
  }
  record.issues.forEach((i, ord) => {
    s.insertIssue.run(reportId, ord, i.code, i.severity, i.message, JSON.stringify(i.paths), jsonOrNull(i.expected), jsonOrNull(i.actual), i.identity ?? null, jsonOrNull(i.data));
  });
  if (text !== null) s.insertText.run(reportId, record.title ?? "", text);
}

/**
 * Insert a report for a page, with its values, issues and search text. Call inside a transaction.
 * Returns the new report id.
 */
export function insertReport(db: Database.Database, pageId: number, pageUrl: string, record: ReportRecord, text: string, parsedAt: string): number {
  const s = reportStatements(db);
  const id = Number(s.insertReport.run({ pageId, ...reportParams(record, pageUrl, parsedAt) }).lastInsertRowid);
  insertContent(s, id, record, text);
  return id;
}

/**
 * Replace a stored report's content with a new parse of the same page, keeping its id (so
 * analysts' saved joins keep working). `text` null keeps the search body and only refreshes the
 * title. Call inside a transaction.
 */
export function replaceReport(db: Database.Database, reportId: number, pageUrl: string, record: ReportRecord, parsedAt: string): void {
  const s = reportStatements(db);
  s.updateReport.run({ id: reportId, ...reportParams(record, pageUrl, parsedAt) });
  s.deleteValues.run(reportId);
  s.deleteIssues.run(reportId);
  const body = db.prepare("SELECT body FROM report_text WHERE rowid = ?").pluck().get(reportId) as string | undefined;
  s.deleteText.run(reportId);
  insertContent(s, reportId, record, body ?? "");
}

/** Delete a report and everything hanging off it. Call inside a transaction. */
export function deleteReport(db: Database.Database, reportId: number): void {
  reportStatements(db).deleteText.run(reportId);
  // report_values and issues go with it (ON DELETE CASCADE).
  db.prepare("DELETE FROM reports WHERE id = ?").run(reportId);
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
 * Read a stored report back as the record it was stored from (keys in their original order).
 * Returns null when there is no such report.
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
  const values = db.prepare("SELECT * FROM report_values WHERE report_id = ? ORDER BY rowid").all(reportId) as ValueRow[];
  for (const v of values) {
    const field = fieldOf[v.section];
    const rows = record[field];
    (rows[v.row_key] ??= {})[v.col_key] = v.value;
    const path = `${field}.${v.row_key}.${v.col_key}`;
    if (v.unit !== null) record.units[path] = v.unit;
    if (v.prov_table !== null) {
      provenance[path] = { table: v.prov_table, row: v.prov_row ?? 0, col: v.prov_col ?? 0, raw: v.raw ?? "", source: v.prov_source ?? "" };
    }
  }
  for (const { field } of SECTIONS) for (const row of extra.emptyRows?.[field] ?? []) record[field][row] ??= {};
  Object.assign(record.units, extra.units);
  Object.assign(provenance, extra.provenance);
  if (r.has_provenance) record.provenance = provenance;
  const issues = db.prepare("SELECT * FROM issues WHERE report_id = ? ORDER BY ord").all(reportId) as IssueRow[];
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
