import type { StoredBody } from "./codec.js";
/**
 * Contracts between the crawler and the store. The crawler only sees these interfaces, so its
 * tests can run on the in-memory implementations while production wires the SQLite ones.
 */
import type { ReportRecord } from "../schema/record.js";

/** One HTTP response (or a local file) as received, before any parsing. */
export interface RawPage {
  /** The URL asked for (for a local file: `file://` + absolute path). */
  url: string;
  /** The URL after redirects. */
  finalUrl: string;
  /** ISO 8601. */
  fetchedAt: string;
  /** HTTP status; 200 for local files. */
  status: number;
  /** The headers that matter: content-type, etag, last-modified, content-encoding… (lower-case keys). */
  headers: Record<string, string>;
  /** The encoding the bytes were decoded with, when known. */
  encoding: string | null;
  body: Uint8Array;
  /** The source (sources file id) it was fetched for, if any. */
  sourceId?: string | null;
  /** The title the page was linked by (a list page's link text): weighed as evidence of its agency. */
  titleHint?: string | null;
  /** For a report file (PDF, DOCX, DOC/WPS) found through a link: the page that linked it. */
  linkedFrom?: string | null;
  /** The body's sha256 (hex) when the caller already computed it (the crawler does, for its validators). */
  sha256?: string;
}

/** What storing a page and its parse did. */
export type IngestStatus = "stored" | "changed" | "unchanged" | "rejected";

export interface IngestOutcome {
  status: IngestStatus;
  pageId: number;
  reportId: number | null;
  /** For `rejected`: the one-line reason (e.g. not a report; tables only in an attachment). */
  reason: string | null;
  /** For `rejected`: the parser's error code (E_NOT_REPORT, E_EMPTY_INPUT…; E_INTERNAL for a parser bug). */
  code?: string | null;
  agency: string | null;
  year: number | null;
}

/** Where pages and their parses go. Implemented on SQLite by the store; in memory for tests. */
export interface ReportSink {
  /** Store the raw bytes (deduplicated by url + sha256) and the parse of them. */
  ingest(page: RawPage): IngestOutcome;
  /**
   * Finish deferred work (the search index, which is updated in batches). Call at the end of a
   * crawl; if a crash prevents it, the next ingest, reparse or search catches up.
   */
  flush?(): void;
}

/**
 * The parser as the store sees it: bytes in, record out. Injected (never imported) so that the store
 * can be tested with a fake parser and so that `reparse` runs whatever parser the caller passes.
 * It throws `NianbaoError` with an `input`-group code (E_NOT_REPORT, E_EMPTY_INPUT…) when the page
 * is not a report; the store records that page as rejected with the error's message.
 */
export type ParsePage = (
  body: Uint8Array,
  options: { sourceUrl: string | null; contentType: string | null; provenance: true; titleHint?: string | null },
) => ReportRecord;

/**
 * The parser with the page's search text (the report's own text, from the parser's own decode
 * and DOM walk): the sink then indexes the page in the same transaction that stores it.
 */
export type ParsePageWithText = (
  body: Uint8Array,
  options: { sourceUrl: string | null; contentType: string | null; provenance: true },
) => {
  record: ReportRecord;
  searchText: string;
  /** The body already compressed for the store (a parse worker does it off the writing thread). */
  stored?: StoredBody;
};
