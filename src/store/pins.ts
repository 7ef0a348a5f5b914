import type Database from "better-sqlite3";
import { NianbaoError } from "../errors.js";

/** A report's copies as `report_copies` ranks them (one row per copy, its URLs joined). */
export interface ReportCopy {
  report_id: number;
  copy_rank: number;
  is_latest: number;
  pinned: number;
  form: string;
  unreadable_cells: number;
  error_count: number;
  fetched_at: string;
  urls: string;
}

/** Every copy of the report `reportId` belongs to (same agency and year, or same page URL), best first. */
export function copiesOf(db: Database.Database, reportId: number): ReportCopy[] {
  return db
    .prepare(
      `SELECT report_id, copy_rank, is_latest, pinned, form, unreadable_cells, error_count, fetched_at, group_concat(url, ' ') AS urls
       FROM report_copies
       WHERE identity_key = (SELECT identity_key FROM reports WHERE id = ?)
       GROUP BY report_id ORDER BY copy_rank`,
    )
    .all(reportId) as ReportCopy[];
}

/**
 * Pin a copy: `reports_latest` (and so every contract view) shows it for its report whatever the
 * ranking says, until unpinned. A pin on another copy of the same report is replaced. Pins follow
 * the report id, which reparse keeps.
 */
export function pinReport(db: Database.Database, reportId: number, at: Date, note: string | null = null): void {
  const key = db.prepare("SELECT identity_key FROM reports WHERE id = ?").pluck().get(reportId) as string | undefined;
  if (key === undefined) throw new NianbaoError("E_BAD_ARGS", `no report ${reportId} in the database (see reports_all or report_copies)`, { reportId });
  db.transaction(() => {
    db.prepare("DELETE FROM report_pins WHERE report_id IN (SELECT id FROM reports WHERE identity_key = ?)").run(key);
    db.prepare("INSERT INTO report_pins (report_id, pinned_at, note) VALUES (?, ?, ?)").run(reportId, at.toISOString(), note);
  }).immediate();
}

/** Remove the pin of `reportId`'s report (whichever copy holds it). Returns whether there was one. */
export function unpinReport(db: Database.Database, reportId: number): boolean {
  const key = db.prepare("SELECT identity_key FROM reports WHERE id = ?").pluck().get(reportId) as string | undefined;
  if (key === undefined) throw new NianbaoError("E_BAD_ARGS", `no report ${reportId} in the database (see reports_all or report_copies)`, { reportId });
  return db.prepare("DELETE FROM report_pins WHERE report_id IN (SELECT id FROM reports WHERE identity_key = ?)").run(key).changes > 0;
}
