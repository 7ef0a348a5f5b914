import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type Database from "better-sqlite3";
import type { ReportScope } from "../store/report-queries.js";
import { collectReportData } from "./data.js";
import { renderReportHtml } from "./html.js";

export type { ReportScope } from "../store/report-queries.js";
export { collectReportData, MIN_SAMPLE, type ReportData } from "./data.js";
export { renderReportHtml } from "./html.js";

/** What `writeReport` wrote. */
export interface ReportSummary {
  file: string;
  bytes: number;
  reports: number;
  bodies: number;
  years: number[];
  failures: number;
  broken: number;
}

/**
 * Read the database for `scope` and write the self-contained HTML report to `file` (its folder is
 * created). Nothing in the database changes.
 */
export function writeReport(db: Database.Database, scope: ReportScope, file: string, now: Date = new Date()): ReportSummary {
  const data = collectReportData(db, scope, now);
  const html = renderReportHtml(data);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
  return { file, bytes: Buffer.byteLength(html), reports: data.reports.length, bodies: data.bodies.length, years: data.years, failures: data.failures.length, broken: data.broken.length };
}
