import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../src/crawl/dialects/index.js";
import { dateOf, unknownDynamicPaging } from "../../src/crawl/dialects/engine.js";
import type { ListDialect } from "../../src/crawl/dialects/types.js";
import { extractPage, type FoundLink } from "../../src/crawl/extract.js";

// A Fujian 集约化 column page as the platform publishes it (static page 1, the rest through the search API).
const FUJIAN = (recordCount: string, items = 2, extra = "") => `<html><head><script>
var SiteInfo = { siteId: 75, projectPath: "/", searchId: 200210, //默认的文档检索频道的ID
  wzsjId: 0 };
</script></head><body>
<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="showStatic">
${Array.from({ length: items }, (_, i) => `<dl><dd><a href="./202601/t2026011${i}_10465${i}.htm" target="_blank" title="示例局${i}2025年度政府信息公开工作年度报告">示例局${i}…</a></dd><dd>2026-01-16</dd></dl>`).join("\n")}
</div>
<script>
  require(["list2.trsapi", "tools"], function(listModel, tools) {
    listModel({ quickMode: "动静结合", maxStaticIndex: 1,
      listArgs: { channelid: SiteInfo.searchId, classsql: "" || "chnlid=1788", sortfield: "-docorderpri,-docreltime"${extra} },
      pagebar: { prepage: ${items}, recordCount: '${recordCount}', pgTemp: "pgBar_xxgk.html" } });
  });
</script></body></html>`;

const LIST_URL = "http://www.pt.gov.cn/zwgk/zfxxgknb/";
const api = (links: FoundLink[]) => links.filter((l) => l.kind === "api");

describe("TRS 动静结合 (fjdzapp/search)", () => {
  it("reads channelid through SiteInfo.searchId, classsql through ||, and requests pages 2… as the page's script does", () => {
    const r = extractPage({ url: LIST_URL, kind: "list", depth: 1, text: FUJIAN("5"), maxDepth: 3 });
    expect(r.dialects).toContain("trs-dynamic");
    expect(r.links.filter((l) => l.kind === "report")).toHaveLength(2);
    const reqs = api(r.links);
    expect(reqs.map((l) => l.url)).toEqual(["http://www.pt.gov.cn/fjdzapp/search", "http://www.pt.gov.cn/fjdzapp/search"]);
    expect(reqs.map((l) => l.request!.page)).toEqual([2, 3]);
    const form = Object.fromEntries(new URLSearchParams(reqs[0]!.request!.body));
    expect(form).toEqual({ channelid: "200210", classsql: "chnlid=1788", page: "2", prepage: "2", sortfield: "-docorderpri,-docreltime" });
    expect(reqs[0]!.request).toMatchObject({ method: "POST", xhr: true, referer: LIST_URL, dialect: "trs-dynamic" });
    // 2 static + 2 pages of 2 cover the 5 declared
    expect(r.declared).toEqual([{ via: "trs-dynamic", declared: 5, unit: "records", reachable: 5 }]);
    expect(r.notices).toEqual([]);
  });

  it("sends the optional fields some sites add, and nothing when the whole column is on page 1", () => {
    const r = extractPage({ url: LIST_URL, kind: "list", depth: 1, text: FUJIAN("3", 2, `, classcol: "gknb", cache: "false"`), maxDepth: 3 });
    expect(Object.fromEntries(new URLSearchParams(api(r.links)[0]!.request!.body))).toMatchObject({ classcol: "gknb", cache: "false" });
    const one = extractPage({ url: LIST_URL, kind: "list", depth: 1, text: FUJIAN("2"), maxDepth: 3 });
    expect(api(one.links)).toEqual([]);
    expect(one.declared).toEqual([{ via: "trs-dynamic", declared: 2, unit: "records", reachable: 2 }]);
  });

  it("asks from page 1 when the static part of the page is empty", () => {
    const r = extractPage({ url: LIST_URL, kind: "list", depth: 1, text: FUJIAN("3", 0).replace("prepage: 0", "prepage: 2"), maxDepth: 3 });
    expect(api(r.links).map((l) => l.request!.page)).toEqual([1, 2]);
    expect(r.declared).toEqual([{ via: "trs-dynamic", declared: 3, unit: "records", reachable: 3 }]);
  });

  it("reads answers in `data` or `docs`, docpuburl or chnldocurl, dates or timestamps", () => {
    const page = extractPage({ url: LIST_URL, kind: "list", depth: 1, text: FUJIAN("5"), maxDepth: 3 });
    const req = api(page.links)[0]!.request!;
    const a1 = JSON.stringify({ pageCount: 3, data: [{ doctitle: "示例局2 2025年度政府信息公开工作年度报告", docpuburl: "http://www.pt.gov.cn/zwgk/zfxxgknb/202601/t1.htm", docreltime: "2026-01-16 10:00:00", chnlid: 1788 }, { doctitle: "<em>示例局3</em>2025年度政府信息公开工作年度报告", chnldocurl: "./202601/t2.htm", docreltime: 1768528800000 }] });
    const r1 = extractPage({ url: "http://www.pt.gov.cn/fjdzapp/search", kind: "api", depth: 1, text: a1, contentType: "application/json", maxDepth: 3, request: req });
    expect(r1.links.filter((l) => l.kind === "report").map((l) => [l.kind, l.url, l.title, l.date])).toEqual([
      ["report", "http://www.pt.gov.cn/zwgk/zfxxgknb/202601/t1.htm", "示例局2 2025年度政府信息公开工作年度报告", "2026-01-16"],
      // relative to the list page that made the request, as the page's script links it
      ["report", "http://www.pt.gov.cn/zwgk/zfxxgknb/202601/t2.htm", "示例局3 2025年度政府信息公开工作年度报告".replace(" ", ""), "2026-01-16"],
    ]);
    expect(r1.declared).toEqual([]);
    const a2 = JSON.stringify({ pageCount: 3, docs: [{ doctitle: "示例局4 2025年度政府信息公开工作年度报告", chnldocurl: "/zwgk/zfxxgknb/202601/t3.htm", docreltime: "1768528800" }] });
    const r2 = extractPage({ url: "http://www.pt.gov.cn/fjdzapp/search", kind: "api", depth: 1, text: a2, maxDepth: 3, request: { ...req, page: 3 } });
    expect(r2.links.map((l) => [l.url, l.date])).toEqual([["http://www.pt.gov.cn/zwgk/zfxxgknb/202601/t3.htm", "2026-01-16"]]);
  });

  it("reports a page of the API holding fewer items than the list declares", () => {
    const page = extractPage({ url: LIST_URL, kind: "list", depth: 1, text: FUJIAN("5"), maxDepth: 3 });
    const req = api(page.links)[1]!.request!; // page 3 of 2 per page: should hold the 5th record
    const r = extractPage({ url: "http://www.pt.gov.cn/fjdzapp/search", kind: "api", depth: 1, text: JSON.stringify({ pageCount: 3, data: [] }), maxDepth: 3, request: req });
    expect(r.declared).toEqual([{ via: "trs-dynamic", declared: 1, unit: "records", reachable: 0, page: 3 }]);
    // …and a page 2 holding one of its two
    const half = extractPage({ url: "http://www.pt.gov.cn/fjdzapp/search", kind: "api", depth: 1, text: JSON.stringify({ pageCount: 3, data: [{ doctitle: "示例局2025年度政府信息公开工作年度报告", docpuburl: "/a.htm" }] }), maxDepth: 3, request: api(page.links)[0]!.request! });
    expect(half.declared).toEqual([{ via: "trs-dynamic", declared: 2, unit: "records", reachable: 1, page: 2 }]);
  });

  it("an answer that is not JSON is a problem, not an empty page", () => {
    const page = extractPage({ url: LIST_URL, kind: "list", depth: 1, text: FUJIAN("5"), maxDepth: 3 });
    const r = extractPage({ url: "http://www.pt.gov.cn/fjdzapp/search", kind: "api", depth: 1, text: "<html><body>系统繁忙</body></html>", maxDepth: 3, request: api(page.links)[0]!.request! });
    expect(r.problem).toMatch(/trs-dynamic answer is not JSON/);
  });
});

const WEBBUILDER = `<html><body><ul id="showList"></ul><script>
  var siteGuid = "7eb5f7f1-9041-43ad-8e13-8fcb82ea831a";
  var categoryNum = "003001";
  var pageSize = 2;
  $.ajax({ type: "POST", url: "/EWB-FRONT/rest/frontAppCustomAction/getPageInfoListNew",
    data: { params: JSON.stringify({ siteGuid: siteGuid, categoryNum: categoryNum, pageIndex: 0, pageSize: pageSize }) } });
</script></body></html>`;

describe("新点 WebBuilder (getPageInfoListNew)", () => {
  it("requests page 1 with params = JSON (category number kept a string, pageIndex 0-based), then the pages custom.count reveals", () => {
    const r = extractPage({ url: "http://j.gov.cn/xxgk/003001/moreinfo.html", kind: "list", depth: 1, text: WEBBUILDER, maxDepth: 3 });
    expect(r.dialects).toContain("webbuilder");
    const [first] = api(r.links);
    expect(first!.url).toBe("http://j.gov.cn/EWB-FRONT/rest/frontAppCustomAction/getPageInfoListNew");
    const params = JSON.parse(new URLSearchParams(first!.request!.body).get("params")!) as Record<string, unknown>;
    expect(params).toEqual({ siteGuid: "7eb5f7f1-9041-43ad-8e13-8fcb82ea831a", categoryNum: "003001", kw: "", startDate: "", endDate: "", pageIndex: 0, pageSize: 2 });
    expect(r.notices).toEqual([]);
    // `custom` arrives as an object on some sites and as a JSON string on others
    const custom = { infodata: [{ infourl: "/xxgk/003001/20250120/a.html", title: "示例局2024年政府信息公开工作年度报告", infodate: "2025-01-20" }, { infourl: "/xxgk/003001/20240120/b.html", title: "示例局2023年政府信息公开工作年度报告", infodate: "2024-01-20" }], count: 5 };
    for (const answer of [{ custom }, { custom: JSON.stringify(custom) }]) {
      const a = extractPage({ url: first!.url, kind: "api", depth: 1, text: JSON.stringify(answer), maxDepth: 3, request: first!.request! });
      expect(a.links.filter((l) => l.kind === "report").map((l) => [l.url, l.date])).toEqual([
        ["http://j.gov.cn/xxgk/003001/20250120/a.html", "2025-01-20"],
        ["http://j.gov.cn/xxgk/003001/20240120/b.html", "2024-01-20"],
      ]);
      const more = api(a.links).map((l) => JSON.parse(new URLSearchParams(l.request!.body).get("params")!).pageIndex as number);
      expect(more).toEqual([1, 2]);
    }
    // the last page short of custom.count is reported
    const last = api(extractPage({ url: first!.url, kind: "api", depth: 1, text: JSON.stringify({ custom }), maxDepth: 3, request: first!.request! }).links)[1]!;
    const short = extractPage({ url: last.url, kind: "api", depth: 1, text: JSON.stringify({ custom: { infodata: [], count: 5 } }), maxDepth: 3, request: last.request! });
    expect(short.declared).toEqual([{ via: "webbuilder", declared: 1, unit: "records", reachable: 0, page: 3 }]);
  });
});

describe("Hanweb jpage groups", () => {
  it("a dataproxy answer holding fewer records than its group is reported, with the group's page", () => {
    const dir = join(__dirname, "../../fixtures/portal/sites/hanweb");
    const list = extractPage({ url: "http://c.gov.cn/col/col1229105/index.html", kind: "list", depth: 2, text: readFileSync(join(dir, "col/col1229105/index.html"), "utf8"), maxDepth: 3 });
    const [group2, group3] = api(list.links);
    const xml = readFileSync(join(dir, "module/web/jpage/dataproxy/1229105_5.xml"), "utf8");
    const full = extractPage({ url: group2!.url, kind: "api", depth: 2, text: xml, maxDepth: 3, request: group2!.request! });
    expect(full.links).toHaveLength(4);
    expect(full.declared).toEqual([]);
    const short = xml.replace(/<record>[\s\S]*?<\/record>\s*/, "");
    expect(extractPage({ url: group2!.url, kind: "api", depth: 2, text: short, maxDepth: 3, request: group2!.request! }).declared).toEqual([
      { via: "hanweb-jpage", declared: 4, unit: "records", reachable: 3, page: 2 },
    ]);
    // the last group holds the remaining 2 of 10
    const last = extractPage({ url: group3!.url, kind: "api", depth: 2, text: "<datastore><recordset></recordset></datastore>", maxDepth: 3, request: group3!.request! });
    expect(last.declared).toEqual([{ via: "hanweb-jpage", declared: 2, unit: "records", reachable: 0, page: 3 }]);
  });
});

describe("script-driven paging of an unknown kind", () => {
  it("is named (the require([...]) modules, or the script) instead of passing as complete", () => {
    const page = `<ul><li><a href="./t1.htm">示例局2024年政府信息公开工作年度报告</a></li></ul><script>require(["list9.loader"], function (m) { m({ pageSize: 10, el: "#list" }); });</script>`;
    const r = extractPage({ url: "http://x.gov.cn/nb/", kind: "list", depth: 1, text: page, maxDepth: 3 });
    expect(r.notices).toEqual([{ code: "list.unknown_dynamic_paging", script: "require([list9.loader])" }]);
    const ajax = `<div id="list"></div><script src="/js/newslist.js">$.ajax({ url: "/api/news", data: { pageNo: 1 } })</script>`;
    expect(unknownDynamicPaging(ajax)).toBe("/js/newslist.js");
    expect(unknownDynamicPaging(`<script>fetch("/api/list?currentPage=2")</script>`)).toMatch(/^inline script: .*fetch/);
    // a loader that does not page (a visit counter), or no loader: nothing to say
    expect(unknownDynamicPaging(`<script>$.ajax({ url: "/counter" })</script>`)).toBeNull();
    expect(extractPage({ url: "http://x.gov.cn/nb/", kind: "list", depth: 1, text: "<ul><li>nothing</li></ul>", maxDepth: 3 }).notices).toEqual([]);
    // a known dialect's loader is accounted for
    expect(extractPage({ url: LIST_URL, kind: "list", depth: 1, text: FUJIAN("5"), maxDepth: 3 }).notices).toEqual([]);
  });
});

describe("dialects as data", () => {
  it("dates and timestamps (s or ms) become China dates", () => {
    expect(dateOf(1768528800000)).toBe("2026-01-16");
    expect(dateOf("1768528800")).toBe("2026-01-16");
    expect(dateOf("2026/1/6 10:00")).toBe("2026-01-06");
    expect(dateOf("无")).toBeNull();
  });

  it("every bundled dialect is one file in src/crawl/dialects and named once", () => {
    const dir = join(__dirname, "../../src/crawl/dialects");
    const files = readdirSync(dir).filter((f) => !["index.ts", "types.ts", "engine.ts", "js-values.ts"].includes(f));
    expect(files).toHaveLength(DIALECTS.length);
    const names = DIALECTS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const d of DIALECTS) expect(files.filter((f) => readFileSync(join(dir, f), "utf8").includes(`name: "${d.name}"`)), d.name).toHaveLength(1);
  });

  it("a new dialect is one declaration: the extractor reads it without any change", () => {
    // A hypothetical platform: `cmsList.init({colId: 88, total: 7, size: 3})`, pages from GET /cms/list.do?col=88&p=N (0-based), answer {rows, total}.
    const cms: ListDialect = {
      name: "example-cms",
      description: "an example platform",
      recognise: /cmsList\.init/,
      values: { col: /colId\s*:\s*(\d+)/, total: /total\s*:\s*(\d+)/, size: /size\s*:\s*(\d+)/ },
      required: ["col"],
      paging: {
        via: "requests",
        request: { method: "GET", url: "/cms/list.do", query: { col: "{col}", p: "{page0}" }, xhr: true, kind: "api" },
        firstPage: 1,
        declared: { unit: "records", value: "total" },
        pageSize: "size",
        answer: { format: "json", items: ["rows"], url: ["link"], title: ["name"], date: ["day"], total: ["total"] },
      },
    };
    const text = `<div id="l"></div><script>cmsList.init({colId: 88, total: 7, size: 3});</script>`;
    const without = extractPage({ url: "http://n.gov.cn/nb/", kind: "list", depth: 1, text, maxDepth: 3 });
    expect(api(without.links)).toEqual([]);
    const r = extractPage({ url: "http://n.gov.cn/nb/", kind: "list", depth: 1, text, maxDepth: 3, dialects: [...DIALECTS, cms] });
    expect(api(r.links).map((l) => l.url)).toEqual(["http://n.gov.cn/cms/list.do?col=88&p=0", "http://n.gov.cn/cms/list.do?col=88&p=1", "http://n.gov.cn/cms/list.do?col=88&p=2"]);
    const answer = JSON.stringify({ total: 7, rows: [{ link: "/nb/a.htm", name: "示例局2024年政府信息公开工作年度报告", day: "2025-01-02" }] });
    const a = extractPage({ url: api(r.links)[2]!.url, kind: "api", depth: 1, text: answer, maxDepth: 3, request: api(r.links)[2]!.request!, dialects: [...DIALECTS, cms] });
    expect(a.links.map((l) => [l.url, l.date])).toEqual([["http://n.gov.cn/nb/a.htm", "2025-01-02"]]);
  });
});
