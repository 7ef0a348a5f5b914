import type Database from "better-sqlite3";
import type { Finish, Frontier, FrontierCounts, FrontierItem, FrontierRequest, FrontierState, NextOptions, PageKind } from "../crawl/frontier.js";
import type { PageRequest } from "../crawl/dialects/types.js";
import { requestKey } from "../crawl/frontier.js";
import { hostOf } from "../crawl/url.js";

interface Row {
  id: number;
  unique_key: string;
  url: string;
  host: string;
  kind: PageKind;
  source_id: string;
  depth: number;
  parent_url: string | null;
  title: string | null;
  request: string | null;
  state: FrontierState;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  last_error_code: string | null;
}

function toItem(r: Row): FrontierItem {
  return {
    id: r.id,
    url: r.url,
    uniqueKey: r.unique_key,
    host: r.host,
    kind: r.kind,
    sourceId: r.source_id,
    depth: r.depth,
    parentUrl: r.parent_url,
    title: r.title,
    request: r.request ? (JSON.parse(r.request) as PageRequest) : null,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    lastErrorCode: r.last_error_code,
  };
}

/**
 * The production frontier, in the crawl_frontier table (migration 002-crawl). Every transition is
 * one statement, so a process killed at any moment leaves each row in a state named by the
 * Frontier lifecycle; `reclaimInProgress` repairs the only one a crash can strand.
 */
export class SqliteFrontier implements Frontier {
  private readonly s;
  constructor(private readonly db: Database.Database) {
    this.s = {
      add: db.prepare(
        `INSERT INTO crawl_frontier (unique_key, url, host, kind, source_id, depth, parent_url, title, request, added_at, updated_at)
         VALUES (@key, @url, @host, @kind, @sourceId, @depth, @parentUrl, @title, @request, @now, @now)
         ON CONFLICT (unique_key) DO NOTHING`,
      ),
      // Host exclusions are passed as a JSON array: one prepared statement for any set.
      next: db.prepare(
        `UPDATE crawl_frontier SET state = 'in_progress', attempts = attempts + 1, updated_at = @nowIso
         WHERE id = (SELECT id FROM crawl_frontier
                     WHERE state = 'queued' AND next_attempt_at <= @now
                       AND host NOT IN (SELECT value FROM json_each(@skip))
                     ORDER BY id LIMIT 1)
         RETURNING *`,
      ),
      done: db.prepare(
        `UPDATE crawl_frontier SET state = @state, last_error = @error, last_error_code = @code, updated_at = @nowIso
         WHERE id = @id AND state = 'in_progress'`,
      ),
      reclaim: db.prepare(
        `UPDATE crawl_frontier SET state = 'queued', next_attempt_at = @nextAttemptAt,
           last_error = COALESCE(@error, last_error), last_error_code = COALESCE(@code, last_error_code), updated_at = @nowIso
         WHERE id = @id AND state = 'in_progress'`,
      ),
      reclaimAll: db.prepare(`UPDATE crawl_frontier SET state = 'queued', updated_at = @nowIso WHERE state = 'in_progress'`),
      requeue: db.prepare(
        `UPDATE crawl_frontier SET state = 'queued', attempts = 0, next_attempt_at = 0, updated_at = @nowIso
         WHERE kind IN (SELECT value FROM json_each(@kinds)) AND state IN (SELECT value FROM json_each(@states))`,
      ),
      anyReady: db.prepare(
        `SELECT 1 FROM crawl_frontier WHERE state = 'queued' AND next_attempt_at <= @now
           AND host NOT IN (SELECT value FROM json_each(@skip)) LIMIT 1`,
      ),
      anyLeft: db.prepare(
        `SELECT 1 FROM crawl_frontier WHERE state = 'in_progress'
           OR (state = 'queued' AND host NOT IN (SELECT value FROM json_each(@skip))) LIMIT 1`,
      ),
      wake: db.prepare(
        `SELECT MIN(next_attempt_at) AS t FROM crawl_frontier WHERE state = 'queued' AND host NOT IN (SELECT value FROM json_each(@skip))`,
      ),
      get: db.prepare(`SELECT * FROM crawl_frontier WHERE unique_key = ?`),
      counts: db.prepare(`SELECT state, COUNT(*) AS n FROM crawl_frontier GROUP BY state`),
      countsBySource: db.prepare(`SELECT state, COUNT(*) AS n FROM crawl_frontier WHERE source_id = ? GROUP BY state`),
      countsBySourceKind: db.prepare(`SELECT state, COUNT(*) AS n FROM crawl_frontier WHERE source_id = ? AND kind = ? GROUP BY state`),
      clear: db.prepare(`DELETE FROM crawl_frontier`),
      clearSources: db.prepare(`DELETE FROM crawl_frontier WHERE source_id IN (SELECT value FROM json_each(?))`),
    };
  }

  add(req: FrontierRequest): boolean {
    const now = new Date().toISOString();
    return (
      this.s.add.run({
        key: requestKey(req.url, req.request),
        url: req.url,
        host: hostOf(req.url),
        kind: req.kind,
        sourceId: req.sourceId,
        depth: req.depth,
        parentUrl: req.parentUrl ?? null,
        title: req.title ?? null,
        request: req.request ? JSON.stringify(req.request) : null,
        now,
      }).changes > 0
    );
  }

  addMany(reqs: readonly FrontierRequest[]): number {
    let n = 0;
    this.db.transaction(() => {
      for (const r of reqs) if (this.add(r)) n++;
    })();
    return n;
  }

  next(opts: NextOptions): FrontierItem | null {
    const row = this.s.next.get({ now: opts.now, nowIso: new Date().toISOString(), skip: JSON.stringify([...(opts.skipHosts ?? [])]) }) as Row | undefined;
    return row ? toItem(row) : null;
  }

  done(id: number, finish: Finish): void {
    this.s.done.run({ id, state: finish.state, error: finish.error ?? null, code: finish.code ?? null, nowIso: new Date().toISOString() });
  }

  reclaim(id: number, opts: { nextAttemptAt?: number; error?: string | null; code?: string | null } = {}): void {
    this.s.reclaim.run({ id, nextAttemptAt: opts.nextAttemptAt ?? 0, error: opts.error ?? null, code: opts.code ?? null, nowIso: new Date().toISOString() });
  }

  reclaimInProgress(): number {
    return this.s.reclaimAll.run({ nowIso: new Date().toISOString() }).changes;
  }

  requeue(kinds: readonly PageKind[], states: readonly FrontierState[]): number {
    return this.s.requeue.run({ kinds: JSON.stringify(kinds), states: JSON.stringify(states), nowIso: new Date().toISOString() }).changes;
  }

  isEmpty(opts: NextOptions): boolean {
    return this.s.anyReady.get({ now: opts.now, skip: JSON.stringify([...(opts.skipHosts ?? [])]) }) === undefined;
  }

  isFinished(opts: { skipHosts?: ReadonlySet<string> } = {}): boolean {
    return this.s.anyLeft.get({ skip: JSON.stringify([...(opts.skipHosts ?? [])]) }) === undefined;
  }

  nextWakeAt(opts: { skipHosts?: ReadonlySet<string> } = {}): number | null {
    const r = this.s.wake.get({ skip: JSON.stringify([...(opts.skipHosts ?? [])]) }) as { t: number | null };
    return r.t;
  }

  get(url: string, request?: PageRequest | null): FrontierItem | null {
    const r = this.s.get.get(requestKey(url, request)) as Row | undefined;
    return r ? toItem(r) : null;
  }

  counts(sourceId?: string, kind?: PageKind): FrontierCounts {
    const c: FrontierCounts = { queued: 0, in_progress: 0, done: 0, failed: 0, skipped: 0 };
    const rows = (
      sourceId === undefined ? this.s.counts.all() : kind === undefined ? this.s.countsBySource.all(sourceId) : this.s.countsBySourceKind.all(sourceId, kind)
    ) as { state: FrontierState; n: number }[];
    for (const r of rows) c[r.state] = r.n;
    return c;
  }

  clear(sourceIds?: readonly string[]): void {
    if (sourceIds) this.s.clearSources.run(JSON.stringify(sourceIds));
    else this.s.clear.run();
  }
}
