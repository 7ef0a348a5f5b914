import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCrawl, type CrawlDeps } from "../../src/crawl/crawler.js";
import { MemoryFrontier } from "../../src/crawl/frontier.js";
import { fetchUrl } from "../../src/crawl/http.js";
import { parseSources } from "../../src/crawl/sources.js";
import { MemoryCrawlState } from "../../src/crawl/state.js";
import type { CrawlSummary } from "../../src/crawl/summary.js";
import { decodeBytes } from "../../src/parse/decode.js";
import { MemorySink } from "./helpers/memory-sink.js";
import { testPolicy } from "./helpers/policy.js";
import { REPORT_HTML, html, scriptServer, type ScriptServer } from "./helpers/script-server.js";

/**
 * Staying on allowHosts, seen from the other side: a second loopback site that is NOT in the
 * source's allowHosts is linked (list links, report links, an attachment) and redirected to from
 * the portal, and it must receive no request at all.
 *
 * The outside site listens on 127.0.0.1 like every test server, but the portal names it by a host
 * name of its own (`outside.invalid`, resolved to 127.0.0.1 by this test's dispatcher). The crawler
 * compares host names, and the redirect check ignores ports, so an outside site told apart from the
 * portal only by its port would not be outside at all.
 */
const OUTSIDE_HOST = "outside.invalid";

let portal: ScriptServer;
let outside: ScriptServer;
let outsideOrigin: string;
let summary: CrawlSummary;
let state: MemoryCrawlState;

const lookup: LookupFunction = (hostname, options, callback) => {
  if (hostname !== OUTSIDE_HOST) return dnsLookup(hostname, options, callback);
  if (options.all) (callback as (e: null, a: LookupAddress[]) => void)(null, [{ address: "127.0.0.1", family: 4 }]);
  else callback(null, "127.0.0.1", 4);
};
const dispatcher = new Agent({ keepAliveTimeout: 100, keepAliveMaxTimeout: 100, connect: { lookup } });

beforeAll(async () => {
  // Anything the outside site is asked for would be a page worth storing: a report, a list, robots.txt.
  outside = await scriptServer({
    "/": html(`<html><body><a href="/ndbg/">年度报告</a></body></html>`),
    "/robots.txt": html("User-agent: *\nAllow: /\n"),
    "/ndbg/": html(`<html><body><ul><li><a href="/ndbg/r2.html">外站2023年政府信息公开工作年度报告</a></li></ul></body></html>`),
    "/ndbg/r1.html": html(REPORT_HTML),
    "/ndbg/r2.html": html(REPORT_HTML),
    "/ndbg/moved.html": html(REPORT_HTML),
    "/files/report.pdf": (_req, res) => {
      res.writeHead(200, { "content-type": "application/pdf" });
      res.end("%PDF-1.4\n");
    },
  });
  outsideOrigin = `http://${OUTSIDE_HOST}:${new URL(outside.origin).port}`;
  // Sanity: the dispatcher does reach the outside site, so 0 requests below means "not asked", not "unreachable".
  const probe = await fetchUrl(`${outsideOrigin}/ndbg/r1.html`, { dispatcher, timeoutMs: 3000 });
  expect(probe.status).toBe(200);
  outside.log.length = 0;

  portal = await scriptServer({
    "/": html(
      `<html><body><ul>` +
        `<li><a href="/ndbg/">政府信息公开年度报告</a></li>` +
        `<li><a href="${outsideOrigin}/ndbg/">外站政府信息公开年度报告</a></li>` +
        `</ul></body></html>`,
    ),
    "/ndbg/": html(
      `<html><body><ul>` +
        `<li><a href="/ndbg/ok.html">示例单位1号2023年政府信息公开工作年度报告</a></li>` +
        `<li><a href="${outsideOrigin}/ndbg/r1.html">示例单位2号2023年政府信息公开工作年度报告</a></li>` +
        `<li><a href="/ndbg/moved.html">示例单位3号2023年政府信息公开工作年度报告</a></li>` +
        `<li><a href="/ndbg/pdf.html">示例单位4号2023年政府信息公开工作年度报告</a></li>` +
        `</ul><a href="${outsideOrigin}/ndbg/index_1.html">下一页</a></body></html>`,
    ),
    "/ndbg/ok.html": html(REPORT_HTML),
    "/ndbg/moved.html": (_req, res) => {
      res.writeHead(302, { location: `${outsideOrigin}/ndbg/moved.html` });
      res.end();
    },
    "/ndbg/pdf.html": html(
      `<html><head><title>示例单位4号2023年政府信息公开工作年度报告</title></head><body><p>详见附件：<a href="${outsideOrigin}/files/report.pdf">年度报告.pdf</a></p></body></html>`,
    ),
  });
  state = new MemoryCrawlState();
  const deps: CrawlDeps = { fetch: fetchUrl, decode: decodeBytes, frontier: new MemoryFrontier(), sink: new MemorySink(), state, dispatcher };
  const sources = parseSources({ sources: [{ id: "portal", start: [`${portal.origin}/`] }] });
  summary = await runCrawl(sources, { policy: testPolicy({ retries: 0 }) }, deps);
}, 30_000);

afterAll(async () => {
  await portal?.close();
  await outside?.close();
  await dispatcher.close();
});

describe("a site outside allowHosts, linked and redirected to from the portal", () => {
  it("receives no request: not for links, list pages, redirects, robots.txt or attachments", () => {
    expect(summary.outcome).toBe("completed");
    expect(outside.log.map((l) => l.path)).toEqual([]);
  });

  it("the portal itself was crawled (the outside links were seen and left alone)", () => {
    const s = summary.sources[0]!;
    expect(s.newReports.map((r) => new URL(r.url).pathname)).toEqual(["/ndbg/ok.html"]);
    expect(portal.hits("/ndbg/moved.html")).toBe(1);
    expect(portal.hits("/ndbg/pdf.html")).toBe(1);
    expect(s.failures.map((f) => [new URL(f.url).pathname, f.code, f.reason])).toEqual([
      ["/ndbg/moved.html", "E_OFF_HOST_REDIRECT", `redirect to ${outsideOrigin}/ndbg/moved.html leaves allowHosts; not followed`],
      ["/ndbg/pdf.html", "E_NOT_REPORT", "not an annual report (no 表三 found); tables in PDF attachment"],
    ]);
    // A report page's attachment is recorded wherever it lives (today nothing fetches it); the
    // first test above is what keeps a future attachment fetcher on allowed hosts.
    expect(s.attachments.map((a) => a.url)).toEqual([`${outsideOrigin}/files/report.pdf`]);
    for (const f of state.fetches) expect(new URL(f.url).host).toBe(portal.host);
  });
});
