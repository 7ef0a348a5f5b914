import type { PageRequest } from "./dialects/types.js";
import { hostOf, uniqueKey } from "./url.js";

/** What a queued URL is expected to be; decides how the crawler treats its response. */
export type PageKind = "home" | "list" | "report" | "attachment" | "api";
export const PAGE_KINDS: readonly PageKind[] = ["home", "list", "report", "attachment", "api"];

/**
 * Lifecycle of a frontier item:
 *
 *   (add) → queued ──next()──▶ in_progress ──done()──▶ done | failed | skipped
 *                ▲                   │
 *                └────reclaim()──────┘   (also: reclaimInProgress() after a crash)
 *
 * `done`/`reclaim` are no-ops unless the item is in progress, so a late or repeated call cannot
 * resurrect or close an item twice.
 */
export type FrontierState = "queued" | "in_progress" | "done" | "failed" | "skipped";

export interface FrontierRequest {
  url: string;
  kind: PageKind;
  sourceId: string;
  depth: number;
  parentUrl?: string | null;
  /** Link text or title that made us queue it (report titles, for the summary). */
  title?: string | null;
  /** A request a list dialect made (POST body, XHR headers, its dialect and values); none for a plain GET. */
  request?: PageRequest | null;
}

/**
 * The dedupe key of a request: the URL's `uniqueKey`, plus method and body when it is not a plain
 * GET (page 2 and page 3 of a POST API share a URL).
 */
export function requestKey(url: string, request?: PageRequest | null): string {
  const key = uniqueKey(url);
  if (!request || (request.method === "GET" && !request.body)) return key;
  return `${key} ${request.method} ${request.body ?? ""}`;
}

export interface FrontierItem {
  id: number;
  url: string;
  uniqueKey: string;
  host: string;
  kind: PageKind;
  sourceId: string;
  depth: number;
  parentUrl: string | null;
  title: string | null;
  request: PageRequest | null;
  state: FrontierState;
  /** Attempts in the current run (reset when a new run requeues the item). */
  attempts: number;
  /** Epoch ms before which the item is not handed out. */
  nextAttemptAt: number;
  lastError: string | null;
  lastErrorCode: string | null;
}

export interface Finish {
  state: "done" | "failed" | "skipped";
  error?: string | null;
  code?: string | null;
}

export interface NextOptions {
  now: number;
  /** Hosts not to hand out (paused, or at their per-host concurrency). */
  skipHosts?: ReadonlySet<string>;
}

export interface FrontierCounts {
  queued: number;
  in_progress: number;
  done: number;
  failed: number;
  skipped: number;
}

/** The crawl queue. Production: SQLite (src/store/frontier-sqlite.ts); tests: MemoryFrontier. */
export interface Frontier {
  /** Queue a URL unless one with the same uniqueKey is known (in any state). Returns true if added. */
  add(req: FrontierRequest): boolean;
  /** Queue several; returns how many were new. */
  addMany(reqs: readonly FrontierRequest[]): number;
  /** Hand out the oldest ready queued item and mark it in progress (attempts + 1); null if none is ready. */
  next(opts: NextOptions): FrontierItem | null;
  /** Close an in-progress item. No-op otherwise. */
  done(id: number, finish: Finish): void;
  /** Put an in-progress item back in the queue, not before `nextAttemptAt`. No-op otherwise. */
  reclaim(id: number, opts?: { nextAttemptAt?: number; error?: string | null; code?: string | null }): void;
  /** Crash recovery: every in-progress item (left by a killed process) back to queued. Returns how many. */
  reclaimInProgress(): number;
  /**
   * Start of a new run: put items of these kinds and states back in the queue with attempts reset
   * (list pages are revalidated every run; reports only with --refresh). Returns how many.
   */
  requeue(kinds: readonly PageKind[], states: readonly FrontierState[]): number;
  /** No queued item is ready now (some may be waiting for their next attempt or on skipped hosts). */
  isEmpty(opts: NextOptions): boolean;
  /** Nothing queued (outside skipHosts) and nothing in progress: the run has nothing left to do. */
  isFinished(opts?: { skipHosts?: ReadonlySet<string> }): boolean;
  /** Earliest nextAttemptAt among queued items outside skipHosts, or null. */
  nextWakeAt(opts?: { skipHosts?: ReadonlySet<string> }): number | null;
  get(url: string, request?: PageRequest | null): FrontierItem | null;
  counts(sourceId?: string, kind?: PageKind): FrontierCounts;
  /** Forget everything (--fresh), or only the items of these sources. */
  clear(sourceIds?: readonly string[]): void;
}

/** In-memory frontier for tests; same semantics as the SQLite one. */
export class MemoryFrontier implements Frontier {
  private items: FrontierItem[] = [];
  private byKey = new Map<string, FrontierItem>();

  add(req: FrontierRequest): boolean {
    const key = requestKey(req.url, req.request);
    if (this.byKey.has(key)) return false;
    const item: FrontierItem = {
      id: this.items.length + 1,
      url: req.url,
      uniqueKey: key,
      host: hostOf(req.url),
      kind: req.kind,
      sourceId: req.sourceId,
      depth: req.depth,
      parentUrl: req.parentUrl ?? null,
      title: req.title ?? null,
      request: req.request ?? null,
      state: "queued",
      attempts: 0,
      nextAttemptAt: 0,
      lastError: null,
      lastErrorCode: null,
    };
    this.items.push(item);
    this.byKey.set(key, item);
    return true;
  }

  addMany(reqs: readonly FrontierRequest[]): number {
    let n = 0;
    for (const r of reqs) if (this.add(r)) n++;
    return n;
  }

  next(opts: NextOptions): FrontierItem | null {
    const it = this.items.find((i) => i.state === "queued" && i.nextAttemptAt <= opts.now && !opts.skipHosts?.has(i.host));
    if (!it) return null;
    it.state = "in_progress";
    it.attempts++;
    return { ...it };
  }

  done(id: number, finish: Finish): void {
    const it = this.items[id - 1];
    if (!it || it.state !== "in_progress") return;
    it.state = finish.state;
    it.lastError = finish.error ?? null;
    it.lastErrorCode = finish.code ?? null;
  }

  reclaim(id: number, opts: { nextAttemptAt?: number; error?: string | null; code?: string | null } = {}): void {
    const it = this.items[id - 1];
    if (!it || it.state !== "in_progress") return;
    it.state = "queued";
    it.nextAttemptAt = opts.nextAttemptAt ?? 0;
    if (opts.error !== undefined) it.lastError = opts.error;
    if (opts.code !== undefined) it.lastErrorCode = opts.code;
  }

  reclaimInProgress(): number {
    let n = 0;
    for (const it of this.items) {
      if (it.state !== "in_progress") continue;
      it.state = "queued";
      n++;
    }
    return n;
  }

  requeue(kinds: readonly PageKind[], states: readonly FrontierState[]): number {
    let n = 0;
    for (const it of this.items) {
      if (kinds.includes(it.kind) && states.includes(it.state)) {
        it.state = "queued";
        it.attempts = 0;
        it.nextAttemptAt = 0;
        n++;
      }
    }
    return n;
  }

  isEmpty(opts: NextOptions): boolean {
    return !this.items.some((i) => i.state === "queued" && i.nextAttemptAt <= opts.now && !opts.skipHosts?.has(i.host));
  }

  isFinished(opts: { skipHosts?: ReadonlySet<string> } = {}): boolean {
    return !this.items.some((i) => i.state === "in_progress" || (i.state === "queued" && !opts.skipHosts?.has(i.host)));
  }

  nextWakeAt(opts: { skipHosts?: ReadonlySet<string> } = {}): number | null {
    let min: number | null = null;
    for (const i of this.items) if (i.state === "queued" && !opts.skipHosts?.has(i.host)) min = min === null ? i.nextAttemptAt : Math.min(min, i.nextAttemptAt);
    return min;
  }

  get(url: string, request?: PageRequest | null): FrontierItem | null {
    const it = this.byKey.get(requestKey(url, request));
    return it ? { ...it } : null;
  }

  counts(sourceId?: string, kind?: PageKind): FrontierCounts {
    const c: FrontierCounts = { queued: 0, in_progress: 0, done: 0, failed: 0, skipped: 0 };
    for (const i of this.items) if ((sourceId === undefined || i.sourceId === sourceId) && (kind === undefined || i.kind === kind)) c[i.state]++;
    return c;
  }

  clear(sourceIds?: readonly string[]): void {
    const keep = sourceIds ? this.items.filter((i) => !sourceIds.includes(i.sourceId)) : [];
    this.items = [];
    this.byKey.clear();
    // Ids are positions; re-add the survivors in order with fresh ids.
    for (const i of keep) {
      const item = { ...i, id: this.items.length + 1 };
      this.items.push(item);
      this.byKey.set(item.uniqueKey, item);
    }
  }
}
