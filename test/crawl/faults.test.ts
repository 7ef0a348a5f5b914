import { gzipSync } from "node:zlib";
import iconv from "iconv-lite";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCrawl, type CrawlDeps } from "../../src/crawl/crawler.js";
import type { CrawlSummary } from "../../src/crawl/summary.js";
import { fetchUrl } from "../../src/crawl/http.js";
import { parseSources } from "../../src/crawl/sources.js";
import { decodeBytes } from "../../src/parse/decode.js";
import { SqliteCrawlState } from "../../src/store/crawl-state.js";
import { openDb } from "../../src/store/db.js";
import { SqliteFrontier } from "../../src/store/frontier-sqlite.js";
import { MemorySink } from "./helpers/memory-sink.js";
import { testPolicy } from "./helpers/policy.js";
import { REPORT_HTML, html, listOf, scriptServer, type ScriptServer } from "./helpers/script-server.js";

const FAULTS = ["/r/ok", "/r/reset", "/r/500", "/r/429", "/r/drip", "/r/truncated", "/r/oversized", "/r/bomb", "/r/charset", "/r/offhost"];
let srv: ScriptServer;
const dispatcher = new Agent({ keepAliveTimeout: 100, keepAliveMaxTimeout: 100 });
let summary: CrawlSummary;
let db: ReturnType<typeof openDb>;
let sink: MemorySink;

beforeAll(async () => {
  srv = await scriptServer({
    "/": html(listOf(FAULTS)),
    "/r/ok": html(REPORT_HTML),
    "/r/reset": (req) => req.socket.destroy(),
    "/r/500": html("oops", 500),
    "/r/429": (req, res, hit) => (hit === 1 ? html("slow down", 429, { "retry-after": "1" }) : html(REPORT_HTML))(req, res, hit),
    "/r/drip": (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      const t = setInterval(() => (res.writableEnded ? clearInterval(t) : res.write("<p>.</p>")), 100);
      res.on("close", () => clearInterval(t));
    },
    "/r/truncated": (req, res) => {
      res.writeHead(200, { "content-type": "text/html", "content-length": "5000" });
      res.write(REPORT_HTML.slice(0, 100));
      setTimeout(() => req.socket.destroy(), 20);
    },
    "/r/oversized": html(REPORT_HTML + "<!--" + "x".repeat(300_000) + "-->"),
    "/r/bomb": (_req, res) => {
      res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" });
      res.end(gzipSync(Buffer.alloc(20 * 1024 * 1024)));
    },
    "/r/charset": (_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(iconv.encode(REPORT_HTML.replace("<head>", '<head><meta charset="gbk">'), "gbk"));
    },
    "/r/offhost": (_req, res) => {
      res.writeHead(302, { location: "http://elsewhere.invalid/report.html" });
      res.end();
    },
  });
  db = openDb(":memory:");
  sink = new MemorySink();
  const deps: CrawlDeps = { fetch: fetchUrl, decode: decodeBytes, frontier: new SqliteFrontier(db), state: new SqliteCrawlState(db), sink, atomic: (f) => db.transaction(f)(), dispatcher };
  const sources = parseSources({ sources: [{ id: "faults", start: [`${srv.origin}/`] }] });
  summary = await runCrawl(sources, { policy: testPolicy({ timeoutMs: 1000, maxBytes: 200_000, retries: 1, retryBaseMs: 10 }) }, deps);
}, 30_000);

afterAll(async () => {
  await srv.close();
  await dispatcher.close();
});

describe("crawl against a scripted fault server", () => {
  it("completes, storing the good pages", () => {
    expect(summary.outcome).toBe("completed");
    const s = summary.sources[0]!;
    expect(s.newReports.map((r) => new URL(r.url).pathname).sort()).toEqual(["/r/429", "/r/charset", "/r/ok"]);
  });

  it("records every failure with its reason in the summary", () => {
    const byPath = Object.fromEntries(summary.sources[0]!.failures.map((f) => [new URL(f.url).pathname, f]));
    expect(Object.keys(byPath).sort()).toEqual(["/r/500", "/r/bomb", "/r/drip", "/r/offhost", "/r/oversized", "/r/reset", "/r/truncated"]);
    expect(byPath["/r/reset"]!.code).toBe("E_FETCH_NETWORK");
    expect(byPath["/r/500"]).toMatchObject({ code: "E_FETCH_HTTP", reason: "HTTP 500" });
    expect(byPath["/r/drip"]!.code).toBe("E_FETCH_TIMEOUT");
    expect(byPath["/r/truncated"]!.code).toBe("E_FETCH_NETWORK");
    expect(byPath["/r/oversized"]!.code).toBe("E_FETCH_TOO_LARGE");
    expect(byPath["/r/bomb"]!.code).toBe("E_FETCH_TOO_LARGE");
    expect(byPath["/r/offhost"]).toMatchObject({ code: "E_OFF_HOST_REDIRECT", reason: "redirect to http://elsewhere.invalid/report.html leaves allowHosts; not followed" });
  });

  it("records every failure with its reason in the database", () => {
    const rows = db.prepare("SELECT url, last_error_code AS code, last_error AS error FROM crawl_frontier WHERE state = 'failed' ORDER BY url").all() as { url: string; code: string; error: string }[];
    expect(rows.map((r) => new URL(r.url).pathname)).toEqual(["/r/500", "/r/bomb", "/r/drip", "/r/offhost", "/r/oversized", "/r/reset", "/r/truncated"]);
    for (const r of rows) expect(r.error).toBeTruthy();
    const logged = db.prepare("SELECT COUNT(*) AS n FROM crawl_fetches WHERE error_code IS NOT NULL").get() as { n: number };
    expect(logged.n).toBe(7);
  });

  it("retries a 500 and a reset before giving up, and waits out Retry-After on 429", () => {
    expect(srv.hits("/r/500")).toBe(2);
    expect(srv.hits("/r/reset")).toBe(2);
    expect(srv.hits("/r/oversized")).toBe(1);
    const t = srv.log.filter((l) => l.path === "/r/429").map((l) => l.at);
    expect(t).toHaveLength(2);
    expect(t[1]! - t[0]!).toBeGreaterThanOrEqual(980);
  });

  it("decodes a GBK page served as utf-8, and hands the sink the encoding it found", () => {
    // The sink decodes with RawPage.encoding, so the agency is only right if the crawler found GBK.
    expect(sink.encodings.get(`${srv.origin}/r/charset`)).toBe("gb18030");
    expect(sink.encodings.get(`${srv.origin}/r/ok`)).toBe("utf-8");
    const o = sink.outcomes.find((x) => x.url.endsWith("/r/charset"))!;
    expect(o).toMatchObject({ status: "stored", agency: "示例单位", year: 2023 });
  });
  // Staying on allowHosts (links, redirects, attachments) is tested against a second site in containment.test.ts.
});
