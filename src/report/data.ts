import type Database from "better-sqlite3";
import {
  failedPages,
  scopedApplicationTotals,
  scopedCarryOverMismatches,
  scopedIdentityFailures,
  scopedReports,
  type ReportScope,
} from "../store/report-queries.js";
import { TEMPLATES } from "../templates/registry.js";

/**
 * The data of the HTML report, read from the database once and inlined into the page. Compact on
 * purpose (10,000 reports must stay a file one can mail): per-report rows are arrays in the column
 * order of `REPORT_COLUMNS`, bodies are indexes into `bodies`.
 */

/** Minimum 一、本年新收 for a body to be ranked (the indicators view's `rankable`). */
export const MIN_SAMPLE = 10;

/** The per-report columns, in array order; the page reads them by these names. */
export const REPORT_COLUMNS = [
  "report_id", "body", "year", "template", "source_url", "title", "error_count", "incomplete",
  "applications_received", "carried_over", "handled", "granted", "granted_share", "refused", "refused_share",
  "unable", "unable_share", "not_processed", "not_processed_share", "other_handling", "carried_forward",
  "review_total", "review_corrected", "review_corrected_share", "litigation_total", "litigation_corrected", "litigation_corrected_share",
  "rules_issued", "rules_in_force", "normative_docs_issued", "normative_docs_in_force",
  "licensing_decisions", "penalty_decisions", "fees_amount_wan", "rankable",
] as const;

/** The （三）–（六） item rows of both formats, in table order, with their labels. */
export const REASON_ROWS: readonly { key: string; group: string; label: string }[] = (() => {
  const out: { key: string; group: string; label: string }[] = [];
  const seen = new Set<string>();
  for (const t of TEMPLATES) {
    const table = t.tables.find((x) => x.id === "applications");
    for (const g of table?.groups ?? []) {
      for (const key of g.rows) {
        if (seen.has(key)) continue;
        seen.add(key);
        const row = table?.rows.find((r) => r.key === key);
        out.push({ key, group: g.label, label: row?.label ?? key });
      }
    }
    // 2019's （六）其他处理 is one row, not a group.
    const other = table?.rows.find((r) => r.key === "other");
    if (other && !seen.has("other")) {
      seen.add("other");
      out.push({ key: "other", group: "（六）其他处理", label: "（六）其他处理（2019年格式，不分项）" });
    }
  }
  const order = (k: string) => ["denied", "unavailable", "rejected", "other"].findIndex((p) => k === p || k.startsWith(`${p}_`));
  return out.sort((a, b) => order(a.key) - order(b.key));
})();

/** Chinese name of a value path (applications.total.natural_person → （七）总计·自然人), from the templates. */
export const PATH_LABELS: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const t of TEMPLATES)
    for (const table of t.tables)
      for (const row of table.rows)
        row.fields.forEach((f, i) => {
          if (m.has(f)) return;
          const col = row.fieldLabels?.[i];
          m.set(f, row.unlabelled ? `表四 ${col ?? f}` : `${row.label}${col ? `·${col}` : ""}`);
        });
  return m;
})();

export interface BrokenEntry {
  /** Index into reports. */
  report: number;
  kind: "identity" | "carry_over";
  message: string;
  cells: string[];
  expected: unknown;
  actual: unknown;
  /** For carry-over: the previous year's report page. */
  prevUrl?: string | null;
}

export interface ReportData {
  generatedAt: string;
  filters: ReportScope;
  minSample: number;
  columns: readonly string[];
  bodies: string[];
  years: number[];
  reports: unknown[][];
  /** Reports without agency or year: counted, not placed in the grid. */
  unplaced: number;
  failures: { body: number; year: number | null; url: string; reason: string }[];
  reasons: { rows: typeof REASON_ROWS; byYear: Record<string, Record<string, { sum: number; blank: number; reports: number }>> };
  broken: BrokenEntry[];
}

const UNKNOWN_BODY = "（未识别机关）";

function yearOfTitle(title: string | null): number | null {
  const m = title?.match(/(20\d{2})\s*年/);
  return m ? Number(m[1]) : null;
}

/** The agency a report title names: the text before its year (乙县教育局2020年政府信息… → 乙县教育局). */
function agencyOfTitle(title: string | null): string | null {
  const m = title?.match(/^\s*(.{2,60}?)\s*(?:20\d{2})\s*年/);
  const name = m?.[1]?.replace(/[《“"：:，,\s]+$/u, "").replace(/^[《“"\s]+/u, "");
  return name && name.length >= 2 ? name : null;
}

function parsePaths(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** Read everything the page shows for `scope`. */
export function collectReportData(db: Database.Database, scope: ReportScope, now: Date = new Date()): ReportData {
  const rows = scopedReports(db, scope);
  const bodies: string[] = [];
  const bodyIndex = new Map<string, number>();
  const bodyOf = (name: string) => {
    let i = bodyIndex.get(name);
    if (i === undefined) {
      i = bodies.length;
      bodies.push(name);
      bodyIndex.set(name, i);
    }
    return i;
  };
  const years = new Set<number>();
  const reportIndex = new Map<number, number>();
  let unplaced = 0;
  const reports = rows.map((r, i) => {
    reportIndex.set(r.report_id, i);
    if (r.year !== null) years.add(r.year);
    if (r.agency === null || r.year === null) unplaced++;
    const record: Record<string, unknown> = { ...r, body: bodyOf(r.agency ?? UNKNOWN_BODY) };
    return REPORT_COLUMNS.map((c) => {
      const v = record[c];
      // Shares are shown to 0.1 %: four decimals keep the file small without changing a digit shown.
      return typeof v === "number" && c.endsWith("_share") ? Math.round(v * 10000) / 10000 : (v ?? null);
    });
  });

  // Failed pages: placed on a body whose name the link title contains (the longest such), else on
  // the agency the title names before its year, else on their source; in the year the title names
  // (null when it names none).
  const known = [...bodies].filter((b) => b !== UNKNOWN_BODY).sort((a, b) => b.length - a.length);
  const failures: ReportData["failures"] = [];
  for (const f of failedPages(db, scope)) {
    const title = f.title ?? "";
    const body = known.find((b) => title.includes(b)) ?? agencyOfTitle(f.title) ?? f.source_name ?? f.source_id ?? "（来源不明）";
    if (scope.agency !== undefined && !body.includes(scope.agency) && !title.includes(scope.agency)) continue;
    const year = yearOfTitle(f.title);
    if (year !== null && ((scope.yearFrom !== undefined && year < scope.yearFrom) || (scope.yearTo !== undefined && year > scope.yearTo))) continue;
    if (year !== null) years.add(year);
    failures.push({ body: bodyOf(body), year, url: f.url, reason: f.reason });
  }

  const byYear: ReportData["reasons"]["byYear"] = {};
  for (const a of scopedApplicationTotals(db, scope, REASON_ROWS.map((r) => r.key))) {
    if (a.year === null) continue;
    const cell = ((byYear[a.year] ??= {})[a.row_key] ??= { sum: 0, blank: 0, reports: 0 });
    cell.reports++;
    if (a.total === null) cell.blank++;
    else cell.sum += a.total;
  }

  const broken: BrokenEntry[] = [];
  for (const f of scopedIdentityFailures(db, scope)) {
    const report = reportIndex.get(f.report_id);
    if (report === undefined) continue;
    broken.push({ report, kind: "identity", message: f.message, cells: parsePaths(f.paths).map((p) => PATH_LABELS.get(p) ?? p), expected: f.expected, actual: f.actual });
  }
  for (const c of scopedCarryOverMismatches(db, scope)) {
    const report = reportIndex.get(c.report_id);
    if (report === undefined) continue;
    broken.push({
      report,
      kind: "carry_over",
      message: `二、上年结转（${c.carried_over}）不等于上一年报告的四、结转下年度继续办理（${c.carried_forward_prev}）`,
      cells: [`上一年 ${PATH_LABELS.get("applications.carried_forward.total")}`, PATH_LABELS.get("applications.carried_over.total") ?? "applications.carried_over.total"],
      expected: c.carried_forward_prev,
      actual: c.carried_over,
      prevUrl: c.prev_source_url,
    });
  }

  return {
    generatedAt: now.toISOString(),
    filters: scope,
    minSample: MIN_SAMPLE,
    columns: REPORT_COLUMNS,
    bodies,
    years: [...years].sort((a, b) => a - b),
    reports,
    unplaced,
    failures,
    reasons: { rows: REASON_ROWS, byYear },
    broken,
  };
}
