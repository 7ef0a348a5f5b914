import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { NianbaoError, type ErrorCode } from "../errors.js";
import type { ReportRecord } from "../schema/record.js";
import type { StoredBody } from "../store/codec.js";
import type { ParsePage, ParsePageWithText } from "../store/ports.js";

/**
 * Parsing on the other cores. The crawler's main thread fetches and writes SQLite; parsing is pure
 * and synchronous, so worker threads do it meanwhile. The sink stays synchronous: the crawler
 * parses a page ahead (`ahead`) and the sink's parse function (`parse`) then returns that result.
 */

type ParseOptions = Parameters<ParsePage>[1];
/** `stored`: the body compressed for the store by the worker. */
type Outcome = ({ ok: true; record: ReportRecord; searchText: string } | { ok: false; error: { code: ErrorCode | null; message: string; details: Record<string, unknown> } }) & { stored?: StoredBody };

export interface ParsePool {
  parse(body: Uint8Array, options: ParseOptions): Promise<Outcome>;
  close(): Promise<void>;
  size: number;
}

export interface ParsePoolOptions {
  /** Worker count (default: available cores − 1, at least 1, at most 4). */
  size?: number;
  /** The worker script (default: parse-worker.js beside this module, i.e. the built one). */
  workerUrl?: URL;
  /** Extra Node flags for the workers. */
  execArgv?: string[];
  /** workerData for the workers (tests pass a bootstrap that loads the TypeScript worker). */
  workerData?: unknown;
  /** Heap limit of each worker's old generation (default 256 MB). */
  maxOldGenerationSizeMb?: number;
  /** Each worker's young generation (default 48 MB). */
  maxYoungGenerationSizeMb?: number;
}

/** Start a pool, or return null when there is no built worker to start (running from source). */
export function createParsePool(options: ParsePoolOptions = {}): ParsePool | null {
  const url = options.workerUrl ?? new URL("./parse-worker.js", import.meta.url);
  if (!existsSync(fileURLToPath(url))) return null;
  const size = Math.max(1, Math.min(4, options.size ?? availableParallelism() - 1));
  const workers: { worker: Worker; busy: number; alive: boolean }[] = [];
  const waiting = new Map<number, { resolve: (o: Outcome) => void; reject: (e: Error) => void; worker: Worker }>();
  let nextId = 1;
  for (let i = 0; i < size; i++) {
    const worker = new Worker(url, {
      // A parse needs a few MB. Without a limit, a busy worker lets its heap grow to several
      // hundred MB between collections (measured: crawl peak RSS up to ~490 MB instead of ~250);
      // with one it collects sooner, at ~10% of crawl throughput. Memory that stays flat matters
      // more for a crawler that runs for years. A page past the limit fails the worker and the
      // caller parses it in-thread.
      // A larger young generation than the worker default lets most of a parse's garbage die in
      // scavenges instead of being promoted: GC 3 % of a chrome-padded page's parse instead of
      // 6 % at 16 MB and 12-15 % at 8 MB (bench/parse-profile.mjs), for ~5 MB more resident.
      resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb ?? 256, maxYoungGenerationSizeMb: options.maxYoungGenerationSizeMb ?? 48 },
      ...(options.execArgv ? { execArgv: options.execArgv } : {}),
      ...(options.workerData !== undefined ? { workerData: options.workerData } : {}),
    });
    worker.unref();
    const slot = { worker, busy: 0, alive: true };
    worker.on("message", (m: { id: number } & Outcome) => {
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      slot.busy--;
      const stored = m.stored ? { stored: m.stored } : {};
      w.resolve(m.ok ? { ok: true, record: m.record, searchText: m.searchText, ...stored } : { ok: false, error: m.error, ...stored });
    });
    // A dead worker fails its pending parses and takes no more; callers parse those in-thread.
    const die = (e: Error) => {
      slot.alive = false;
      for (const [id, w] of waiting) {
        if (w.worker !== worker) continue;
        waiting.delete(id);
        w.reject(e);
      }
    };
    worker.on("error", die);
    worker.on("exit", (code) => die(new Error(`parse worker exited with code ${code}`)));
    workers.push(slot);
  }
  return {
    size,
    parse(body, opts) {
      const live = workers.filter((w) => w.alive);
      if (!live.length) return Promise.reject(new Error("the parse pool has no live worker"));
      const slot = live.reduce((a, b) => (b.busy < a.busy ? b : a));
      const id = nextId++;
      slot.busy++;
      return new Promise<Outcome>((resolve, reject) => {
        waiting.set(id, { resolve, reject, worker: slot.worker });
        slot.worker.postMessage({ id, body, options: opts });
      });
    },
    async close() {
      for (const w of workers) w.alive = false;
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}

/**
 * A ParsePage (and ParsePageWithText) for the sink that returns results computed ahead by the pool,
 * falling back to parsing in-thread for pages nobody parsed ahead (or when a worker failed).
 */
export function parsingAhead(
  pool: ParsePool,
  fallback: ParsePageWithText,
): { parse: ParsePage; parseWithText: ParsePageWithText; ahead(body: Uint8Array, options: ParseOptions): Promise<void>; forget(body: Uint8Array): void } {
  const ready = new Map<Uint8Array, Outcome>();
  const parseWithText: ParsePageWithText = (body, options) => {
    const r = ready.get(body);
    if (!r) return fallback(body, options);
    ready.delete(body);
    if (r.ok) return { record: r.record, searchText: r.searchText, ...(r.stored ? { stored: r.stored } : {}) };
    if (r.error.code) throw new NianbaoError(r.error.code, r.error.message, r.error.details);
    throw new Error(r.error.message);
  };
  return {
    async ahead(body, options) {
      try {
        ready.set(body, await pool.parse(body, options));
      } catch {
        /* the sink will parse it in-thread */
      }
    },
    forget(body) {
      ready.delete(body);
    },
    parseWithText,
    parse: (body, options) => parseWithText(body, options).record,
  };
}
