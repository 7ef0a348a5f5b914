import type Database from "better-sqlite3";
import type { AttachmentEntry, CrawlState, FetchLogEntry, RunOutcome, RunRecord, Validators } from "../crawl/state.js";

/** CrawlState on the tables of migration 002-crawl. */
export class SqliteCrawlState implements CrawlState {
  private readonly s;
  constructor(
    db: Database.Database,
    private readonly holder: string | null = null,
  ) {
    this.s = {
      lastRun: db.prepare(`SELECT id AS runId, started_at AS startedAt, ended_at AS endedAt, outcome FROM crawl_run_log ORDER BY id DESC LIMIT 1`),
      begin: db.prepare(`INSERT INTO crawl_run_log (trigger, holder, source_ids, started_at, resumed) VALUES (?, ?, ?, ?, ?)`),
      end: db.prepare(`UPDATE crawl_run_log SET ended_at = ?, outcome = ?, summary = ? WHERE id = ?`),
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
    const previous = (this.s.lastRun.get() as RunRecord | undefined) ?? null;
    const resumed = previous !== null && previous.outcome !== "completed";
    const runId = Number(this.s.begin.run(info.trigger, this.holder, JSON.stringify(info.sourceIds), info.startedAt, resumed ? 1 : 0).lastInsertRowid);
    return { runId, resumed, previous };
  }

  endRun(runId: number, info: { endedAt: string; outcome: RunOutcome; summary: unknown }): void {
    this.s.end.run(info.endedAt, info.outcome, JSON.stringify(info.summary), runId);
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
