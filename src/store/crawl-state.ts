import type Database from "better-sqlite3";
import type { AttachmentEntry, CrawlState, FetchLogEntry, RunOutcome, RunRecord, Validators } from "../crawl/state.js";
import { finishRun, startRun } from "./runs.js";

/**
 * CrawlState on the tables of migration 002-crawl; runs go to the store's crawl_runs (kind
 * 'crawl'), whose id the ReportSink stamps on the pages it stores.
 */
export class SqliteCrawlState implements CrawlState {
  private readonly s;
  constructor(
    private readonly db: Database.Database,
    private readonly holder: string | null = null,
  ) {
    this.s = {
      lastRun: db.prepare(`SELECT id AS runId, started_at AS startedAt, finished_at AS endedAt, status FROM crawl_runs WHERE kind = 'crawl' ORDER BY id DESC LIMIT 1`),
      getV: db.prepare(`SELECT etag, last_modified AS lastModified, sha256 FROM crawl_validators WHERE url = ?`),
      setV: db.prepare(
        `INSERT INTO crawl_validators (url, etag, last_modified, sha256, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, sha256 = excluded.sha256, updated_at = excluded.updated_at`,
      ),
      clearV: db.prepare(`DELETE FROM crawl_validators`),
      log: db.prepare(
        `INSERT INTO crawl_fetches (run_id, source_id, url, kind, status, bytes, sha256, ms, error_code, error, fetched_at)
         VALUES (@runId, @sourceId, @url, @kind, @status, @bytes, @sha256, @ms, @code, @error, @fetchedAt)`,
      ),
      att: db.prepare(
        `INSERT INTO crawl_attachments (source_id, page_url, url, type, title, tables_in_attachment, found_at)
         VALUES (@sourceId, @pageUrl, @url, @type, @title, @tables, @now)
         ON CONFLICT (page_url, url) DO UPDATE SET tables_in_attachment = excluded.tables_in_attachment`,
      ),
      pause: db.prepare(`INSERT INTO crawl_host_pauses (host, run_id, reason, paused_at) VALUES (?, ?, ?, ?)`),
    };
  }

  beginRun(info: { startedAt: string; sourceIds: string[]; trigger: string }) {
    const last = this.s.lastRun.get() as { runId: number; startedAt: string; endedAt: string | null; status: string } | undefined;
    // A crawl still 'running' was killed (the lease keeps live ones out); 'interrupted' stopped early.
    const previous: RunRecord | null = last
      ? { runId: last.runId, startedAt: last.startedAt, endedAt: last.endedAt, outcome: last.status === "running" ? null : (last.status as RunOutcome) }
      : null;
    const resumed = previous !== null && previous.outcome !== "completed";
    const runId = startRun(this.db, "crawl", { trigger: info.trigger, holder: this.holder, sourceIds: info.sourceIds, resumed }, new Date(info.startedAt));
    return { runId, resumed, previous };
  }

  endRun(runId: number, info: { endedAt: string; outcome: RunOutcome; summary: unknown }): void {
    // crawl_runs knows completed/interrupted/failed; a --max-pages stop is an interruption (it resumes).
    const status = info.outcome === "completed" || info.outcome === "failed" ? info.outcome : "interrupted";
    finishRun(this.db, runId, status, info.summary, new Date(info.endedAt));
  }

  getValidators(url: string): Validators | null {
    return (this.s.getV.get(url) as Validators | undefined) ?? null;
  }

  setValidators(url: string, v: Validators): void {
    this.s.setV.run(url, v.etag, v.lastModified, v.sha256, new Date().toISOString());
  }

  clearValidators(): void {
    this.s.clearV.run();
  }

  logFetch(e: FetchLogEntry): void {
    this.s.log.run(e);
  }

  addAttachment(a: AttachmentEntry): void {
    this.s.att.run({ sourceId: a.sourceId, pageUrl: a.pageUrl, url: a.url, type: a.type, title: a.title, tables: a.tablesInAttachment ? 1 : 0, now: new Date().toISOString() });
  }

  pauseHost(host: string, reason: string, runId: number): void {
    this.s.pause.run(host, runId, reason, new Date().toISOString());
  }
}
