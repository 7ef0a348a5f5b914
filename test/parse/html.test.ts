import { describe, expect, it } from "vitest";
import { extractHtml } from "../../src/parse/html.js";
import { gridTexts } from "../../src/parse/grid.js";

describe("extractHtml", () => {
  it("folds every run of whitespace in a line or cell to one space", () => {
    // (Each kind of run alone in its line or cell: a line is folded only when a run needs it.)
    const doc = extractHtml("<p>申请\n人</p><p>本年  新收</p><p>总计\u3000合计</p><p>其他\u00a0 项 本年 新收</p><p>甲\u200b乙</p><table><tr><td> 自然\n人 </td><td>1  2</td><td>3\t4</td></tr></table>");
    const lines = doc.blocks[0]?.kind === "text" ? doc.blocks[0].lines.map((l) => l.text) : null;
    expect(lines).toEqual(["申请 人", "本年 新收", "总计 合计", "其他 项 本年 新收", "甲 乙"]);
    const table = doc.blocks[1];
    expect(table?.kind === "table" ? gridTexts(table.grid) : null).toEqual([["自然 人", "1 2", "3 4"]]);
  });
  it("gives the article's text for search without menus, link lists, scripts and styles", () => {
    const doc = extractHtml(`<html><head><style>.menu{color:red}</style></head><body>
      <ul class="menu"><li><a href="/a">首页导航栏目</a></li><li><a href="/b">政务公开栏目</a></li></ul>
      <div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zfxxgk/">政府信息公开年报专栏</a></div>
      <h1>某局2023年政府信息公开工作年度报告</h1>
      <p>本年度依申请公开工作平稳，详见<a href="/x">附表</a>。</p>
      <table><tr><td>收到申请</td><td>12</td></tr></table>
      <script>var portalMenuScript = 1;</script>
      <div class="links"><a href="/c">相关链接某某网</a> | <a href="/d">友情链接某某网</a></div></body></html>`);
    expect(doc.body).toContain("本年度依申请公开工作平稳");
    expect(doc.body).toContain("详见附表");
    expect(doc.body).toContain("某局2023年政府信息公开工作年度报告");
    expect(doc.body).toContain("收到申请 12");
    for (const chrome of ["首页导航栏目", "政务公开栏目", "政府信息公开年报专栏", "portalMenuScript", "color:red", "友情链接某某网"]) expect(doc.body).not.toContain(chrome);
    // The document's full text (used for metadata) still has everything that is text.
    expect(doc.text).toContain("政务公开栏目");
  });

  it("expands rowspan and colspan to each cell's column", () => {
    const doc = extractHtml(`<table>
      <tr><td colspan="3" rowspan="2">corner</td><td colspan="2">申请人情况</td></tr>
      <tr><td>自然人</td><td>总计</td></tr>
      <tr><td>一</td><td rowspan="2">三</td><td>x</td><td>1</td><td>1</td></tr>
      <tr><td>二</td><td>y</td><td>2</td><td>2</td></tr></table>`);
    const g = doc.blocks.find((b) => b.kind === "table");
    expect(g?.kind).toBe("table");
    if (g?.kind !== "table") return;
    expect(g.grid.width).toBe(5);
    expect(g.grid.rows[1]!.map((c) => c.col)).toEqual([3, 4]);
    expect(g.grid.rows[3]!.map((c) => [c.text, c.col])).toEqual([
      ["二", 0],
      ["y", 2],
      ["2", 3],
      ["2", 4],
    ]);
  });

  it("reads Word-exported cells and <br> inside labels", () => {
    const doc = extractHtml(`<table><tr><td><p class="MsoNormal"><span>本年新</span><br/><span>制作数量</span><o:p></o:p></p></td><td><p><span lang="EN-US">1<o:p></o:p></span></p></td></tr></table>`);
    const b = doc.blocks[0];
    expect(b?.kind === "table" && gridTexts(b.grid)).toEqual([["本年新 制作数量", "1"]]);
  });

  it("walks layout tables as content and keeps their inner tables", () => {
    const doc = extractHtml(`<table><tr><td><p>一、总体情况</p><table><tr><td>规章</td><td>0</td></tr></table></td></tr></table>`);
    expect(doc.blocks.map((b) => b.kind)).toEqual(["text", "table"]);
  });

  it("skips scripts, styles and hidden elements; reads title, meta and attachments", () => {
    const doc = extractHtml(`<html><head><title>报告_栏目_网站</title><meta name="ArticleTitle" content="某局2023年政府信息公开工作年度报告"><meta name="PubDate" content="2024-01-20"></head>
      <body><script>var a = "规章 1 2 3";</script><style>.x{}</style><div style="display: none">隐藏 9</div><p>正文</p><a href="files/nb.PDF?x=1">附件</a><img src="a.png"></body></html>`, { baseUrl: "http://example.gov.cn/nb/index.html" });
    expect(doc.text).toBe("正文\n附件");
    expect(doc.titles[0]).toBe("某局2023年政府信息公开工作年度报告");
    expect(doc.meta["pubdate"]).toBe("2024-01-20");
    expect(doc.attachments).toEqual([{ url: "http://example.gov.cn/nb/files/nb.PDF?x=1", type: "pdf", text: "附件" }]);
    expect(doc.images).toBe(1);
  });

  it("reads pages nested tens of thousands of levels deep (unclosed tags) without overflowing the stack", () => {
    const doc = extractHtml(`<html><body>${"<span>".repeat(50_000)}<p>一、总体情况</p><table><tr><td>规章</td><td>0</td></tr></table></body></html>`);
    expect(doc.blocks.map((b) => b.kind)).toEqual(["text", "table"]);
    expect(doc.text).toContain("一、总体情况");
  });

  it("never throws on broken markup", () => {
    expect(() => extractHtml("<table><tr><td rowspan=99999 colspan=-3>a<td>b</table></tr><<<>>")).not.toThrow();
  });
});
