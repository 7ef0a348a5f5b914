import type Database from "better-sqlite3";

/**
 * The reads behind `nianbao report`: which latest reports are in scope, their indicators, the
 * refusal-reason rows, broken identities and carry-overs, and the pages that failed. Only SQL lives
 * here; src/report shapes the rows into the page's data.
 */

/** What the report covers. Each filter is optional; all given ones must hold. */
export interface ReportScope {
  /** Substring of the agency name (乌海 matches 乌海市财政局). */
  agency?: string;
  /** Substring of the region of the source the report was crawled from (sources file `region`). */
  region?: string;
  /** Statistical years, inclusive. */
  yearFrom?: number;
  yearTo?: number;
}

/** The region of the latest report `l`: reports_latest carries it from the sources file. */
export const REPORT_REGION_SQL = `l.region`;

/** The source id of the latest report `l`. */
const REPORT_SOURCE_SQL = `l.source_id`;

const escapeLike = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** `WITH scope AS (…)`: the latest reports the filters keep, with their region and source. */
function scopeCte(scope: ReportScope): { sql: string; params: Record<string, string | number> } {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (scope.agency !== undefined) {
    where.push(`l.agency LIKE @agency ESCAPE '\\'`);
    params["agency"] = escapeLike(scope.agency);
  }
  if (scope.region !== undefined) {
    where.push(`${REPORT_REGION_SQL} LIKE @region ESCAPE '\\'`);
    params["region"] = escapeLike(scope.region);
  }
  if (scope.yearFrom !== undefined) {
    where.push("l.year >= @yearFrom");
    params["yearFrom"] = scope.yearFrom;
  }
  if (scope.yearTo !== undefined) {
    where.push("l.year <= @yearTo");
    params["yearTo"] = scope.yearTo;
  }
  const sql = `WITH scope AS (
    SELECT l.report_id, l.agency, l.year, l.title, l.source_url, l.published_at,
           ${REPORT_REGION_SQL} AS region, ${REPORT_SOURCE_SQL} AS source_id
    FROM reports_latest l ${where.length ? `WHERE ${where.join(" AND ")}` : ""})`;
  return { sql, params };
}

export interface ScopedReport {
  report_id: number;
  agency: string | null;
  year: number | null;
  title: string | null;
  source_url: string | null;
  region: string | null;
  source_id: string | null;
  incomplete: number;
  error_count: number;
  /** Every column of the `indicators` view. */
  [indicator: string]: unknown;
}

/** The latest reports in scope with every indicator, their error count and incompleteness. */
export function scopedReports(db: Database.Database, scope: ReportScope): ScopedReport[] {
  const { sql, params } = scopeCte(scope);
  return db
    .prepare(
      `${sql}
      SELECT i.*, s.title, s.source_url, s.region, s.source_id, r.incomplete,
             (SELECT count(*) FROM report_issues x WHERE x.report_id = s.report_id AND x.severity = 'error') AS error_count
      FROM scope s JOIN indicators i ON i.report_id = s.report_id JOIN reports r ON r.id = s.report_id
      ORDER BY s.agency, s.year`,
    )
    .all(params) as ScopedReport[];
}

/** 表三 total-column cells of the given rows, for every report in scope. */
export function scopedApplicationTotals(db: Database.Database, scope: ReportScope, rowKeys: readonly string[]): { report_id: number; year: number | null; row_key: string; total: number | null }[] {
  const { sql, params } = scopeCte(scope);
  const keys = Object.fromEntries(rowKeys.map((k, i) => [`k${i}`, k]));
  return db
    .prepare(
      `${sql}
      SELECT s.report_id, s.year, a.row_key, a.total
      FROM scope s JOIN applications a ON a.report_id = s.report_id
      WHERE a.row_key IN (${rowKeys.map((_, i) => `@k${i}`).join(", ") || "NULL"})`,
    )
    .all({ ...params, ...keys }) as { report_id: number; year: number | null; row_key: string; total: number | null }[];
}

export interface IdentityFailureRow {
  report_id: number;
  code: string;
  identity: string | null;
  message: string;
  expected: unknown;
  actual: unknown;
  paths: string;
}

/** Arithmetic identities broken by the reports in scope (view identity_failures). */
export function scopedIdentityFailures(db: Database.Database, scope: ReportScope): IdentityFailureRow[] {
  const { sql, params } = scopeCte(scope);
  return db
    .prepare(`${sql} SELECT f.report_id, f.code, f.identity, f.message, f.expected, f.actual, f.paths FROM scope s JOIN identity_failures f ON f.report_id = s.report_id ORDER BY f.report_id`)
    .all(params) as IdentityFailureRow[];
}

export interface CarryOverRow {
  report_id: number;
  prev_report_id: number;
  prev_source_url: string | null;
  carried_forward_prev: number;
  carried_over: number;
}

/** Reports in scope whose 二、上年结转 differs from the same agency's 四、结转下年度 a year before. */
export function scopedCarryOverMismatches(db: Database.Database, scope: ReportScope): CarryOverRow[] {
  const { sql, params } = scopeCte(scope);
  return db
    .prepare(
      `${sql}
      SELECT s.report_id, prev.report_id AS prev_report_id, prev.source_url AS prev_source_url, c.carried_forward_prev, c.carried_over
      FROM scope s
      JOIN carry_over_check c ON c.agency = s.agency AND c.year = s.year
      JOIN reports_latest prev ON prev.agency = s.agency AND prev.year = s.year - 1
      WHERE c.matches = 0
      ORDER BY s.report_id`,
    )
    .all(params) as CarryOverRow[];
}

export interface FailedPageRow {
  url: string;
  source_id: string | null;
  source_name: string | null;
  region: string | null;
  title: string | null;
  reason: string;
}

/**
 * Report pages that did not become reports: fetches the crawler gave up on (crawl_frontier,
 * kind report or attachment, state failed) and stored pages the parser rejected. Filtered by the
 * source's region; agency and year are matched by the caller (from the link title).
 */
export function failedPages(db: Database.Database, scope: ReportScope): FailedPageRow[] {
  const hasFrontier = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'crawl_frontier'").get() !== undefined;
  const regionWhere = scope.region !== undefined ? `WHERE s.region LIKE @region ESCAPE '\\'` : "";
  const params = scope.region !== undefined ? { region: escapeLike(scope.region) } : {};
  const frontier = hasFrontier
    ? `SELECT f.url, f.source_id, f.title, coalesce(f.last_error_code || ': ', '') || coalesce(f.last_error, 'failed') AS reason
       FROM crawl_frontier f WHERE f.state = 'failed' AND f.kind IN ('report', 'attachment')
       UNION ALL `
    : "";
  return db
    .prepare(
      `SELECT x.url, x.source_id, s.name AS source_name, s.region, x.title, x.reason
       FROM (${frontier}
             SELECT p.url, p.source_id,
                    ${hasFrontier ? "(SELECT f.title FROM crawl_frontier f WHERE f.url = p.url LIMIT 1)" : "NULL"} AS title,
                    j.code || ': ' || j.reason AS reason
             FROM rejections j JOIN pages p ON p.id = j.page_id) x
       LEFT JOIN sources s ON s.id = x.source_id
       ${regionWhere}
       ORDER BY x.url`,
    )
    .all(params) as FailedPageRow[];
}
