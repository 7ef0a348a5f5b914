import { createHash } from "node:crypto";
import pLimit from "p-limit";
import type { Dispatcher } from "undici";
import { isNianbaoError } from "../errors.js";
import { sniffFile } from "../parse/files.js";
import type { IngestOutcome, ReportSink } from "../store/ports.js";
import type { ListDialect, PageRequest } from "./dialects/types.js";
import { extractPage, type Extracted } from "./extract.js";
import type { DecodeFn, FetchFn, FetchOptions, FetchResult } from "./fetcher-types.js";
import type { Frontier, FrontierCounts, FrontierItem } from "./frontier.js";
import { HostGate, withPoliteness } from "./politeness.js";
import { ROBOTS_TOKEN, userAgent, type CrawlPolicy } from "./policy.js";
import { backoffMs, parseRetryAfter, withRetry } from "./retry.js";
import { RobotsCache } from "./robots.js";
import type { Source } from "./sources.js";
import type { CrawlState, RunOutcome } from "./state.js";
import { emptySourceSummary, type CrawlSummary, type Failure, type SourceSummary } from "./summary.js";
import { isReportTitle } from "./extract.js";
import { isAllowedHost } from "./url.js";

/** Live counters for the progress line. */
export interface CrawlProgress {
  pagesDone: number;
  queued: number;
  inFlight: number;
  reportsFound: number;
  errors: number;
  startedAt: number;
  now: number;
}

/** Everything the crawler talks to, passed in so tests can substitute each piece. */
export interface CrawlDeps {
  /** One HTTP request (src/crawl/http.ts `fetchUrl` in production). */
  fetch: FetchFn;
  decode: DecodeFn;
  frontier: Frontier;
  /** Where report pages go; a function gets the run id first (the store stamps pages with it). */
  sink: ReportSink | ((runId: number) => ReportSink);
  state: CrawlState;
  /** Run a page's effects (ingest, new links, done) as one unit: a SQLite transaction in production. */
  atomic?: <T>(fn: () => T) => T;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  dispatcher?: Dispatcher;
  /** When aborted: hand out no more pages, finish the ones in flight, end the run as "interrupted". */
  stop?: AbortSignal;
  /**
   * Parse a report page ahead, off the main thread (parse-pool.ts), before the sink stores it; the
   * sink's parse then returns the result. `forget` drops a result the sink did not use.
   */
  parseAhead?: { ahead(body: Uint8Array, options: { sourceUrl: string | null; contentType: string | null; provenance: true; titleHint?: string | null }): Promise<void>; forget(body: Uint8Array): void };
  onProgress?: (p: CrawlProgress) => void;
}

export interface CrawlOptions {
  policy: CrawlPolicy;
  /** Refetch report pages already fetched. */
  refresh?: boolean;
  /** Forget the frontier and validators first (all of them, or only these sources' frontier items). */
  fresh?: boolean | { sourceIds: readonly string[] };
  /** What started the run (crawl, schedule, demo), recorded with it. */
  trigger?: string;
  /** List dialects to read (default: every bundled one, src/crawl/dialects/index.ts). */
  dialects?: readonly ListDialect[];
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

const LIST_KINDS = ["home", "list", "api"] as const;

/**
 * The request as the list page's own script makes it: a POST with its form body, XHR headers and the
 * list page as Referer when the dialect says so; a plain GET otherwise.
 */
function asPageMakesIt(request: PageRequest | null, headers: Record<string, string>): Pick<FetchOptions, "method" | "body" | "headers"> {
  if (!request) return { headers };
  const h = { ...headers };
  if (request.xhr) {
    h["x-requested-with"] = "XMLHttpRequest";
    h["accept"] = "application/json, text/javascript, */*; q=0.01";
  }
  if (request.referer) h["referer"] = request.referer;
  if (request.method === "POST") {
    h["content-type"] = "application/x-www-form-urlencoded; charset=UTF-8";
    return { method: "POST", body: request.body ?? "", headers: h };
  }
  return { headers: h };
}

/**
 * Crawl the sources: discovery from each start URL, polite fetching, every report page handed to
 * the sink. The frontier is the only state of progress, so a killed run resumes where it stopped
 * (in-progress items are reclaimed), and a completed run's next pass revalidates lists with
 * conditional GET while reports are fetched once (unless `refresh`).
 */
export async function runCrawl(sources: readonly Source[], options: CrawlOptions, deps: CrawlDeps): Promise<CrawlSummary> {
  const policy = options.policy;
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const atomic = deps.atomic ?? (<T>(fn: () => T) => fn());
  const { frontier, state } = deps;
  const startedAt = now();

  if (options.fresh === true) {
    frontier.clear();
    state.clearValidators();
  } else if (options.fresh) {
    frontier.clear(options.fresh.sourceIds);
  }
  const run = state.beginRun({ startedAt: new Date(startedAt).toISOString(), sourceIds: sources.map((s) => s.id), trigger: options.trigger ?? "crawl" });
  const sink = typeof deps.sink === "function" ? deps.sink(run.runId) : deps.sink;
  frontier.reclaimInProgress();
  if (!run.resumed) {
    // A new pass: revalidate every list, retry what failed, and refetch reports only on --refresh.
    frontier.requeue(LIST_KINDS, ["done", "failed", "skipped"]);
    frontier.requeue(["report"], options.refresh ? ["done", "failed", "skipped"] : ["failed", "skipped"]);
  }
  const byId = new Map(sources.map((s) => [s.id, s]));
  const summaries = new Map<string, SourceSummary>(sources.map((s) => [s.id, emptySourceSummary(s.id, s.name)]));
  const firstAt = new Map<string, number>();
  /** Start pages that failed in this run, per source: all of them failing means the portal is unreachable. */
  const startFailures = new Map<string, Failure[]>();
  const lastAt = new Map<string, number>();
  for (const s of sources) for (const url of s.start) frontier.add({ url, kind: "home", sourceId: s.id, depth: 0 });

  const gate = new HostGate({ delayMs: policy.delayMs, perHost: policy.perHost, pauseAfter: policy.pauseAfter, now, sleep });
  const ua = userAgent(policy);
  const polite = withPoliteness(deps.fetch, gate);
  const fetchPolitely = withRetry(polite, {
    retries: policy.retries,
    baseMs: policy.retryBaseMs,
    maxMs: policy.retryMaxMs,
    retryAfterCapMs: policy.retryAfterCapMs,
    sleep,
    now,
    ...(deps.random ? { random: deps.random } : {}),
  });
  const baseOptions = (allowHosts: readonly string[]): FetchOptions => ({
    timeoutMs: policy.timeoutMs,
    maxBytes: policy.maxBytes,
    maxRedirects: policy.maxRedirects,
    allowHosts,
    userAgent: ua,
    ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
  });
  const robots = new RobotsCache(polite, { token: ROBOTS_TOKEN, fetchOptions: { ...baseOptions([]), maxBytes: 512 * 1024, maxRedirects: 0 } });

  const progress: CrawlProgress = { pagesDone: 0, queued: 0, inFlight: 0, reportsFound: 0, errors: 0, startedAt, now: startedAt };
  let countedAt = Number.NEGATIVE_INFINITY;
  const emit = (final = false) => {
    if (!deps.onProgress) return;
    progress.now = now();
    // Counting the queue is a table scan: at most four times a second.
    if (final || progress.now - countedAt >= 250) {
      progress.queued = frontier.counts().queued;
      countedAt = progress.now;
    }
    deps.onProgress(progress);
  };

  const summaryOf = (item: FrontierItem): SourceSummary => {
    let s = summaries.get(item.sourceId);
    if (!s) {
      s = emptySourceSummary(item.sourceId, item.sourceId);
      summaries.set(item.sourceId, s);
    }
    return s;
  };

  const fail = (item: FrontierItem, code: string, why: string, extra?: { status?: number | null; ms?: number }) => {
    const s = summaryOf(item);
    // API pages share a URL: say which page of which list failed.
    const reason = item.request ? `${why} (${item.request.dialect} page ${item.request.page} of ${item.request.referer ?? item.parentUrl ?? "its list"})` : why;
    atomic(() => {
      state.logFetch({ runId: run.runId, sourceId: item.sourceId, url: item.url, kind: item.kind, status: extra?.status ?? null, bytes: 0, sha256: null, ms: extra?.ms ?? 0, code, error: reason, fetchedAt: new Date(now()).toISOString() });
      frontier.done(item.id, { state: "failed", error: reason, code });
    });
    s.failures.push({ url: item.url, kind: item.kind, code, reason });
    if (item.kind === "home" && item.depth === 0) startFailures.set(item.sourceId, [...(startFailures.get(item.sourceId) ?? []), { url: item.url, kind: item.kind, code, reason }]);
    if (item.kind === "report") s.reports.failed++;
    progress.errors++;
  };

  const processItem = async (item: FrontierItem): Promise<void> => {
    const source = byId.get(item.sourceId);
    const s = summaryOf(item);
    if (!source) {
      frontier.done(item.id, { state: "skipped", error: "source no longer in the sources file", code: "E_BAD_SOURCES" });
      return;
    }
    if (!firstAt.has(item.sourceId)) firstAt.set(item.sourceId, now());
    const t0 = now();
    try {
      if (!isAllowedHost(item.url, source.allowHosts)) {
        frontier.done(item.id, { state: "skipped", error: "host not in allowHosts", code: "E_OFF_HOST_REDIRECT" });
        s.skipped.push({ url: item.url, reason: "host not in allowHosts" });
        return;
      }
      if (policy.robots) {
        const rules = await robots.load(item.url);
        gate.setCrawlDelay(item.host, rules.crawlDelayMs);
        if (robots.isAllowed(item.url) === false) {
          const reason = "robots.txt disallows this URL for nianbao";
          frontier.done(item.id, { state: "skipped", error: reason, code: "E_ROBOTS_DISALLOWED" });
          s.skipped.push({ url: item.url, reason });
          return;
        }
      }
      // Conditional GET where the server allows; a POST is asked afresh (its URL names no one page).
      const conditional = item.request?.method !== "POST";
      const validators = conditional && (item.kind !== "report" || options.refresh) ? state.getValidators(item.url) : null;
      const headers: Record<string, string> = {};
      if (validators?.etag) headers["if-none-match"] = validators.etag;
      if (validators?.lastModified) headers["if-modified-since"] = validators.lastModified;

      let res: FetchResult;
      try {
        res = await fetchPolitely(item.url, { ...baseOptions(source.allowHosts), ...asPageMakesIt(item.request, headers) });
      } catch (e) {
        const ms = now() - t0;
        if (isNianbaoError(e)) {
          const loc = typeof e.details["location"] === "string" ? e.details["location"] : null;
          const reason = e.code === "E_OFF_HOST_REDIRECT" && loc ? `redirect to ${loc} leaves allowHosts; not followed` : e.message;
          fail(item, e.code, reason, { ms });
        } else {
          fail(item, "E_FETCH_NETWORK", (e as Error)?.message ?? String(e), { ms });
        }
        return;
      }
      const ms = now() - t0;
      s.pagesFetched++;
      s.bytes += res.body.byteLength;
      const pausedNow = gate.noteStatus(item.host, res.status);
      if (pausedNow) {
        const reason = gate.pausedHosts().get(item.host) ?? "throttled";
        state.pauseHost(item.host, reason, run.runId);
        s.pausedHosts.push({ host: item.host, reason });
      }

      if (res.status === 304) {
        atomic(() => {
          state.logFetch({ runId: run.runId, sourceId: item.sourceId, url: item.url, kind: item.kind, status: 304, bytes: 0, sha256: validators?.sha256 ?? null, ms, code: null, error: null, fetchedAt: res.fetchedAt });
          frontier.done(item.id, { state: "done" });
        });
        s.notModified++;
        if (item.kind === "report") s.reports.unchanged++;
        return;
      }
      if (res.status === 403 || res.status === 429) {
        const code = res.status === 429 ? "E_FETCH_THROTTLED" : "E_FETCH_HTTP";
        const reason = `HTTP ${res.status}`;
        if (gate.isPaused(item.host)) {
          // Stays queued: the next run asks again.
          frontier.reclaim(item.id, { error: `${reason}; host paused`, code });
          state.logFetch({ runId: run.runId, sourceId: item.sourceId, url: item.url, kind: item.kind, status: res.status, bytes: 0, sha256: null, ms, code, error: reason, fetchedAt: res.fetchedAt });
          return;
        }
        if (res.status === 429 && item.attempts < policy.maxAttempts) {
          const wait = parseRetryAfter(res.headers["retry-after"], now()) ?? backoffMs(item.attempts, policy.retryBaseMs, policy.retryMaxMs);
          frontier.reclaim(item.id, { nextAttemptAt: now() + Math.min(wait, policy.retryAfterCapMs), error: reason, code });
          return;
        }
        fail(item, code, reason, { status: res.status, ms });
        return;
      }
      if (res.status < 200 || res.status >= 300) {
        fail(item, "E_FETCH_HTTP", `HTTP ${res.status}`, { status: res.status, ms });
        return;
      }

      const sha256 = createHash("sha256").update(res.body).digest("hex");
      const contentType = res.headers["content-type"] ?? null;
      // An API answer is text whatever it is labelled (some answer JSON as octet-stream).
      const isHtmlish = item.kind === "api" || !/pdf|msword|officedocument|octet-stream|zip|image\//i.test(contentType ?? "");
      const decoded = isHtmlish ? deps.decode(res.body, { contentType }) : null;
      const newValidators = { etag: res.headers["etag"] ?? null, lastModified: res.headers["last-modified"] ?? null, sha256 };
      const log = { runId: run.runId, sourceId: item.sourceId, url: item.url, kind: item.kind, status: res.status, bytes: res.body.byteLength, sha256, ms, code: null, error: null, fetchedAt: res.fetchedAt };

      let ex: Extracted = { links: [], attachments: [], declared: [], dialects: [], notices: [], problem: null };
      if (decoded) {
        ex = extractPage({
          url: res.finalUrl,
          kind: item.kind,
          depth: item.depth,
          text: decoded.text,
          contentType,
          maxDepth: policy.maxDepth,
          request: item.request,
          ...(options.dialects ? { dialects: options.dialects } : {}),
        });
      }
      if (ex.problem) {
        fail(item, "E_FETCH_HTTP", `${ex.problem}; its items were not read`, { status: res.status, ms });
        return;
      }

      // A report published as a file (PDF, DOCX, DOC/WPS), known by its bytes.
      const isFile = sniffFile(res.body) !== null;
      // A start URL that is itself a report page (its title names a report and a year) is stored
      // as a report rather than searched for links to a 年报 column it does not have.
      const isReport = item.kind === "report" || (item.kind === "home" && item.depth === 0 && decoded !== null && isReportTitle(pageTitle(decoded.text)));
      if (isReport) {
        let outcome: IngestOutcome | null = null;
        // The report files this page links (read as reports when the page itself has no tables).
        const files = reportFiles(ex, source.allowHosts);
        if (deps.parseAhead) await deps.parseAhead.ahead(res.body, { sourceUrl: res.finalUrl, contentType, provenance: true, titleHint: item.title });
        try {
        atomic(() => {
          outcome = sink.ingest({ url: item.url, finalUrl: res.finalUrl, fetchedAt: res.fetchedAt, status: res.status, headers: res.headers, encoding: decoded?.encoding ?? null, body: res.body, sha256, sourceId: item.sourceId, titleHint: item.title, linkedFrom: isFile ? item.parentUrl : null });
          const o = outcome as IngestOutcome;
          for (const a of ex.attachments) state.addAttachment({ sourceId: item.sourceId, pageUrl: item.url, url: a.url, type: a.type, title: a.title, tablesInAttachment: o.reportId === null });
          state.setValidators(item.url, newValidators);
          // Not a report: rejected now, or the same bytes as a page rejected before (at any URL).
          state.logFetch(o.reportId === null ? { ...log, code: "E_NOT_REPORT", error: o.reason } : log);
          frontier.done(item.id, o.reportId === null ? { state: "done", error: o.reason, code: "E_NOT_REPORT" } : { state: "done" });
          // A report page without the tables: read the files it links (same hosts, robots, politeness).
          if (o.reportId === null) frontier.addMany(files.map((a) => ({ url: a.url, kind: "report" as const, depth: item.depth, sourceId: item.sourceId, parentUrl: item.url, title: a.title })));
        });
        } finally {
          deps.parseAhead?.forget(res.body);
        }
        const o = outcome as unknown as IngestOutcome;
        const ref = { url: item.url, title: item.title, agency: o.agency, year: o.year };
        for (const a of ex.attachments) s.attachments.push({ pageUrl: item.url, url: a.url, type: a.type, tablesInAttachment: o.reportId === null });
        if (isFile && (o.status === "stored" || o.status === "changed")) s.filesRead++;
        if (o.status === "stored") {
          s.reports.new++;
          s.newReports.push(ref);
          progress.reportsFound++;
        } else if (o.status === "changed") {
          s.reports.changed++;
          s.changedReports.push(ref);
          progress.reportsFound++;
        } else if (o.status === "unchanged" && o.reportId !== null) s.reports.unchanged++;
        else if (files.length) {
          // Not a failure: the page only links the report; its files are read as reports.
        } else {
          s.reports.failed++;
          progress.errors++;
          if (isFile && /needs OCR/.test(o.reason ?? "")) s.filesNeedingOcr++;
          const withAtt = ex.attachments.length ? `${o.reason ?? "not a report"}; tables in ${ex.attachments.map((a) => a.type.toUpperCase()).join(", ")} attachment` : (o.reason ?? "not a report");
          // The sink's reason says whether the parser rejected the page or broke on it.
          s.failures.push({ url: item.url, kind: "report", code: /^parser error/.test(o.reason ?? "") ? "E_INTERNAL" : "E_NOT_REPORT", reason: withAtt });
        }
        return;
      }

      const links = ex.links.filter((l) => isAllowedHost(l.url, source.allowHosts));
      atomic(() => {
        frontier.addMany(links.map((l) => ({ url: l.url, kind: l.kind, depth: l.depth, sourceId: item.sourceId, parentUrl: item.url, title: l.title, request: l.request ?? null })));
        // A list entry that links a report file directly is a report too.
        frontier.addMany(reportFiles(ex, source.allowHosts, true).map((a) => ({ url: a.url, kind: "report" as const, depth: item.depth + 1, sourceId: item.sourceId, parentUrl: item.url, title: a.title })));
        for (const a of ex.attachments) if (isAllowedHost(a.url, source.allowHosts)) state.addAttachment({ sourceId: item.sourceId, pageUrl: item.url, url: a.url, type: a.type, title: a.title, tablesInAttachment: true });
        if (conditional) state.setValidators(item.url, newValidators);
        state.logFetch(log);
        frontier.done(item.id, { state: "done" });
      });
      for (const a of ex.attachments) if (isAllowedHost(a.url, source.allowHosts)) s.attachments.push({ pageUrl: item.url, url: a.url, type: a.type, tablesInAttachment: true });
      // An API page is about the list page that made it.
      const listUrl = item.request?.referer ?? item.url;
      for (const d of ex.declared) if (d.reachable < d.declared) s.unreached.push({ ...d, listUrl });
      for (const n of ex.notices) s.listIssues.push({ ...n, listUrl });
    } catch (e) {
      // A bug or a store failure: the page is recorded as failed with the reason, the run goes on.
      fail(item, isNianbaoError(e) ? e.code : "E_INTERNAL", (e as Error)?.message ?? String(e));
    } finally {
      gate.leave(item.host);
      lastAt.set(item.sourceId, now());
      progress.pagesDone++;
      emit();
    }
  };

  const limit = pLimit(policy.concurrency);
  const inflight = new Set<Promise<void>>();
  let dispatched = 0;
  let outcome: RunOutcome = "completed";
  for (;;) {
    if (deps.stop?.aborted) {
      outcome = "interrupted";
      break;
    }
    if (policy.maxPages > 0 && dispatched >= policy.maxPages) {
      outcome = "limit";
      break;
    }
    if (limit.activeCount + limit.pendingCount >= policy.concurrency) {
      await Promise.race(inflight);
      continue;
    }
    const item = frontier.next({ now: now(), skipHosts: gate.unavailableHosts() });
    if (item) {
      dispatched++;
      gate.enter(item.host);
      const p: Promise<void> = limit(() => processItem(item)).finally(() => inflight.delete(p));
      inflight.add(p);
      progress.inFlight = inflight.size;
      continue;
    }
    if (inflight.size > 0) {
      await Promise.race(inflight);
      continue;
    }
    const paused = new Set(gate.pausedHosts().keys());
    if (frontier.isFinished({ skipHosts: paused })) break;
    const wake = frontier.nextWakeAt({ skipHosts: paused });
    if (wake === null) break;
    await sleep(Math.max(1, wake - now()), deps.stop);
  }
  await Promise.all(inflight);
  // The sink indexes search text in batches: finish the last batch so this run's reports are
  // searchable now (nothing is lost without it; the next search would index them).
  sink.flush?.();

  const endedAt = now();
  for (const [id, s] of summaries) {
    s.queuedLeft = frontier.counts(id).queued;
    s.timeMs = (lastAt.get(id) ?? endedAt) - (firstAt.get(id) ?? endedAt);
    const source = byId.get(id);
    // A source whose start pages another source of this crawl already holds (the same portal listed
    // twice) queued nothing of its own: its reports are stored under that source, nothing failed.
    const sharesAnother = Object.values(frontier.counts(id)).every((n) => n === 0);
    if (source && outcome === "completed" && !sharesAnother) s.failure = sourceFailure(source, s, frontier.counts(id, "report"), startFailures.get(id) ?? []);
  }
  const summary: CrawlSummary = {
    runId: run.runId,
    resumed: run.resumed,
    outcome,
    startedAt: new Date(startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    timeMs: endedAt - startedAt,
    sources: [...summaries.values()],
  };
  state.endRun(run.runId, { endedAt: summary.endedAt, outcome, summary: compactSummary(summary) });
  emit(true);
  return summary;
}

/**
 * Whether a source failed as a whole in a completed run, and what the user should do: every start
 * page failed (the portal is unreachable), or no report page is known for it at all (no 年报
 * column found), or every report page it has failed.
 */
export function sourceFailure(source: Source, s: SourceSummary, reports: FrontierCounts, startFailed: readonly Failure[]): SourceSummary["failure"] {
  const starts = new Set(source.start);
  if (startFailed.length > 0 && startFailed.filter((f) => starts.has(f.url)).length >= starts.size) {
    const f = startFailed[0] as Failure;
    return {
      code: f.code,
      reason: `cannot reach the portal: ${f.url}: ${f.reason}`,
      advice: "check the start URL in a browser and the network; the next run tries again",
    };
  }
  const got = s.reports.new + s.reports.changed + s.reports.unchanged;
  if (got > 0 || reports.queued + reports.in_progress > 0) return null;
  // Every report page the source has was handled in this run and failed (HTTP errors, not reports).
  if (s.reports.failed > 0 && s.reports.failed >= reports.done + reports.failed) {
    return {
      code: "E_SOURCE_FAILED",
      reason: `every report page failed (${s.reports.failed}; reasons listed above)`,
      advice: "see each page's reason; for reports published only as attachments, see README “When a report fails”",
    };
  }
  // Report pages known from earlier runs: the source has yielded before.
  if (reports.done + reports.failed > 0) return null;
  return {
    code: "E_NO_ANNUAL_COLUMN",
    reason: `no 年报 column found from ${source.start.join(", ")}`,
    advice: "open the portal's 政府信息公开 platform, find the column listing the 政府信息公开工作年度报告, and give that column's URL as start (README “Finding a portal's 年报 column”)",
  };
}

/** The text of a page's <title>, or "" (cheap: no DOM). */
function pageTitle(html: string): string {
  const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html.slice(0, 20_000));
  return m ? (m[1] as string).replace(/\s+/g, "").trim() : "";
}

/** The summary as recorded in the database: counts and failures, not every report reference. */
const REPORT_FILE_TYPES = new Set(["pdf", "doc", "docx", "wps"]);
const REPORT_TITLE_RE = /年度报告|年报/;

/** Links to files nianbao reads (PDF, DOCX, DOC/WPS) on allowed hosts; from a list, only those titled like a report. */
function reportFiles(ex: Extracted, allowHosts: readonly string[], titledOnly = false): Extracted["attachments"] {
  return ex.attachments.filter((a) => REPORT_FILE_TYPES.has(a.type.toLowerCase()) && isAllowedHost(a.url, allowHosts) && (!titledOnly || REPORT_TITLE_RE.test(a.title ?? "")));
}

export function compactSummary(s: CrawlSummary): unknown {
  return {
    ...s,
    sources: s.sources.map((x) => ({ ...x, newReports: x.newReports.length, changedReports: x.changedReports.length, attachments: x.attachments.length })),
  };
}
