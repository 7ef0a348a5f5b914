import type Database from "better-sqlite3";
import { isNianbaoError } from "../errors.js";
import type { ReportRecord } from "../schema/record.js";
import { PARSER_VERSION } from "../version.js";
import { compressBody, sha256Hex, type StoredBody } from "./codec.js";
import { detectEncoding } from "./page-text.js";
import type { IngestOutcome, ParsePage, ParsePageWithText, RawPage, ReportSink } from "./ports.js";
import { findPageBySha, insertReport, notePageUrl, prepareRecord, primeValueKeys, type PreparedRecord } from "./records.js";
import { indexPending } from "./search-index.js";

export interface ReportSinkOptions {
  /** The parser. The CLI passes `parseReport`; tests pass a fake. */
  parse: ParsePage;
  /**
   * The parser with the page's search text (`parsePage`), used instead of `parse` when given: each
   * report is then indexed in the transaction that stores it, from the parser's own reading of the
   * page (the article, not the portal's menus and scripts), and never decoded again for search.
   */
  parseWithText?: ParsePageWithText;
  /** The crawl_runs row the pages belong to, if any (see `startRun`). */
  runId?: number | null;
  /** The clock, for reports.parsed_at and rejections.rejected_at. */
  now?: () => Date;
  /**
   * Index the search text after this many new reports (and on flush()); 0 leaves it all to
   * flush() or indexPending(). Default 256: batches make trigram indexing several times cheaper.
   */
  indexEvery?: number;
  /**
   * Record paths the parser will emit (every template's fields). Their keys are created and cached
   * up front, outside any transaction, so pages stored inside transactions skip the key lookups.
   */
  valuePaths?: readonly string[];
}

/** Why a parse failed, as stored in `rejections`: the error's code and its one-line message. */
export function rejectionOf(e: unknown): { code: string; reason: string } {
  if (isNianbaoError(e) && e.group === "input") return { code: e.code, reason: e.message };
  // Anything else is a parser bug. The page is still stored, so `reparse` picks it up once fixed.
  const message = e instanceof Error ? e.message : String(e);
  return { code: "E_INTERNAL", reason: `parser error: ${message}` };
}

/** A page's parse, laid out for storing: the report's rows, or why the page is not a report. */
export type Reading =
  | { report: PreparedRecord; rejection: null; searchText?: string; stored?: StoredBody }
  | { report: null; rejection: { code: string; reason: string }; searchText?: undefined };

/**
 * Parse a page and lay the record out as rows: all the CPU work of storing a page, done before the
 * caller takes the write lock. `pageUrl` keys reports without agency or year.
 */
export function readPage(
  db: Database.Database,
  parse: ParsePage | { withText: ParsePageWithText },
  page: { url: string; finalUrl: string; contentType: string | null; body: Uint8Array; titleHint?: string | null },
  options: { fingerprint?: boolean } = {},
): Reading {
  let record: ReportRecord;
  let searchText: string | undefined;
  let stored: StoredBody | undefined;
  const parseOptions = { sourceUrl: page.finalUrl, contentType: page.contentType, provenance: true as const, ...(page.titleHint ? { titleHint: page.titleHint } : {}) };
  try {
    if (typeof parse === "function") record = parse(page.body, parseOptions);
    else ({ record, searchText, stored } = parse.withText(page.body, parseOptions));
  } catch (e) {
    return { report: null, rejection: rejectionOf(e) };
  }
  const report = prepareRecord(db, record, page.url, options);
  return { report, rejection: null, ...(searchText === undefined ? {} : { searchText }), ...(stored ? { stored } : {}) };
}

/** The content-type header of a page, if it has one (header keys are lower-case by contract). */
export function contentTypeOf(page: Pick<RawPage, "headers">): string | null {
  return page.headers["content-type"] ?? null;
}

/**
 * The SQLite ReportSink: stores a page's raw bytes (compressed) and its parse, in one transaction per
 * page, so a crash leaves either the whole page with its report (or rejection) or nothing. The
 * search index follows in batches (see `indexEvery`; call `flush()` at the end).
 *
 * - Same bytes as a stored page, at this URL or another: `unchanged`; only the URL is noted
 *   (page_urls), so a report is never stored twice because it moved or is mirrored.
 * - New bytes that parse to an agency and year already stored (from another page or an older
 *   version of this one): `changed`, a new version; reports_latest shows the newest.
 * - New bytes for a report not seen before: `stored`.
 * - Not a report (the parser threw): `rejected`, the page is stored with the reason.
 *
 * Parsing runs outside the transaction, so the write lock is held only for the inserts.
 *
 * @example
 * ```ts
 * const db = openDb("data/nianbao.db");
 * const sink = createReportSink(db, { parse: parseReport });
 * const outcome = sink.ingest({ url, finalUrl: url, fetchedAt: new Date().toISOString(), status: 200,
 *   headers: { "content-type": "text/html" }, encoding: null, body });
 * ```
 */
export function createReportSink(db: Database.Database, options: ReportSinkOptions): Required<ReportSink> {
  const { parse, runId = null, now = () => new Date(), indexEvery = 256 } = options;
  primeValueKeys(db, options.valuePaths);
  let unindexed = 0;
  const insertSource = db.prepare("INSERT OR IGNORE INTO sources (id) VALUES (?)");
  const insertPage = db.prepare(
    `INSERT INTO pages (url, final_url, fetched_at, status, headers_json, encoding, sha256, size, body_codec, body, source_id, run_id, linked_from)
     VALUES (@url, @finalUrl, @fetchedAt, @status, @headersJson, @encoding, @sha256, @size, @codec, @body, @sourceId, @runId, @linkedFrom)
     ON CONFLICT (url, sha256) DO NOTHING`,
  );
  const identityExists = db.prepare("SELECT 1 FROM reports WHERE identity_key = ? LIMIT 1").pluck();
  const insertRejection = db.prepare(
    "INSERT INTO rejections (page_id, code, reason, parser_version, rejected_at) VALUES (?, ?, ?, ?, ?)",
  );

  const reportOf = db.prepare("SELECT id, agency, year FROM reports WHERE page_id = ?");
  const rejectionOfPage = db.prepare("SELECT code, reason FROM rejections WHERE page_id = ?");
  /** The outcome describing an already stored page (its report, or why it was rejected). */
  const outcomeOf = (pageId: number, status: IngestOutcome["status"]): IngestOutcome => {
    const report = reportOf.get(pageId) as { id: number; agency: string | null; year: number | null } | undefined;
    if (report) return { status, pageId, reportId: report.id, reason: null, agency: report.agency, year: report.year };
    const rej = rejectionOfPage.get(pageId) as { code: string; reason: string } | undefined;
    return { status, pageId, reportId: null, reason: rej?.reason ?? null, code: rej?.code ?? null, agency: null, year: null };
  };

  const write = db.transaction((page: RawPage, prepared: PreparedPage): IngestOutcome => {
    const { sha256, encoding, reading, body } = prepared;
    if (page.sourceId) insertSource.run(page.sourceId);
    // Another writer stored the same bytes since ingest() looked.
    const stored = findPageBySha(db, sha256);
    if (stored !== undefined) {
      notePageUrl(db, stored, page.url, page.fetchedAt, page.sourceId ?? null);
      return outcomeOf(stored, "unchanged");
    }
    const info = insertPage.run({
      url: page.url,
      finalUrl: page.finalUrl,
      fetchedAt: page.fetchedAt,
      status: page.status,
      headersJson: JSON.stringify(page.headers),
      encoding,
      sha256,
      size: page.body.byteLength,
      codec: body.codec,
      body: body.data,
      sourceId: page.sourceId ?? null,
      linkedFrom: page.linkedFrom ?? null,
      runId,
    });
    if (info.changes === 0) return outcomeOf(findPageBySha(db, sha256) as number, "unchanged");
    const pageId = Number(info.lastInsertRowid);
    notePageUrl(db, pageId, page.url, page.fetchedAt, page.sourceId ?? null);
    const at = now().toISOString();
    if (reading.report === null) {
      const { code, reason } = reading.rejection;
      insertRejection.run(pageId, code, reason, PARSER_VERSION, at);
      return { status: "rejected", pageId, reportId: null, reason, code, agency: null, year: null };
    }
    const { agency, year, identityKey } = reading.report.row;
    const seen = identityExists.get(identityKey) !== undefined;
    const reportId = insertReport(db, pageId, reading.report, at, reading.searchText);
    return { status: seen ? "changed" : "stored", pageId, reportId, reason: null, agency, year };
  });

  const flush = () => {
    indexPending(db);
    unindexed = 0;
  };

  return {
    ingest(page: RawPage): IngestOutcome {
      const sha256 = page.sha256 ?? sha256Hex(page.body);
      const existing = findPageBySha(db, sha256);
      if (existing !== undefined) {
        notePageUrl(db, existing, page.url, page.fetchedAt, page.sourceId ?? null);
        return outcomeOf(existing, "unchanged");
      }
      const contentType = contentTypeOf(page);
      const encoding = page.encoding ?? detectEncoding(page.body, contentType);
      // Everything CPU-bound happens before taking the write lock; the transaction only inserts.
      const reading = readPage(db, options.parseWithText ? { withText: options.parseWithText } : parse, { ...page, contentType });
      const body = reading.report !== null && reading.stored ? { codec: reading.stored.codec, data: asBuffer(reading.stored.data) } : compressBody(page.body);
      const outcome = write.immediate(page, { sha256, encoding, reading, body });
      if (outcome.reportId !== null && indexEvery > 0 && ++unindexed >= indexEvery) flush();
      return outcome;
    },
    flush,
  };
}

interface PreparedPage {
  sha256: string;
  encoding: string;
  reading: Reading;
  body: ReturnType<typeof compressBody>;
}

/** better-sqlite3 binds a Buffer as a BLOB: view a Uint8Array (from a worker) as one, without a copy. */
function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
