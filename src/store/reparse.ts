import type Database from "better-sqlite3";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { isDeepStrictEqual } from "node:util";
import type { Issue } from "../schema/issues.js";
import type { ReportRecord } from "../schema/record.js";
import { PARSER_VERSION } from "../version.js";
import { decompressBody } from "./codec.js";
import type { ParsePage, ParsePageWithText } from "./ports.js";
import { finishRun, startRun } from "./runs.js";
import { SECTIONS, deleteReport, insertReport, loadRecord, replaceReport } from "./records.js";
import { indexPending } from "./search-index.js";
import { contentTypeOf, readPage, type Reading } from "./sink.js";

export interface ReparseOptions {
  parse: ParsePage;
  /**
   * The parser with each page's search text (the report's own text): a changed or newly parsed
   * report is indexed with it, as a crawl or ingest would. Without it, such reports are indexed
   * from the stored page (all its text, chrome included).
   */
  parseWithText?: ParsePageWithText;
  now?: () => Date;
  /** Stop between pages when aborted; pages already done stay done. */
  signal?: AbortSignal;
  /** Called after every page. */
  onProgress?: (done: number, total: number) => void;
}

/** One page whose stored reading changed. */
export interface ReparseChange {
  pageId: number;
  url: string;
  reportId: number | null;
  agency: string | null;
  year: number | null;
  /** changed: new values/issues/fields; parsed: was rejected, now a report; rejected: was a report, now not. */
  kind: "changed" | "parsed" | "rejected";
  /** Cells added, removed, or with a different value or unit. */
  values: number;
  /** Issues added plus issues removed. */
  issues: number;
  /** Record fields (title, agency, year…) that changed. */
  fields: string[];
  /** For `rejected`: why. */
  reason: string | null;
}

export interface ReparseSummary {
  pages: number;
  /** Pages whose report (or rejection) is the same as before, including those only re-stamped. */
  unchanged: number;
  /** Unchanged reports whose parser_version was updated to the current parser. */
  restamped: number;
  /** Pages still not a report. */
  stillRejected: number;
  changes: ReparseChange[];
  interrupted: boolean;
}

interface PageRow {
  id: number;
  url: string;
  final_url: string;
  headers_json: string;
  encoding: string | null;
  body_codec: string;
  body: Buffer;
}

type Outcome = "unchanged" | "restamped" | "stillRejected" | { change: ReparseChange };

interface Current {
  report: { id: number; agency: string | null; year: number | null; parser_version: string; fingerprint: string } | undefined;
  rejection: { code: string; reason: string; parser_version: string } | undefined;
}

/**
 * Re-run the parser over every stored page, without fetching: one transaction per page, so an
 * interruption loses nothing and a second run finds nothing left to change. A report keeps its id
 * when its content changes (its values and issues are replaced in place).
 *
 * @example
 * ```ts
 * const summary = await reparseAll(openDb("data/nianbao.db"), { parse: parseReport });
 * for (const c of summary.changes) console.log(c.agency, c.year, c.values, c.issues);
 * ```
 */
export async function reparseAll(db: Database.Database, options: ReparseOptions): Promise<ReparseSummary> {
  const { parse, parseWithText, now = () => new Date(), signal, onProgress } = options;
  const ids = db.prepare("SELECT id FROM pages ORDER BY id").pluck().all() as number[];
  const getPage = db.prepare("SELECT id, url, final_url, headers_json, encoding, body_codec, body FROM pages WHERE id = ?");
  const getReport = db.prepare("SELECT id, agency, year, parser_version, fingerprint FROM reports WHERE page_id = ?");
  const getRejection = db.prepare("SELECT code, reason, parser_version FROM rejections WHERE page_id = ?");
  // The title a crawl saw the page linked by (the crawl's frontier keeps it): the same evidence as at crawl time.
  const linkTitle = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'crawl_frontier'").get()
    ? db.prepare("SELECT title FROM crawl_frontier WHERE url = ? AND kind = 'report' AND title IS NOT NULL ORDER BY id LIMIT 1").pluck()
    : null;
  const restamp = db.prepare("UPDATE reports SET parser_version = ?, fingerprint = ?, parsed_at = ? WHERE id = ?");
  const setFingerprint = db.prepare("UPDATE reports SET fingerprint = ? WHERE id = ?");
  const upsertRejection = db.prepare(
    `INSERT INTO rejections (page_id, code, reason, parser_version, rejected_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (page_id) DO UPDATE SET code = excluded.code, reason = excluded.reason,
       parser_version = excluded.parser_version, rejected_at = excluded.rejected_at`,
  );
  const deleteRejection = db.prepare("DELETE FROM rejections WHERE page_id = ?");

  const summary: ReparseSummary = { pages: 0, unchanged: 0, restamped: 0, stillRejected: 0, changes: [], interrupted: false };
  const runId = startRun(db, "reparse", { parserVersion: PARSER_VERSION }, now());

  // Returns what happened; the summary is updated only after the transaction committed.
  const one = db.transaction((page: PageRow, reading: Reading): Outcome => {
    const current: Current = {
      report: getReport.get(page.id) as Current["report"],
      rejection: getRejection.get(page.id) as Current["rejection"],
    };
    const at = now().toISOString();
    const base = { pageId: page.id, url: page.url, fields: [] as string[], reason: null };

    if (reading.report === null) {
      const { code, reason } = reading.rejection;
      if (current.report) {
        deleteReport(db, current.report.id);
        upsertRejection.run(page.id, code, reason, PARSER_VERSION, at);
        const { agency, year } = current.report;
        return { change: { ...base, reportId: null, agency, year, kind: "rejected", values: 0, issues: 0, reason } };
      }
      const same = current.rejection?.code === code && current.rejection.reason === reason;
      if (!same || current.rejection?.parser_version !== PARSER_VERSION) upsertRejection.run(page.id, code, reason, PARSER_VERSION, at);
      return "stillRejected";
    }

    const prepared = reading.report;
    const record = prepared.record;
    if (!current.report) {
      deleteRejection.run(page.id);
      const reportId = insertReport(db, page.id, prepared, at, reading.searchText);
      return { change: { ...base, reportId, agency: record.agency, year: record.year, kind: "parsed", values: countValues(record), issues: record.issues.length } };
    }
    const { id, parser_version, fingerprint: oldFingerprint } = current.report;
    const print = prepared.row.fingerprint;
    // Read the stored report back only when the digests differ (or ingest left it empty).
    const before = print === oldFingerprint ? null : (loadRecord(db, id) as ReportRecord);
    if (before === null || sameReading(before, record)) {
      if (parser_version !== record.parserVersion) {
        restamp.run(record.parserVersion, print, at, id);
        return "restamped";
      }
      // Ingest leaves the digest empty (or a parser emitted the same content in another key order):
      // remember it, so the next run skips this page without reading the report back.
      if (print !== oldFingerprint) setFingerprint.run(print, id);
      return "unchanged";
    }
    replaceReport(db, id, prepared, at, reading.searchText);
    return { change: { ...base, reportId: id, agency: record.agency, year: record.year, kind: "changed", ...diffRecords(before, record) } };
  });

  try {
    for (const pageId of ids) {
      if (signal?.aborted) {
        summary.interrupted = true;
        break;
      }
      const page = getPage.get(pageId) as PageRow | undefined;
      if (!page) continue;
      // Parse before taking the write lock; the transaction compares and writes.
      const body = decompressBody(page.body_codec, page.body);
      const headers = JSON.parse(page.headers_json) as Record<string, string>;
      const titleHint = linkTitle ? ((linkTitle.get(page.url) as string | undefined) ?? null) : null;
      const reading = readPage(db, parseWithText ? { withText: parseWithText } : parse, { url: page.url, finalUrl: page.final_url, contentType: contentTypeOf({ headers }), body, titleHint }, { fingerprint: true });
      const outcome = one.immediate(page, reading);
      summary.pages++;
      if (outcome === "unchanged") summary.unchanged++;
      else if (outcome === "restamped") {
        summary.unchanged++;
        summary.restamped++;
      } else if (outcome === "stillRejected") summary.stillRejected++;
      else summary.changes.push(outcome.change);
      onProgress?.(summary.pages, ids.length);
      // Let signal handlers (Ctrl-C) run between pages; parsing and storing are synchronous.
      if (summary.pages % 32 === 0) await yieldToEventLoop();
    }
    // Changed and newly parsed reports were queued for the search index.
    if (!summary.interrupted) indexPending(db);
  } catch (e) {
    finishRun(db, runId, "failed", { ...summary, error: (e as Error).message }, now());
    throw e;
  }
  finishRun(db, runId, summary.interrupted ? "interrupted" : "completed", summary, now());
  return summary;
}

function countValues(record: ReportRecord): number {
  let n = 0;
  for (const { field } of SECTIONS) for (const cols of Object.values(record[field])) n += Object.keys(cols).length;
  return n;
}

/** Whether two records say the same (ignoring key order and which parser version said it). */
function sameReading(a: ReportRecord, b: ReportRecord): boolean {
  // Through JSON so that an absent key and an undefined one compare equal, as they are stored.
  const plain = (r: ReportRecord) => JSON.parse(JSON.stringify({ ...r, parserVersion: "" })) as unknown;
  return isDeepStrictEqual(plain(a), plain(b));
}

const META_FIELDS = ["title", "agency", "year", "template", "publishedAt", "sourceUrl", "incomplete"] as const;

/** What differs between two readings of the same page, counted for the reparse summary. */
export function diffRecords(before: ReportRecord, after: ReportRecord): { values: number; issues: number; fields: string[] } {
  const cells = (r: ReportRecord) => {
    const m = new Map<string, string>();
    for (const { field } of SECTIONS) {
      for (const [row, cols] of Object.entries(r[field])) {
        for (const [col, v] of Object.entries(cols)) {
          const path = `${field}.${row}.${col}`;
          m.set(path, `${String(v)}|${r.units[path] ?? ""}`);
        }
      }
    }
    return m;
  };
  const a = cells(before);
  const b = cells(after);
  let values = 0;
  for (const [k, v] of a) if (b.get(k) !== v) values++;
  for (const k of b.keys()) if (!a.has(k)) values++;

  const key = (i: Issue) => JSON.stringify([i.code, i.severity, i.message, i.paths, i.expected, i.actual, i.identity]);
  const remaining = new Map<string, number>();
  for (const i of before.issues) remaining.set(key(i), (remaining.get(key(i)) ?? 0) + 1);
  let added = 0;
  for (const i of after.issues) {
    const n = remaining.get(key(i)) ?? 0;
    if (n > 0) remaining.set(key(i), n - 1);
    else added++;
  }
  let removed = 0;
  for (const n of remaining.values()) removed += n;

  const fields: string[] = META_FIELDS.filter((f) => before[f] !== after[f]);
  return { values, issues: added + removed, fields };
}
