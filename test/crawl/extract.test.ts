import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { attachmentType, extractPage, isReportTitle } from "../../src/crawl/extract.js";

const site = (p: string) => readFileSync(new URL(`../../fixtures/portal/sites/${p}`, import.meta.url));
const utf8 = (p: string) => site(p).toString("utf8");

describe("isReportTitle", () => {
  it("recognises annual-report titles", () => {
    expect(isReportTitle("示例市人民政府2023年政府信息公开工作年度报告")).toBe(true);
    expect(isReportTitle("示例区财政局2023年度政府信息公开工作年度报告")).toBe(true);
    expect(isReportTitle("某县2019年政府信息公开年报")).toBe(true);
  });
  it("rejects columns, interpretations and notices", () => {
    expect(isReportTitle("政府信息公开年度报告")).toBe(false);
    expect(isReportTitle("《2023年政府信息公开工作年度报告》解读")).toBe(false);
    expect(isReportTitle("关于做好2023年政府信息公开工作年度报告编制工作的通知")).toBe(false);
    expect(isReportTitle("2023年工作总结")).toBe(false);
  });
});

describe("extractPage", () => {
  it("finds the platform from a home page, then the annual-report column, not the guide or the rules", () => {
    const home = extractPage({ url: "http://a.gov.cn/", kind: "home", depth: 0, text: utf8("trs/index.html"), maxDepth: 3 });
    expect(home.links).toEqual([{ url: "http://a.gov.cn/zfxxgk/index.html", kind: "home", depth: 1, title: "政府信息公开" }]);
    const platform = extractPage({ url: "http://a.gov.cn/zfxxgk/index.html", kind: "home", depth: 1, text: utf8("trs/zfxxgk/index.html"), maxDepth: 3 });
    expect(platform.links).toEqual([{ url: "http://a.gov.cn/zfxxgk/zfxxgknb/", kind: "list", depth: 2, title: "政府信息公开年报" }]);
  });

  it("stops discovery at maxDepth", () => {
    const home = extractPage({ url: "http://a.gov.cn/", kind: "home", depth: 3, text: utf8("trs/index.html"), maxDepth: 3 });
    expect(home.links).toEqual([]);
  });

  it("reads TRS createPageHTML: page 2 is index_1 (0-based), and no page beyond countPage", () => {
    const r = extractPage({ url: "http://a.gov.cn/zfxxgk/zfxxgknb/", kind: "list", depth: 2, text: utf8("trs/zfxxgk/zfxxgknb/index.html"), maxDepth: 3 });
    const lists = r.links.filter((l) => l.kind === "list").map((l) => l.url);
    expect(lists).toEqual([
      "http://a.gov.cn/zfxxgk/zfxxgknb/index.html",
      "http://a.gov.cn/zfxxgk/zfxxgknb/index_1.html",
      "http://a.gov.cn/zfxxgk/zfxxgknb/index_2.html",
      // per-year sub-columns
      "http://a.gov.cn/zfxxgk/zfxxgknb/2023/",
      "http://a.gov.cn/zfxxgk/zfxxgknb/2022/",
    ]);
    expect(r.declared).toEqual([{ via: "trs-createPageHTML", declared: 3, unit: "pages", reachable: 3 }]);
    expect(r.links.filter((l) => l.kind === "report").map((l) => l.title)).toEqual([
      "示例市人民政府2023年政府信息公开工作年度报告",
      "示例市人民政府2022年政府信息公开工作年度报告",
    ]);
  });

  it("reads createPageHTML with a literal count and .shtml pages", () => {
    const text = `<a href="./202301/t1.shtml" title="X局2022年政府信息公开工作年度报告">X局…</a><script>createPageHTML(2, 0, "index", "shtml");</script>`;
    const r = extractPage({ url: "http://a.gov.cn/nb/index.shtml", kind: "list", depth: 1, text, maxDepth: 3 });
    expect(r.links.map((l) => l.url)).toEqual(["http://a.gov.cn/nb/202301/t1.shtml", "http://a.gov.cn/nb/index.shtml", "http://a.gov.cn/nb/index_1.shtml"]);
  });

  it("reads Hanweb recordset CDATA and queues the dataproxy groups the page declares", () => {
    const r = extractPage({ url: "http://c.gov.cn/col/col1229105/index.html", kind: "list", depth: 2, text: utf8("hanweb/col/col1229105/index.html"), maxDepth: 3 });
    expect(r.links.filter((l) => l.kind === "report")).toHaveLength(4);
    const api = r.links.filter((l) => l.kind === "api").map((l) => new URL(l.url));
    expect(api.map((u) => u.pathname)).toEqual(["/module/web/jpage/dataproxy.jsp", "/module/web/jpage/dataproxy.jsp"]);
    expect(api.map((u) => [u.searchParams.get("startrecord"), u.searchParams.get("endrecord"), u.searchParams.get("columnid"), u.searchParams.get("unitid")])).toEqual([
      ["5", "8", "1229105", "4567123"],
      ["9", "10", "1229105", "4567123"],
    ]);
    expect(r.declared).toEqual([{ via: "hanweb-jpage", declared: 10, unit: "records", reachable: 10 }]);
  });

  it("reads the dataproxy XML answer's records without queuing more groups", () => {
    const r = extractPage({ url: "http://c.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=5", kind: "api", depth: 2, text: utf8("hanweb/module/web/jpage/dataproxy/1229105_5.xml"), maxDepth: 3 });
    expect(r.links.map((l) => l.kind)).toEqual(["report", "report", "report", "report"]);
    expect(r.links[0]!.url).toMatch(/^http:\/\/c\.gov\.cn\/art\/\d{4}\/\d+\/\d+\/art_1229105_\d+\.html$/);
  });

  it("follows 下一页 and page-number links of an ordinary pager (GBK page, decoded)", async () => {
    const { decodeBytes } = await import("../../src/parse/decode.js");
    const text = decodeBytes(site("gbk/zwgk/ndbg/index.htm"), { contentType: "text/html; charset=gbk" }).text;
    const r = extractPage({ url: "http://d.gov.cn/zwgk/ndbg/index.htm", kind: "list", depth: 2, text, maxDepth: 3 });
    expect(r.links.map((l) => [l.kind, l.url])).toEqual([
      ["report", "http://d.gov.cn/zwgk/ndbg/202401/t20240115_401.htm"],
      ["report", "http://d.gov.cn/zwgk/ndbg/202301/t20230112_351.htm"],
      ["list", "http://d.gov.cn/zwgk/ndbg/list_2.htm"],
    ]);
  });

  it("records attachments of a report page with their type", () => {
    const r = extractPage({ url: "http://a.gov.cn/zfxxgk/zfxxgknb/2022/202301/t20230117_0953.html", kind: "report", depth: 4, text: utf8("trs/zfxxgk/zfxxgknb/2022/202301/t20230117_0953.html"), maxDepth: 3 });
    expect(r.attachments).toEqual([{ url: "http://a.gov.cn/zfxxgk/zfxxgknb/2022/202301/P020230117388811234567.pdf", type: "pdf", title: "示例市民政局2022年政府信息公开工作年度报告.pdf" }]);
    expect(r.links).toEqual([]);
    expect(attachmentType("http://x/a.DOCX")).toBe("docx");
    expect(attachmentType("http://x/download?id=1", "年报.xls")).toBe("xls");
  });

  it("says when a list declares more records than its static HTML shows", () => {
    const text = `<dl><dd><a href="./202603/t1.htm" title="平潭2025年度政府信息公开工作年度报告">平潭…</a></dd></dl><script>listModel({pagebar: {prepage: 10, recordCount: '20'}})</script>`;
    const r = extractPage({ url: "http://p.gov.cn/zfxxgknb/nlist.htm", kind: "list", depth: 1, text, maxDepth: 3 });
    expect(r.declared).toEqual([{ via: "recordCount", declared: 20, unit: "records", reachable: 1 }]);
  });

  it("reads Guangdong gkmlpt: the 年报 category from _CONFIG, then the JSON API and its pages", () => {
    const index = `<script>window._CONFIG = {SID: 'sz-lg', TREE: [{id: 11, name: '政策文件'}, {id: 4123, name: '政府信息公开年报', children: []}]};</script><div>gkmlpt</div>`;
    const r1 = extractPage({ url: "http://www.lg.gov.cn/gkmlpt/index", kind: "home", depth: 1, text: index, maxDepth: 3 });
    expect(r1.links).toEqual([
      {
        url: "http://www.lg.gov.cn/gkmlpt/api/all/4123?page=1&sid=sz-lg",
        kind: "api",
        depth: 2,
        title: "政府信息公开年报",
        request: { method: "GET", referer: "http://www.lg.gov.cn/gkmlpt/index", dialect: "gkmlpt", page: 1, vars: { sid: "sz-lg", category: "4123", name: "政府信息公开年报" } },
      },
    ]);
    const api = JSON.stringify({
      articles: [
        { title: "深圳市龙岗区某局2024年政府信息公开工作年度报告", url: "http://www.lg.gov.cn/xxgk/content/post_1.html" },
        { title: "深圳市龙岗区某街道2024年政府信息公开工作年度报告", url: "http://www.lg.gov.cn/xxgk/content/post_2.html" },
      ],
      classify: { post_count: 5 },
    });
    const r2 = extractPage({ url: "http://www.lg.gov.cn/gkmlpt/api/all/4123?page=1&sid=sz-lg", kind: "api", depth: 2, text: api, contentType: "application/json", maxDepth: 3, request: r1.links[0]!.request ?? null });
    expect(r2.links[2]!.request).toMatchObject({ dialect: "gkmlpt", page: 2 });
    expect(r2.links.map((l) => [l.kind, l.url])).toEqual([
      ["report", "http://www.lg.gov.cn/xxgk/content/post_1.html"],
      ["report", "http://www.lg.gov.cn/xxgk/content/post_2.html"],
      ["api", "http://www.lg.gov.cn/gkmlpt/api/all/4123?page=2&sid=sz-lg"],
      ["api", "http://www.lg.gov.cn/gkmlpt/api/all/4123?page=3&sid=sz-lg"],
    ]);
    // An API page queued by an older nianbao carries no request: the answer is still read, its pages still queued.
    const legacy = extractPage({ url: "http://www.lg.gov.cn/gkmlpt/api/all/4123?page=1&sid=sz-lg", kind: "api", depth: 2, text: api, contentType: "application/json", maxDepth: 3 });
    expect(legacy.links.map((l) => l.url)).toEqual(r2.links.map((l) => l.url));
  });

  it("never throws on junk", () => {
    for (const kind of ["home", "list", "report", "api"] as const) {
      expect(() => extractPage({ url: "http://x/", kind, depth: 0, text: "<<<>>> \u0000 {", maxDepth: 3 })).not.toThrow();
    }
  });
});
