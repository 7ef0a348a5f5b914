import type Database from "better-sqlite3";

/**
 * Evidence across years, kept as issues on the stored reports: 二、上年结转 (carried_over, total) of
 * year N must equal 四、结转下年度继续办理 (carried_forward, total) of year N−1 of the same agency.
 * A disagreement is an issue on the later report (`cross_year.carry_over`), so it shows in
 * report_issues and every count of issues. The carry_over_check view shows the same comparison.
 *
 * Called wherever a report is stored, replaced or deleted (ingest, the crawl sink, reparse all go
 * through records.ts), inside the caller's transaction. Issues with a `cross_year.` code belong to
 * the store, not to a parse: loadRecord leaves them out (the record is what the page reads), so a
 * reparse compares readings without them and never counts them as a change.
 */

export const CROSS_YEAR_PREFIX = "cross_year.";
const CODE = "cross_year.carry_over";

interface Key {
  agency: string | null;
  year: number | null;
}

interface Statements {
  keyOf: Database.Statement;
  latest: Database.Statement;
  total: Database.Statement;
  drop: Database.Statement;
  nextOrd: Database.Statement;
  insert: Database.Statement;
}

const cache = new WeakMap<Database.Database, Statements>();
function statements(db: Database.Database): Statements {
  let s = cache.get(db);
  if (!s) {
    s = {
      keyOf: db.prepare("SELECT agency, year FROM reports WHERE id = ?"),
      // By identity_key, the column reports_all ranks copies within: SQLite then ranks only this
      // key's copies (the predicate is pushed into the window's partition) instead of every report,
      // which made each stored report cost O(reports stored) — 40 % of a 2,000-report crawl's main thread.
      latest: db.prepare("SELECT report_id FROM reports_all WHERE identity_key = ? AND is_latest").pluck(),
      total: db
        .prepare(
          `SELECT v.value FROM report_values v JOIN value_keys k ON k.id = v.key_id
           WHERE v.report_id = ? AND k.section = 'applications' AND k.row_key = ? AND k.col_key = 'total'`,
        )
        .pluck(),
      drop: db.prepare("DELETE FROM issues WHERE report_id = ? AND code = ?"),
      nextOrd: db.prepare("SELECT coalesce(max(ord) + 1, 0) FROM issues WHERE report_id = ?").pluck(),
      insert: db.prepare(
        `INSERT INTO issues (report_id, ord, code, severity, message, paths_json, expected_json, actual_json, identity, data_json)
         VALUES (?, ?, ?, 'warning', ?, ?, ?, ?, NULL, ?)`,
      ),
    };
    cache.set(db, s);
  }
  return s;
}

/** The identity key of a report that states its agency and year (records.ts identityKey). */
export function agencyYearKey(agency: string, year: number): string {
  return `${year}|${agency}`;
}

/** The agency and year a report is stored under (read before it is replaced or deleted). */
export function crossYearKey(db: Database.Database, reportId: number): Key | null {
  return (statements(db).keyOf.get(reportId) as Key | undefined) ?? null;
}

/**
 * Re-derive the carry-over issue of the reports next to these keys: the latest report of (agency,
 * year) against year−1, and the latest of year+1 against it.
 */
export function refreshCrossYear(db: Database.Database, keys: readonly (Key | null)[]): void {
  const s = statements(db);
  const done = new Set<string>();
  for (const k of keys) {
    if (!k || k.agency === null || k.year === null) continue;
    for (const year of [k.year, k.year + 1]) {
      const id = `${k.agency}\u0000${year}`;
      if (done.has(id)) continue;
      done.add(id);
      const later = s.latest.get(agencyYearKey(k.agency, year)) as number | undefined;
      if (later !== undefined) checkCarryOver(s, later, k.agency, year);
    }
  }
}

function checkCarryOver(s: Statements, later: number, agency: string, year: number): void {
  s.drop.run(later, CODE);
  const earlier = s.latest.get(agencyYearKey(agency, year - 1)) as number | undefined;
  if (earlier === undefined) return;
  const carriedOver = s.total.get(later, "carried_over") as number | null | undefined;
  const carriedForward = s.total.get(earlier, "carried_forward") as number | null | undefined;
  if (carriedOver === null || carriedOver === undefined || carriedForward === null || carriedForward === undefined) return;
  if (Number(carriedOver) === Number(carriedForward)) return;
  const message = `表三 二、上年结转政府信息公开申请数量（总计）为 ${carriedOver}，而${agency} ${year - 1} 年报告的 四、结转下年度继续办理（总计）为 ${carriedForward}，两者应相等`;
  s.insert.run(
    later,
    s.nextOrd.get(later) as number,
    CODE,
    message,
    JSON.stringify(["applications.carried_over.total"]),
    JSON.stringify(carriedForward),
    JSON.stringify(carriedOver),
    JSON.stringify({ previousYear: year - 1 }),
  );
}
