import type Database from "better-sqlite3";

export interface GroupCommitOptions {
  /** Commit after this many units (default 64). */
  maxUnits?: number;
  /** Commit a batch at the latest this long after it opened (default 250 ms). */
  maxMs?: number;
  now?: () => number;
  /**
   * Work a unit hands to the batch instead of doing at once (records.ts holdSearchTexts): written
   * just before the batch commits, in its transaction; the part a failed unit handed over is dropped.
   */
  buffers?: readonly BatchBuffer[];
}

/** Writes held back until the batch commits (see GroupCommitOptions.buffers). */
export interface BatchBuffer {
  /** A position to roll back to. */
  mark(): number;
  /** Forget what was handed over since `mark` (the unit that handed it over was undone). */
  rollbackTo(mark: number): void;
  /** Write what is held, inside the open transaction; then hold nothing. */
  flush(): void;
}

/**
 * Group commit: many small units of work (a crawled page stored with its frontier state) share one
 * SQLite transaction, committed every `maxUnits` units or `maxMs` milliseconds, whichever comes
 * first. Each unit runs in its own savepoint inside the batch, so a unit that throws is undone alone
 * and the batch goes on; a unit is either wholly in a batch or not at all.
 *
 * What a crash costs: the open batch. A process killed mid-batch loses its uncommitted units as one
 * (the write-ahead log rolls them back together), so every page in it is still queued in the
 * frontier and is fetched again on resume: nothing is lost and nothing is stored twice.
 *
 * Why: a commit writes every b-tree page the transaction touched to the log. Pages of one crawl
 * touch the same index and frontier pages over and over, so a batch writes each of them once
 * instead of once per page (and FTS5 merges its index once per transaction).
 *
 * The write lock is held while a batch is open, also across the awaits between units: other
 * writers wait at most `maxMs` (plus one unit) for it, which their busy timeout covers.
 */
export class GroupCommit {
  private readonly maxUnits: number;
  private readonly maxMs: number;
  private readonly now: () => number;
  private openedAt = 0;
  private units = 0;
  private timer: NodeJS.Timeout | null = null;
  private failure: unknown = null;
  private readonly buffers: readonly BatchBuffer[];
  /** Batches committed so far. */
  commits = 0;

  constructor(
    private readonly db: Database.Database,
    options: GroupCommitOptions = {},
  ) {
    this.maxUnits = Math.max(1, options.maxUnits ?? 64);
    this.maxMs = Math.max(0, options.maxMs ?? 250);
    this.now = options.now ?? Date.now;
    this.buffers = options.buffers ?? [];
  }

  /** Run one unit inside the current batch (opening one if none is open); commit when the batch is full or old. */
  run<T>(fn: () => T): T {
    this.rethrow();
    if (!this.db.inTransaction) {
      this.db.exec("BEGIN IMMEDIATE");
      this.openedAt = this.now();
      this.units = 0;
      this.timer = setTimeout(() => this.commitQuietly(), this.maxMs);
      this.timer.unref();
    }
    // Nested in the open batch, better-sqlite3 runs this as a savepoint.
    const marks = this.buffers.map((b) => b.mark());
    let result: T;
    try {
      result = this.db.transaction(fn)();
    } catch (e) {
      this.buffers.forEach((b, i) => b.rollbackTo(marks[i] as number));
      throw e;
    }
    if (++this.units >= this.maxUnits || this.now() - this.openedAt >= this.maxMs) this.commit();
    return result;
  }

  /** Commit the open batch, if any. Call at the end of a crawl, before closing the database. */
  commit(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.db.inTransaction) return;
    for (const b of this.buffers) b.flush();
    this.db.exec("COMMIT");
    this.commits++;
  }

  /** Commit the open batch, then report a failure of an earlier timed commit, if there was one. */
  flush(): void {
    this.commit();
    this.rethrow();
  }

  /** Give up the open batch (its units are not stored). */
  rollback(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const b of this.buffers) b.rollbackTo(0);
    if (this.db.inTransaction) this.db.exec("ROLLBACK");
  }

  private commitQuietly(): void {
    try {
      this.commit();
    } catch (e) {
      // Reported by the next run() or flush(): a timer has no caller to throw to.
      this.failure = e;
    }
  }

  private rethrow(): void {
    if (this.failure === null) return;
    const e = this.failure;
    this.failure = null;
    throw e;
  }
}
