import type { IncomingMessage } from "node:http";
import iconv from "iconv-lite";
import { Agent } from "undici";
import { afterAll, describe, expect, it } from "vitest";
import { runCrawl, type CrawlDeps } from "../../src/crawl/crawler.js";
import { DIALECTS } from "../../src/crawl/dialects/index.js";
import type { ListDialect } from "../../src/crawl/dialects/types.js";
import { MemoryFrontier } from "../../src/crawl/frontier.js";
import { fetchUrl } from "../../src/crawl/http.js";
import { startPortal } from "../../src/crawl/sample-portal.js";
import { parseSources } from "../../src/crawl/sources.js";
import { MemoryCrawlState } from "../../src/crawl/state.js";
import { renderSummary } from "../../src/crawl/summary.js";
import { decodeBytes } from "../../src/parse/decode.js";
import { MemorySink } from "./helpers/memory-sink.js";
import { testPolicy } from "./helpers/policy.js";
import { html, REPORT_HTML, scriptServer, type Handler, type ScriptServer } from "./helpers/script-server.js";

const dispatcher = new Agent({ keepAliveTimeout: 100, keepAliveMaxTimeout: 100 });
afterAll(() => dispatcher.close());

function deps(): CrawlDeps & { sink: MemorySink; state: MemoryCrawlState; frontier: MemoryFrontier } {
  return { fetch: fetchUrl, decode: decodeBytes, frontier: new MemoryFrontier(), sink: new MemorySink(), state: new MemoryCrawlState(), dispatcher } as CrawlDeps & {
    sink: MemorySink;
    state: MemoryCrawlState;
    frontier: MemoryFrontier;
  };
}

describe("the Fujian-style and WebBuilder-style sample sites", () => {
  it("are crawled completely: static page 1, the rest through their POST APIs, sent as the page's script sends them", async () => {
    const portal = await startPortal();
    try {
      const d = deps();
      const sources = parseSources(portal.sources()).filter((s) => s.id === "sample-fujian-county" || s.id === "sample-webbuilder-bureau");
      const summary = await runCrawl(sources, { policy: testPolicy() }, d);
      const by = Object.fromEntries(summary.sources.map((s) => [s.id, s]));
      const fj = by["sample-fujian-county"]!;
      const wb = by["sample-webbuilder-bureau"]!;
      // 25 (部门年报, 3 pages) + 3 (a department column on page 1) + 11 (a department column, 1 on the API's page 2)
      expect(fj.reports.new).toBe(39);
      expect(wb.reports.new).toBe(6);
      for (const s of [fj, wb]) {
        expect(s.failures).toEqual([]);
        expect(s.unreached).toEqual([]);
        expect(s.listIssues).toEqual([]);
      }
      // The column of 25 with page size 10: page 1 static, API pages 2 and 3 asked once each, every report stored.
      const column = fj.newReports.filter((r) => r.url.includes("/zwgk/zfxxgknb/"));
      expect(column).toHaveLength(25);
      const posts = portal.requests.filter((r) => r.method === "POST");
      const fjPosts = posts.filter((r) => r.site === "sample-fujian-county").map((r) => Object.fromEntries(new URLSearchParams(r.body)));
      expect(fjPosts.filter((f) => f["classsql"] === "chnlid=1788").map((f) => f["page"]).sort()).toEqual(["2", "3"]);
      expect(fjPosts.filter((f) => f["classsql"] === "chnlid=2002").map((f) => f["page"])).toEqual(["2"]);
      for (const f of fjPosts) expect(f).toMatchObject({ channelid: "200210", prepage: "10", sortfield: "-docorderpri,-docreltime" });
      for (const p of posts) {
        expect(p.status).toBe(200);
        expect(p.xhr).toBe("XMLHttpRequest");
        expect(p.referer).toMatch(/\/zfxxgknb\/$|\/moreinfo\.html$/);
      }
      const wbPages = posts.filter((r) => r.site === "sample-webbuilder-bureau").map((r) => JSON.parse(new URLSearchParams(r.body).get("params")!) as { pageIndex: number; categoryNum: string });
      expect(wbPages.map((p) => [p.categoryNum, p.pageIndex]).sort()).toEqual([
        ["003001", 0],
        ["003001", 1],
      ]);
    } finally {
      await portal.close();
    }
  }, 30_000);
});

/** Read a POST body, then answer. */
function withBody(fn: (body: URLSearchParams, req: IncomingMessage, res: Parameters<Handler>[1], hit: number) => void): Handler {
  return (req, res, hit) => {
    let b = "";
    req.on("data", (c: Buffer) => (b += c.toString("utf8")));
    req.on("end", () => fn(new URLSearchParams(b), req, res, hit));
  };
}

const title = (i: number) => `示例单位${i}号2024年政府信息公开工作年度报告`;
/** A Fujian column page: `shown` items static, `recordCount` declared, 10 a page. */
function fujianList(shown: number, recordCount: number): string {
  return `<html><head><script>var SiteInfo = { searchId: 300100 };</script></head><body>
<div class="rules_tabs_01">${Array.from({ length: shown }, (_, i) => `<dl><dd><a href="./t${i + 1}.htm" title="${title(i + 1)}">${title(i + 1)}</a></dd></dl>`).join("")}</div>
<script>require(["list2.trsapi"], function (listModel) { listModel({ quickMode: "动静结合", maxStaticIndex: 1,
  listArgs: { channelid: SiteInfo.searchId, classsql: "chnlid=9", sortfield: "-docreltime" },
  pagebar: { prepage: 10, recordCount: '${recordCount}' } }); });</script></body></html>`;
}
function apiPage(from: number, to: number, pageCount: number): string {
  const data = [];
  for (let i = from; i <= to; i++) data.push({ doctitle: title(i), docpuburl: `/nb/t${i}.htm`, docreltime: "2025-01-10 09:00:00" });
  return JSON.stringify({ pageCount, data });
}
function reportRoutes(n: number): Record<string, Handler> {
  const routes: Record<string, Handler> = {};
  for (let i = 1; i <= n; i++) routes[`/nb/t${i}.htm`] = html(REPORT_HTML.replace("示例单位", `示例单位${i}号`));
  return routes;
}

describe("API paging on loopback", () => {
  let srv: ScriptServer | null = null;
  afterAll(async () => srv?.close());

  async function crawlOf(routes: Record<string, Handler>, dialects?: readonly ListDialect[]) {
    srv = await scriptServer({ "/robots.txt": html("", 404), ...routes });
    const d = deps();
    const sources = parseSources({ sources: [{ id: "s", name: "s", start: [`${srv.origin}/nb/`] }] });
    const summary = await runCrawl(sources, { policy: testPolicy(), ...(dialects ? { dialects } : {}) }, d);
    const s = summary.sources[0]!;
    const out = { d, s, srv, text: renderSummary(summary) };
    await srv.close();
    srv = null;
    return out;
  }

  it("an API answering 500 is retried and its page read", async () => {
    const { s, srv: server } = await crawlOf({
      "/nb/": html(fujianList(10, 25)),
      "/fjdzapp/search": withBody((form, _req, res, hit) => {
        if (hit === 1) {
          res.writeHead(500, { "content-type": "text/html" });
          res.end("busy");
        } else {
          res.writeHead(200, { "content-type": "application/json;charset=UTF-8" });
          res.end(form.get("page") === "2" ? apiPage(11, 20, 3) : apiPage(21, 25, 3));
        }
      }),
      ...reportRoutes(25),
    });
    expect(s.reports.new).toBe(25);
    expect(s.failures).toEqual([]);
    expect(s.unreached).toEqual([]);
    expect(server.hits("/fjdzapp/search")).toBe(3); // one 500, then pages 2 and 3
  });

  it("an API page that keeps failing, or answers something that is not JSON, is a failure naming its page and list", async () => {
    const { s } = await crawlOf({
      "/nb/": html(fujianList(10, 25)),
      "/fjdzapp/search": withBody((form, _req, res) => {
        if (form.get("page") === "2") {
          res.writeHead(500, { "content-type": "text/html" });
          res.end("busy");
        } else {
          res.writeHead(200, { "content-type": "text/html" });
          res.end("<html><body>访问过于频繁</body></html>");
        }
      }),
      ...reportRoutes(10),
    });
    expect(s.reports.new).toBe(10);
    expect(s.failures.map((f) => [f.code, f.reason.replace(/\d{4,5}/, "PORT")])).toEqual([
      ["E_FETCH_HTTP", "HTTP 500 (trs-dynamic page 2 of http://127.0.0.1:PORT/nb/)"],
      ["E_FETCH_HTTP", 'the trs-dynamic answer is not JSON (starts "<html><body>访问过于频繁</body></html>"); its items were not read (trs-dynamic page 3 of http://127.0.0.1:PORT/nb/)'],
    ]);
  });

  it("a declared count larger than what the API returns is reported, with the page", async () => {
    const { s, text } = await crawlOf({
      "/nb/": html(fujianList(10, 25)),
      "/fjdzapp/search": withBody((form, _req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(form.get("page") === "2" ? apiPage(11, 20, 3) : apiPage(21, 22, 3));
      }),
      ...reportRoutes(22),
    });
    expect(s.reports.new).toBe(22);
    expect(s.unreached).toEqual([{ via: "trs-dynamic", declared: 5, unit: "records", reachable: 2, page: 3, listUrl: expect.stringMatching(/\/nb\/$/) }]);
    expect(text).toMatch(/list http:\/\/127\.0\.0\.1:\d+\/nb\/ page 3 declares 5 records \(trs-dynamic\); 2 reachable/);
  });

  it("the API's own pageCount beyond the page's count is followed, and JSON in GBK is decoded with or without a charset label, even sent as octet-stream", async () => {
    const gbk = (text: string, label: boolean): Handler => (_req, res) => {
      // unlabelled, and as a file download: still read as JSON
      res.writeHead(200, { "content-type": label ? "application/json;charset=GBK" : "application/octet-stream" });
      res.end(iconv.encode(text, "gbk"));
    };
    const { s } = await crawlOf({
      // the page says 12 (pages 1–2), the API says 3 pages
      "/nb/": html(fujianList(10, 12)),
      "/fjdzapp/search": withBody((form, req, res) => (form.get("page") === "2" ? gbk(apiPage(11, 20, 3), true) : gbk(apiPage(21, 23, 3), false))(req, res, 1)),
      ...reportRoutes(23),
    });
    expect(s.reports.new).toBe(23);
    expect(s.newReports.map((r) => r.title)).toContain(title(23));
    expect(s.unreached).toEqual([]);
  });

  it("robots.txt applies to the API path", async () => {
    srv = await scriptServer({
      "/robots.txt": html("User-agent: *\nDisallow: /fjdzapp/\n", 200, { "content-type": "text/plain" }),
      "/nb/": html(fujianList(10, 25)),
      "/fjdzapp/search": html("{}"),
      ...reportRoutes(10),
    });
    const d = deps();
    const summary = await runCrawl(parseSources({ sources: [{ id: "s", name: "s", start: [`${srv.origin}/nb/`] }] }), { policy: testPolicy() }, d);
    const s = summary.sources[0]!;
    expect(srv.hits("/fjdzapp/search")).toBe(0);
    expect(s.reports.new).toBe(10);
    expect(s.skipped.map((k) => k.reason)).toEqual(["robots.txt disallows this URL for nianbao", "robots.txt disallows this URL for nianbao"]);
  });

  it("gkmlpt: the 年报 category from _CONFIG, its first JSON page, then the pages its total reveals", async () => {
    const { s, srv: server } = await crawlOf({
      "/nb/": html(`<script>window._CONFIG = { SID: 'gd-x', TREE: [{ id: 7, name: '政策文件' }, { id: 42, name: '政府信息公开年报' }] };</script><div id="gkmlpt"></div>`),
      "/gkmlpt/api/all/42": (req, res) => {
        const u = new URL(req.url ?? "/", "http://x");
        const page = Number(u.searchParams.get("page"));
        const from = (page - 1) * 2 + 1;
        const articles = [from, from + 1].filter((i) => i <= 5).map((i) => ({ title: title(i), url: `/nb/t${i}.htm` }));
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ articles, classify: { post_count: 5 }, sid: u.searchParams.get("sid") }));
      },
      ...reportRoutes(5),
    });
    expect(s.reports.new).toBe(5);
    expect(s.unreached).toEqual([]);
    expect(server.log.filter((l) => l.path.startsWith("/gkmlpt/")).map((l) => l.path).sort()).toEqual([1, 2, 3].map((p) => `/gkmlpt/api/all/42?page=${p}&sid=gd-x`));
  });

  it("a dialect added as one declaration is crawled end to end", async () => {
    const cms: ListDialect = {
      name: "example-cms",
      description: "an example platform",
      recognise: /cmsList\.init/,
      values: { col: /colId\s*:\s*(\d+)/, total: /total\s*:\s*(\d+)/ },
      required: ["col"],
      paging: {
        via: "requests",
        request: { method: "POST", url: "/cms/list.do", form: { col: "{col}", p: "{page}" }, xhr: true, kind: "api" },
        firstPage: 1,
        declared: { unit: "records", value: "total" },
        pageSize: 3,
        answer: { format: "json", items: ["rows"], url: ["link"], title: ["name"], total: ["total"] },
      },
    };
    const routes = {
      "/nb/": html(`<div id="l"></div><script>cmsList.init({colId: 88, total: 7});</script>`),
      "/cms/list.do": withBody((form, _req, res) => {
        const p = Number(form.get("p"));
        const rows = [1, 2, 3].map((k) => (p - 1) * 3 + k).filter((i) => i <= 7).map((i) => ({ link: `/nb/t${i}.htm`, name: title(i) }));
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ total: 7, rows }));
      }),
      ...reportRoutes(7),
    };
    const without = await crawlOf(routes);
    expect(without.s.reports.new).toBe(0);
    const { s } = await crawlOf(routes, [...DIALECTS, cms]);
    expect(s.reports.new).toBe(7);
    expect(s.unreached).toEqual([]);
  });

  it("a list paged by a script no dialect knows is reported, naming the script", async () => {
    const page = `<html><body><ul><li><a href="./t1.htm">${title(1)}</a></li></ul><div id="pager"></div>
<script src="/js/list.js"></script><script>$.ajax({ url: "/api/articles", data: { pageNo: 1, pageSize: 10 }, success: render });</script></body></html>`;
    const { s, text } = await crawlOf({ "/nb/": html(page), ...reportRoutes(1) });
    expect(s.reports.new).toBe(1);
    expect(s.listIssues).toEqual([{ code: "list.unknown_dynamic_paging", script: expect.stringContaining("$.ajax"), listUrl: expect.stringMatching(/\/nb\/$/) }]);
    expect(text).toContain("[list.unknown_dynamic_paging]");
  });
});
