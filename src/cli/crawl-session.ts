import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { Agent } from "undici";
import { runCrawl, type CrawlOptions } from "../crawl/crawler.js";
import { fetchUrl } from "../crawl/http.js";
import { NO_CONTACT_WARNING, resolvePolicy, type CrawlPolicy, type PolicyKey } from "../crawl/policy.js";
import { createProgress } from "../crawl/progress.js";
import type { Source } from "../crawl/sources.js";
import { failedSources, renderSummary, type CrawlSummary } from "../crawl/summary.js";
import { parsePage, templateValuePaths } from "../pipeline.js";
import { createParsePool, parsingAhead } from "../crawl/parse-pool.js";
import type { ParsePage, ParsePageWithText } from "../store/ports.js";
import { decodeBytes } from "../parse/decode.js";
import { CrawlLease } from "../store/crawl-lease.js";
import { SqliteCrawlState } from "../store/crawl-state.js";
import { openDb, resolveDbPath } from "../store/db.js";
import { GroupCommit } from "../store/group-commit.js";
import { holdSearchTexts } from "../store/records.js";
import { SqliteFrontier } from "../store/frontier-sqlite.js";
import type { ReportSink } from "../store/ports.js";
import { upsertSources } from "../store/runs.js";
import { createReportSink } from "../store/sink.js";
import type Database from "better-sqlite3";
import type { CliIo } from "./context.js";
import { dbOption } from "./main.js";
import { parserFor } from "./session.js";

/** The flags of `crawl` (PRODUCT.md), shared with `schedule`. */
export function addCrawlOptions(cmd: Command): Command {
  return cmd
    .option("--sources <file>", "sources file (JSON, see README)", "sources.json")
    .addOption(dbOption())
    .option("--concurrency <n>", "pages in flight overall (default 8)")
    .option("--per-host <n>", "pages in flight per host (default 1)")
    .option("--delay-ms <n>", "minimum ms between requests to one host (default 1000; robots.txt Crawl-delay wins when larger)")
    .option("--timeout-ms <n>", "per-request time limit, body included (default 30000)")
    .option("--max-bytes <n>", "largest response body kept, after decompression (default 20971520)")
    .option("--max-pages <n>", "stop after fetching this many pages; the rest stay queued for the next run")
    .option("--contact <url-or-email>", "contact put in the User-Agent (default $NIANBAO_CONTACT)")
    .option("--refresh", "refetch report pages already fetched")
    .option("--fresh", "forget the frontier and HTTP validators and start over")
    .option("--quiet", "no progress on stderr")
    .option("--json", "print the run summary as JSON on stdout");
}

/** Policy from flags (commander gives strings) and the environment. */
export function policyFromFlags(opts: Record<string, unknown>, env: NodeJS.ProcessEnv): CrawlPolicy {
  const keys: PolicyKey[] = ["concurrency", "perHost", "delayMs", "timeoutMs", "maxBytes", "maxPages", "contact"];
  const flags: Partial<Record<PolicyKey, unknown>> = {};
  for (const k of keys) if (opts[k] !== undefined) flags[k] = opts[k];
  return resolvePolicy(flags, env);
}

export interface CrawlSessionOptions {
  sources: Source[];
  policy: CrawlPolicy;
  dbPath: string;
  refresh?: boolean;
  fresh?: CrawlOptions["fresh"];
  quiet?: boolean;
  json?: boolean;
  trigger: string;
  /** Print the summary (default true). */
  print?: boolean;
  /** Warn on stderr when the policy has no contact (default true; schedule warns on its first run only). */
  warnNoContact?: boolean;
}

export interface CrawlSessionResult {
  summary: CrawlSummary;
  exitCode: number;
}

/** The store's SQLite sink, with the parser the CLI uses (io.deps.parse in tests). */
export function defaultSink(db: Database.Database, io: CliIo, runId: number, parse: ParsePage = parserFor(io), parseWithText?: ParsePageWithText): ReportSink {
  return createReportSink(db, { parse, runId, valuePaths: templateValuePaths(), ...(parseWithText ? { parseWithText } : {}) });
}

/**
 * One crawl against a database file: take the lease (E_LEASE_HELD if another crawl is live),
 * crawl, record the run, print the summary, release everything on every exit path. SIGINT/SIGTERM
 * stop handing out pages; the pages in flight finish and the run is recorded as interrupted.
 */
export async function crawlSession(o: CrawlSessionOptions, io: CliIo): Promise<CrawlSessionResult> {
  const db = openDb(resolve(io.cwd, o.dbPath));
  const holder = `${o.trigger}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const lease = new CrawlLease(db, holder, { ttlMs: 60_000 });
  const stop = new AbortController();
  let signalled: NodeJS.Signals | null = null;
  const offSignal = io.onSignal?.((sig) => {
    if (signalled) return;
    signalled = sig;
    io.stderr.write(`\nnianbao: ${sig}: finishing the pages in flight…\n`);
    stop.abort();
  });
  const dispatcher = new Agent({ keepAliveTimeout: 4000, keepAliveMaxTimeout: 10_000, connections: Math.max(4, o.policy.perHost * 2) });
  // Parse on the other cores when the built worker is there (not with a test's injected parser).
  const pool = io.deps?.parse ? null : createParsePool();
  const ahead = pool ? parsingAhead(pool, parsePage) : null;
  // The real parser gives each report's search text with its record (a test's injected parser does not).
  const withText: ParsePageWithText | undefined = io.deps?.parse ? undefined : (ahead?.parseWithText ?? parsePage);
  // Pages are stored in batches (group commit): a kill loses at most the open batch, whose pages
  // are still queued and are fetched again on resume.
  const heldTexts = holdSearchTexts(db);
  const batch = new GroupCommit(db, { buffers: [heldTexts] });
  let renew: NodeJS.Timeout | undefined;
  let held = false;
  try {
    await acquireWithoutBlocking(db, lease);
    held = true;
    if (!o.policy.contact && o.warnNoContact !== false) io.stderr.write(`${NO_CONTACT_WARNING}\n`);
    upsertSources(db, o.sources.map((s) => ({ ...s })));
    renew = setInterval(() => lease.renew(), 20_000);
    renew.unref();
    const progress = createProgress(io.stderr, { quiet: o.quiet ?? false });
    const summary = await runCrawl(
      o.sources,
      { policy: o.policy, refresh: o.refresh ?? false, fresh: o.fresh ?? false, trigger: o.trigger },
      {
        fetch: fetchUrl,
        decode: decodeBytes,
        frontier: new SqliteFrontier(db),
        state: new SqliteCrawlState(db, holder),
        sink: (runId) => defaultSink(db, io, runId, ahead?.parse, withText),
        atomic: (fn) => batch.run(fn),
        dispatcher,
        stop: stop.signal,
        onProgress: (p) => progress.update(p),
        ...(ahead ? { parseAhead: ahead } : {}),
      },
    );
    batch.flush();
    progress.finish();
    if (o.print !== false) io.stdout.write(o.json ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary));
    // 3: the run completed but a source yielded nothing (named in the summary), so cron users notice.
    const exitCode = summary.outcome === "interrupted" ? (signalled === "SIGTERM" ? 143 : 130) : failedSources(summary).length > 0 ? 3 : 0;
    return { summary, exitCode };
  } finally {
    // Every step runs even when one fails: a worker thread or socket left open keeps the process
    // alive after the error is printed (a crawl that "never exits").
    if (renew) clearInterval(renew);
    offSignal?.();
    // On an error the open batch is still committed: its units are whole (each ran in its own
    // savepoint), and storing them spares refetching them.
    await settle(() => {
      try {
        batch.commit();
      } catch {
        batch.rollback();
      }
    });
    heldTexts.release();
    if (held) await settle(() => lease.release());
    await settle(() => dispatcher.close());
    await settle(() => pool?.close());
    await settle(() => db.close());
  }
}

async function settle(step: () => unknown): Promise<void> {
  try {
    await step();
  } catch {
    // Cleanup after a failure: the failure itself is what the user needs to see.
  }
}

export function dbPathFrom(opts: Record<string, unknown>, env: NodeJS.ProcessEnv): string {
  return resolveDbPath(typeof opts["db"] === "string" ? opts["db"] : undefined, env);
}

export { Option };

/**
 * Take the lease, waiting asynchronously while another connection holds the write lock. SQLite's
 * busy timeout waits by sleeping the thread: another crawl in this process (whose open group of
 * pages holds the lock until its timer commits it) could then never commit, and both would stall.
 * Gives up with the SQLite error after `maxWaitMs`.
 */
async function acquireWithoutBlocking(db: Database.Database, lease: CrawlLease, maxWaitMs = 10_000): Promise<void> {
  const busyTimeout = db.pragma("busy_timeout", { simple: true }) as number;
  db.pragma("busy_timeout = 0");
  try {
    for (let waited = 0; ; waited += 20) {
      try {
        lease.acquire();
        return;
      } catch (e) {
        if ((e as { code?: unknown })?.code !== "SQLITE_BUSY" || waited >= maxWaitMs) throw e;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}
