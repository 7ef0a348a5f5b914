import type Database from "better-sqlite3";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { NianbaoError } from "../errors.js";
import type { IngestOutcome, ParsePage, ParsePageWithText, RawPage } from "./ports.js";
import { finishRun, startRun } from "./runs.js";
import { createReportSink } from "./sink.js";

/** Extensions of saved pages that a directory walk picks up. */
export const PAGE_EXTENSIONS: readonly string[] = [".html", ".htm", ".shtml", ".txt", ".md", ".pdf", ".docx", ".doc", ".wps"];

/**
 * Whether a file met in a directory walk is a page: a saved-page extension, or named `source.*`
 * (the corpus layout). Everything else (expected.json, meta.json, images…) is skipped quietly, and
 * so are README files, which describe a folder of pages rather than being one.
 */
export function isPageFile(path: string): boolean {
  const name = basename(path);
  if (/^readme(\.|$)/i.test(name)) return false;
  return PAGE_EXTENSIONS.includes(extname(name).toLowerCase()) || /^source\./i.test(name);
}

/** One thing to ingest: a local file, or bytes read from stdin. */
export type IngestInput = { kind: "file"; path: string } | { kind: "bytes"; url: string; body: Uint8Array };

/**
 * Expand command-line paths into files: files as given (whatever their extension: the user named
 * them), directories walked recursively in name order, hidden entries skipped. A missing path is an
 * error before anything is stored. `-` stays as the caller's stdin marker.
 */
export function collectFiles(paths: readonly string[], cwd: string): { files: string[]; skipped: number; unreadable: Unreadable[] } {
  const files: string[] = [];
  const unreadable: Unreadable[] = [];
  let skipped = 0;
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      // One folder the user cannot read does not stop the walk: it is reported, the rest goes on.
      unreadable.push({ input: dir, reason: reasonOf(e) });
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith(".")) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && isPageFile(full)) files.push(full);
      else skipped++;
    }
  };
  for (const p of paths) {
    if (p === "-") {
      files.push("-");
      continue;
    }
    const full = resolve(cwd, p);
    let isDir: boolean;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      throw new NianbaoError("E_FILE_NOT_FOUND", `no such file or directory: ${p}`, { path: p });
    }
    if (isDir) walk(full);
    else files.push(full);
  }
  return { files, skipped, unreadable };
}

/** A file or folder that could not be read, and why ("permission denied"…). */
export interface Unreadable {
  input: string;
  reason: string;
}

function reasonOf(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a folder";
  return (e as Error).message ?? String(e);
}

/** Bytes that did not come over HTTP (a file, stdin) as a RawPage: fetched "now", status 200, no headers. */
export function localPage(url: string, body: Uint8Array, fetchedAt: Date): RawPage {
  return { url, finalUrl: url, fetchedAt: fetchedAt.toISOString(), status: 200, headers: {}, encoding: null, body };
}

export interface IngestSummary {
  /** New reports (an agency and year not stored before). */
  stored: number;
  /** New versions of reports already stored. */
  changed: number;
  /** Pages already stored byte for byte. */
  unchanged: number;
  rejected: number;
  /** Files met in directories that are not pages (expected.json, images…). */
  skipped: number;
  /** Files and folders that could not be read: skipped, the rest of the run went on. */
  unreadable: Unreadable[];
  /** Rejected inputs with the parser's code and reason. */
  rejections: { input: string; code: string; reason: string }[];
  /** Per-input outcomes, in order. */
  outcomes: { input: string; status: IngestOutcome["status"]; reportId: number | null; agency: string | null; year: number | null }[];
  interrupted: boolean;
  runId: number;
}

export interface IngestOptions {
  parse: ParsePage;
  /** The parser with each page's search text (see ReportSinkOptions.parseWithText). */
  parseWithText?: ParsePageWithText;
  now?: () => Date;
  signal?: AbortSignal;
  skipped?: number;
  /** Folders the walk could not read (from collectFiles), reported with the files that fail here. */
  unreadable?: readonly Unreadable[];
  onOutcome?: (input: string, outcome: IngestOutcome) => void;
}

/**
 * Store local pages as a crawl would: raw bytes plus their parse, one transaction per page, the run
 * recorded in crawl_runs (kind `ingest`). Files are read one at a time, so memory stays flat.
 */
export async function ingestInputs(db: Database.Database, inputs: readonly IngestInput[], options: IngestOptions): Promise<IngestSummary> {
  const { parse, now = () => new Date(), signal, onOutcome } = options;
  const runId = startRun(db, "ingest", { inputs: inputs.map(describe) }, now());
  const sink = createReportSink(db, { parse, runId, now, ...(options.parseWithText ? { parseWithText: options.parseWithText } : {}) });
  const summary: IngestSummary = {
    stored: 0,
    changed: 0,
    unchanged: 0,
    rejected: 0,
    skipped: options.skipped ?? 0,
    unreadable: [...(options.unreadable ?? [])],
    rejections: [],
    outcomes: [],
    interrupted: false,
    runId,
  };
  try {
    for (const [i, input] of inputs.entries()) {
      if (signal?.aborted) {
        summary.interrupted = true;
        break;
      }
      let url: string;
      let body: Uint8Array;
      if (input.kind === "file") {
        url = pathToFileURL(input.path).href;
        try {
          body = readFileSync(input.path);
        } catch (e) {
          summary.unreadable.push({ input: input.path, reason: reasonOf(e) });
          continue;
        }
      } else [url, body] = [input.url, input.body];
      const outcome = sink.ingest(localPage(url, body, now()));
      const name = describe(input);
      summary[outcome.status]++;
      if (outcome.status === "rejected") summary.rejections.push({ input: name, code: outcome.code ?? "E_NOT_REPORT", reason: outcome.reason ?? "" });
      summary.outcomes.push({ input: name, status: outcome.status, reportId: outcome.reportId, agency: outcome.agency, year: outcome.year });
      onOutcome?.(name, outcome);
      // Let Ctrl-C be noticed between pages.
      if (i % 32 === 31) await yieldToEventLoop();
    }
    // The search index is updated in batches; finish it (also catches up after an earlier crash).
    if (!summary.interrupted) sink.flush();
  } catch (e) {
    finishRun(db, runId, "failed", { ...summary, outcomes: undefined, error: (e as Error).message }, now());
    throw e;
  }
  finishRun(db, runId, summary.interrupted ? "interrupted" : "completed", { ...summary, outcomes: undefined }, now());
  return summary;
}

function describe(input: IngestInput): string {
  return input.kind === "file" ? input.path : input.url;
}
