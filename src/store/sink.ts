import type Database from "better-sqlite3";
import { isNianbaoError } from "../errors.js";
import type { ReportRecord } from "../schema/record.js";
import { PARSER_VERSION } from "../version.js";
import { compressBody, sha256Hex } from "./codec.js";
import { detectEncoding } from "./page-text.js";
import type { IngestOutcome, ParsePage, RawPage, ReportSink } from "./ports.js";
import { identityKey, insertReport, prepareRecord, type PreparedRecord } from "./records.js";
import { indexPending } from "./search-index.js";

export interface ReportSinkOptions {
  /** The parser. The CLI passes `parseReport`; tests pass a fake. */
  parse: ParsePage;
  /** The crawl_runs row the pages belong to, if any (see `startRun`). */
  runId?: number | null;
  /** The clock, for reports.parsed_at and rejections.rejected_at. */
  now?: () => Date;
  /**
   * Index the search text after this many new reports (and on flush()); 0 leaves it all to
   * flush() or indexPending(). Default 256: batches make trigram indexing several times cheaper.
   */
  indexEvery?: number;
}

/** Why a parse failed, as stored in `rejections`: the error's code and its one-line message. */
export function rejectionOf(e: unknown): { code: string; reason: string } {
  if (isNianbaoError(e) && e.group === "input") return { code: e.code, reason: e.message };
  // Anything else is a parser bug. The page is still stored, so `reparse` picks it up once fixed.
  const message = e instanceof Error ? e.message : String(e);
  return { code: "E_INTERNAL", reason: `parser error: ${message}` };
}

/** The parse of one page: a record, or why it is not one. Pure apart from the injected parser. */
export type PageParse = { record: ReportRecord; rejection: null } | { record: null; rejection: { code: string; reason: string } };

export function parsePage(parse: ParsePage, body: Uint8Array, sourceUrl: string, contentType: string | null): PageParse {
  try {
    return { record: parse(body, { sourceUrl, contentType, provenance: true }), rejection: null };
  } catch (e) {
    return { record: null, rejection: rejectionOf(e) };
  }
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
 * - Same url and same bytes as a stored page: `unchanged`, nothing is written.
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
  let unindexed = 0;
  const findPage = db.prepare("SELECT id FROM pages WHERE url = ? AND sha256 = ?").pluck();
  const insertSource = db.prepare("INSERT OR IGNORE INTO sources (id) VALUES (?)");
  const insertPage = db.prepare(
    `INSERT INTO pages (url, final_url, fetched_at, status, headers_json, encoding, sha256, size, body_codec, body, source_id, run_id)
     VALUES (@url, @finalUrl, @fetchedAt, @status, @headersJson, @encoding, @sha256, @size, @codec, @body, @sourceId, @runId)
     ON CONFLICT (url, sha256) DO NOTHING`,
  );
  const identityExists = db.prepare("SELECT 1 FROM reports WHERE identity_key = ? LIMIT 1").pluck();
  const insertRejection = db.prepare(
    "INSERT INTO rejections (page_id, code, reason, parser_version, rejected_at) VALUES (?, ?, ?, ?, ?)",
  );

  const outcomeOf = (pageId: number, status: IngestOutcome["status"]) => pageOutcome(db, pageId, status);

  const write = db.transaction((page: RawPage, prepared: PreparedPage): IngestOutcome => {
    const { sha256, encoding, parsed, record: laidOut, body } = prepared;
    if (page.sourceId) insertSource.run(page.sourceId);
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
      runId,
    });
    // Another writer stored the same bytes between our check and this transaction.
    if (info.changes === 0) return outcomeOf(findPage.get(page.url, sha256) as number, "unchanged");
    const pageId = Number(info.lastInsertRowid);
    const at = now().toISOString();
    if (parsed.record === null) {
      insertRejection.run(pageId, parsed.rejection.code, parsed.rejection.reason, PARSER_VERSION, at);
      return { status: "rejected", pageId, reportId: null, reason: parsed.rejection.reason, code: parsed.rejection.code, agency: null, year: null };
    }
    const record = parsed.record;
    const seen = identityExists.get(identityKey(record, page.url)) !== undefined;
    const reportId = insertReport(db, pageId, laidOut as PreparedRecord, at);
    return { status: seen ? "changed" : "stored", pageId, reportId, reason: null, agency: record.agency, year: record.year };
  });

  const flush = () => {
    indexPending(db);
    unindexed = 0;
  };

  return {
    ingest(page: RawPage): IngestOutcome {
      const sha256 = sha256Hex(page.body);
      const existing = findPage.get(page.url, sha256) as number | undefined;
      if (existing !== undefined) return outcomeOf(existing, "unchanged");
      const contentType = contentTypeOf(page);
      const encoding = page.encoding ?? detectEncoding(page.body, contentType);
      const parsed = parsePage(parse, page.body, page.finalUrl, contentType);
      // Everything CPU-bound happens before taking the write lock; the transaction only inserts.
      const record = parsed.record ? prepareRecord(db, parsed.record, page.url) : null;
      const outcome = write.immediate(page, { sha256, encoding, parsed, record, body: compressBody(page.body) });
      if (outcome.reportId !== null && indexEvery > 0 && ++unindexed >= indexEvery) flush();
      return outcome;
    },
    flush,
  };
}

interface PreparedPage {
  sha256: string;
  encoding: string;
  parsed: PageParse;
  record: PreparedRecord | null;
  body: ReturnType<typeof compressBody>;
}

/** The outcome describing an already stored page (its report, or why it was rejected). */
function pageOutcome(db: Database.Database, pageId: number, status: IngestOutcome["status"]): IngestOutcome {
  const report = db.prepare("SELECT id, agency, year FROM reports WHERE page_id = ?").get(pageId) as
    | { id: number; agency: string | null; year: number | null }
    | undefined;
  if (report) return { status, pageId, reportId: report.id, reason: null, agency: report.agency, year: report.year };
  const rej = db.prepare("SELECT code, reason FROM rejections WHERE page_id = ?").get(pageId) as { code: string; reason: string } | undefined;
  return { status, pageId, reportId: null, reason: rej?.reason ?? null, code: rej?.code ?? null, agency: null, year: null };
}
