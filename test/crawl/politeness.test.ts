import { Agent } from "undici";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runCrawl, type CrawlDeps } from "../../src/crawl/crawler.js";
import { MemoryFrontier } from "../../src/crawl/frontier.js";
import { fetchUrl } from "../../src/crawl/http.js";
import { parseSources } from "../../src/crawl/sources.js";
import { MemoryCrawlState } from "../../src/crawl/state.js";
import { decodeBytes } from "../../src/parse/decode.js";
import { MemorySink } from "./helpers/memory-sink.js";
import { testPolicy } from "./helpers/policy.js";
import { REPORT_HTML, html, listOf, scriptServer, type Handler, type ScriptServer } from "./helpers/script-server.js";

const dispatcher = new Agent({ keepAliveTimeout: 100, keepAliveMaxTimeout: 100 });
const servers: ScriptServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => dispatcher.close());

async function site(n: number, extra: Record<string, Handler> = {}, report: Handler = html(REPORT_HTML)): Promise<ScriptServer> {
  const paths = Array.from({ length: n }, (_, i) => `/r/${i}`);
  const s = await scriptServer({ "/": html(listOf(paths)), ...Object.fromEntries(paths.map((p) => [p, report])), ...extra });
  servers.push(s);
  return s;
}

function deps(): CrawlDeps & { frontier: MemoryFrontier; state: MemoryCrawlState } {
  return { fetch: fetchUrl, decode: decodeBytes, frontier: new MemoryFrontier(), state: new MemoryCrawlState(), sink: new MemorySink(), dispatcher };
}

/** Time from the end of each answer to the arrival of the next request, as the server saw it. */
const gaps = (s: ScriptServer) => s.log.slice(1).map((l, i) => l.at - (s.log[i]!.end ?? s.log[i]!.at));

describe("politeness", () => {
  it("spaces requests to one host by the delay (measured by the server), robots.txt included", async () => {
    const a = await site(5);
    const b = await site(5);
    const src = parseSources({ sources: [{ id: "a", start: [`${a.origin}/`] }, { id: "b", start: [`${b.origin}/`] }] });
    await runCrawl(src, { policy: testPolicy({ delayMs: 150, concurrency: 4 }) }, deps());
    // Allow for the gate's millisecond clock.
    for (const s of [a, b]) {
      expect(s.log.map((l) => l.path)[0]).toBe("/robots.txt");
      expect(s.log).toHaveLength(7);
      for (const g of gaps(s)) expect(g).toBeGreaterThanOrEqual(148);
      // per-host concurrency 1: a request starts only after the previous answer is complete
      for (let i = 1; i < s.log.length; i++) expect(s.log[i]!.at).toBeGreaterThanOrEqual(s.log[i - 1]!.end ?? 0);
    }
    // The two hosts are crawled side by side, not one after the other: in the order the servers saw
    // the requests, each host's second request comes after the other host's first, and the two
    // hosts keep taking turns (one after the other gives aaaaaaabbbbbbb: a single switch).
    expect(Math.max(a.log[0]!.at, b.log[0]!.at)).toBeLessThan(Math.min(a.log[1]!.at, b.log[1]!.at));
    const order = [...a.log.map((l) => ({ at: l.at, host: "a" })), ...b.log.map((l) => ({ at: l.at, host: "b" }))].sort((x, y) => x.at - y.at).map((x) => x.host);
    const switches = order.slice(1).filter((h, i) => h !== order[i]).length;
    expect(switches, order.join("")).toBeGreaterThanOrEqual(4);
  });

  it("uses robots.txt Crawl-delay when it is larger than the delay, and skips disallowed paths", async () => {
    const s = await site(3, { "/robots.txt": html("User-agent: *\nCrawl-delay: 0.3\nDisallow: /r/2\n", 200, { "content-type": "text/plain" }) });
    const d = deps();
    const summary = await runCrawl(parseSources({ sources: [{ id: "a", start: [`${s.origin}/`] }] }), { policy: testPolicy({ delayMs: 50 }) }, d);
    expect(s.hits("/r/2")).toBe(0);
    expect(summary.sources[0]!.skipped).toEqual([{ url: `${s.origin}/r/2`, reason: "robots.txt disallows this URL for nianbao" }]);
    for (const g of gaps(s)) expect(g).toBeGreaterThanOrEqual(298);
  });

  it("sends a User-Agent naming nianbao and the contact", async () => {
    let ua = "";
    const s = await site(0, { "/": (req, res) => ((ua = String(req.headers["user-agent"])), html("<p>empty</p>")(req, res, 1)) });
    await runCrawl(parseSources({ sources: [{ id: "a", start: [`${s.origin}/`] }] }), { policy: testPolicy({ contact: "ops@example.org" }) }, deps());
    expect(ua).toMatch(/^nianbao\/[\d.]+ \(\+ops@example\.org\)$/);
  });

  it("without a contact, the User-Agent names nianbao and its version only (nothing made up)", async () => {
    let ua = "";
    const s = await site(0, { "/": (req, res) => ((ua = String(req.headers["user-agent"])), html("<p>empty</p>")(req, res, 1)) });
    await runCrawl(parseSources({ sources: [{ id: "a", start: [`${s.origin}/`] }] }), { policy: testPolicy({ contact: "" }) }, deps());
    expect(ua).toMatch(/^nianbao\/\d+\.\d+\.\d+$/);
  });

  it("pauses a host that keeps answering 403/429; its pages stay queued and the next run gets them", async () => {
    let blocked = true;
    const s = await site(6, {}, (req, res, hit) => (blocked ? html("forbidden", 403) : html(REPORT_HTML))(req, res, hit));
    const d = deps();
    const src = parseSources({ sources: [{ id: "a", start: [`${s.origin}/`] }] });
    const first = await runCrawl(src, { policy: testPolicy({ pauseAfter: 3 }) }, d);
    const a = first.sources[0]!;
    expect(first.outcome).toBe("completed");
    expect(a.pausedHosts).toEqual([{ host: s.host, reason: "3 consecutive HTTP 403 answers" }]);
    // two pages failed with 403 before the pause; the third and the rest wait for the next run
    expect(a.failures.map((f) => f.reason)).toEqual(["HTTP 403", "HTTP 403"]);
    expect(a.queuedLeft).toBe(4);
    expect(d.state.pauses).toHaveLength(1);
    blocked = false;
    const second = await runCrawl(src, { policy: testPolicy() }, d);
    expect(second.sources[0]!.reports.new).toBe(6);
    expect(second.sources[0]!.queuedLeft).toBe(0);
  });
});
