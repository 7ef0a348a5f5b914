import type { AttachmentType } from "./extract.js";
import type { PageKind } from "./frontier.js";

/**
 * The crawler's own bookkeeping besides the frontier: HTTP validators for conditional GET, the
 * fetch log, attachments, host pauses and run records. SQLite in production
 * (src/store/crawl-state.ts), in memory for tests.
 */
export interface Validators {
  etag: string | null;
  lastModified: string | null;
  sha256: string | null;
}

export interface FetchLogEntry {
  runId: number;
  sourceId: string;
  url: string;
  kind: PageKind;
  /** HTTP status, or null when no answer came (network error, timeout…). */
  status: number | null;
  bytes: number;
  sha256: string | null;
  ms: number;
  code: string | null;
  error: string | null;
  fetchedAt: string;
}

export interface AttachmentEntry {
  sourceId: string;
  /** The report (or list) page that links the file. */
  pageUrl: string;
  url: string;
  type: AttachmentType;
  title: string | null;
  /** The report's tables are in this file, not in the page. */
  tablesInAttachment: boolean;
}

export type RunOutcome = "completed" | "interrupted" | "limit" | "failed";

export interface RunRecord {
  runId: number;
  startedAt: string;
  endedAt: string | null;
  outcome: RunOutcome | null;
}

export interface CrawlState {
  /**
   * Record the start of a run. `resumed` is true when the previous run did not complete (killed,
   * interrupted, or stopped at --max-pages): this run goes on with its frontier instead of
   * starting a new pass.
   */
  beginRun(info: { startedAt: string; sourceIds: string[]; trigger: string }): { runId: number; resumed: boolean; previous: RunRecord | null };
  endRun(runId: number, info: { endedAt: string; outcome: RunOutcome; summary: unknown }): void;
  getValidators(url: string): Validators | null;
  setValidators(url: string, v: Validators): void;
  /** Forget validators (--fresh). */
  clearValidators(): void;
  logFetch(entry: FetchLogEntry): void;
  addAttachment(a: AttachmentEntry): void;
  pauseHost(host: string, reason: string, runId: number): void;
}

/** In-memory CrawlState for tests. */
export class MemoryCrawlState implements CrawlState {
  runs: (RunRecord & { summary?: unknown })[] = [];
  validators = new Map<string, Validators>();
  fetches: FetchLogEntry[] = [];
  attachments: AttachmentEntry[] = [];
  pauses: { host: string; reason: string; runId: number }[] = [];

  beginRun(info: { startedAt: string }) {
    const previous = this.runs[this.runs.length - 1] ?? null;
    const run = { runId: this.runs.length + 1, startedAt: info.startedAt, endedAt: null, outcome: null };
    this.runs.push(run);
    return { runId: run.runId, resumed: previous !== null && previous.outcome !== "completed", previous: previous ? { ...previous } : null };
  }
  endRun(runId: number, info: { endedAt: string; outcome: RunOutcome; summary: unknown }) {
    const r = this.runs[runId - 1];
    if (r) Object.assign(r, info);
  }
  getValidators(url: string) {
    return this.validators.get(url) ?? null;
  }
  setValidators(url: string, v: Validators) {
    this.validators.set(url, v);
  }
  clearValidators() {
    this.validators.clear();
  }
  logFetch(entry: FetchLogEntry) {
    this.fetches.push(entry);
  }
  addAttachment(a: AttachmentEntry) {
    if (!this.attachments.some((x) => x.pageUrl === a.pageUrl && x.url === a.url)) this.attachments.push(a);
  }
  pauseHost(host: string, reason: string, runId: number) {
    this.pauses.push({ host, reason, runId });
  }
}
