/**
 * Writes the synthetic golden fixtures (fixtures/reports/syn-*). Run with
 * `npx tsx test/helpers/make-synthetic.ts`, then `UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts`
 * and review every expected.json / issues.json diff by hand.
 *
 * Each case states what it exercises in meta.json; values come from consistentValues() with a
 * fixed seed, then are bent on purpose (blanks, broken totals, glued digits…). oracle.json says,
 * from the same construction and never from a parse, the agency, year, template and units the
 * page states and the findings it is built to raise (golden.test.ts checks them).
 */
import iconv from "iconv-lite";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { consistentValues, renderHtml, renderText, type Values } from "./render-report.js";

const ROOT = join(import.meta.dirname, "..", "..", "fixtures", "reports");

function seeded(seed: number): (max: number) => number {
  let s = seed;
  return (max) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % (max + 1);
  };
}

interface Oracle {
  agency: string;
  year: number;
  template: "2019" | "2021";
  /** Units the page prints, by value path. Default: the template's own header units (2021: fees in 万元). */
  units?: Record<string, string>;
  /** Findings the page is built to raise; `path` left out for findings about the whole page. */
  flags?: { code: string; path?: string }[];
}

/** The units a rendered page of this template prints in its headers (render-report.ts). */
const HEADER_UNITS: Record<Oracle["template"], Record<string, string>> = { "2019": {}, "2021": { "active.fees.amount": "万元" } };

function write(name: string, file: string, content: string | Uint8Array, meta: Record<string, unknown>, values?: Values, oracle?: Oracle): void {
  const dir = join(ROOT, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), content);
  // The values the page prints: the golden test checks the parse against them.
  if (values) writeFileSync(join(dir, "values.json"), JSON.stringify(values, null, 2) + "\n");
  writeFileSync(join(dir, "meta.json"), JSON.stringify({ synthetic: true, ...meta }, null, 2) + "\n");
  if (oracle) {
    const { agency, year, template, units = HEADER_UNITS[oracle.template], flags = [] } = oracle;
    writeFileSync(join(dir, "oracle.json"), JSON.stringify({ agency, year, template, units, flags }, null, 2) + "\n");
  }
}

const v19 = consistentValues("2019", seeded(19), { maxCell: 12 });
const v21 = consistentValues("2021", seeded(21), { maxCell: 12 });

// 1. 2019 HTML as Shanghai printed it: ragged colspans, <br> in headers, blank 总计 cells in result
//    rows, 251000元, signed changes.
{
  const v: Values = { ...v19 };
  for (const k of Object.keys(v)) if (/applications\.(granted|partially_granted)\.total/.test(k)) v[k] = null;
  v["active.licensing.change"] = 2;
  v["active.penalty.change"] = -1;
  v["active.coercion.change"] = -4;
  v["active.procurement.amount"] = 251000;
  const html = renderHtml("2019", v, {
    agency: "上海市某区人民政府办公室",
    year: 2019,
    brHeaders: true,
    cellText: (p, val) =>
      p === "active.licensing.change" ? "+2" : p === "active.coercion.change" ? "减4" : p === "active.procurement.amount" ? "251000元" : p === "active.procurement.projects" ? `${val}个` : undefined,
  });
  write("syn-html-2019-shanghai-style", "input.html", html, {
    covers: "2019 表二 with ragged colspans mapped by order; 本年新<br>制作数量 headers; +2 / -1 / 减4 signed changes; 251000元 and 个 units in cells; blank 总计 cells in two result rows (kept null, flagged by the row identity)",
    expectSource: "html",
  }, v, {
    agency: "上海市某区人民政府办公室",
    year: 2019,
    template: "2019",
    units: { "active.procurement.projects": "个", "active.procurement.amount": "元" },
    // The two blank 总计 cells break their rows' totals and the column's results sum.
    flags: [
      { code: "identity.applications.row_total", path: "applications.granted.total" },
      { code: "identity.applications.row_total", path: "applications.partially_granted.total" },
      { code: "identity.applications.results_sum", path: "applications.granted.total" },
    ],
  });
}

// 2. 2021 HTML exported from Word, with portal chrome and the 公开 metadata table, 表三 split over two <table>s.
write("syn-html-2021-word-split", "input.html", renderHtml("2021", v21, { agency: "某县交通运输局", year: 2023, word: true, chrome: true, splitApplicationsAfter: 9 }), {
  covers: "Word-exported cells (<p><span>…<o:p>, labels split across spans); page chrome and the 索引号 metadata table; 表三 split across two <table> elements in the middle of （三）不予公开",
  expectSource: "html",
}, v21, { agency: "某县交通运输局", year: 2023, template: "2021" });

// 3. GBK bytes declared gb2312, with GBK-only and 4-byte GB18030 characters in the agency name.
{
  const html = renderHtml("2021", v21, { agency: "𠓬溪县镕山乡人民政府", year: 2022, head: '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' });
  write("syn-html-2021-gb2312", "input.html", iconv.encode(html, "gb18030"), {
    covers: "GB18030 bytes labelled gb2312: a 4-byte character (𠓬) and a GBK-only one (镕) must survive",
    expectSource: "html",
  }, v21, { agency: "𠓬溪县镕山乡人民政府", year: 2022, template: "2021" });
}

// 4. GBK bytes whose <meta> says UTF-8.
{
  const html = renderHtml("2019", v19, { agency: "某市审计局", year: 2020, head: '<meta charset="utf-8">' });
  write("syn-html-2019-mislabelled", "input.html", iconv.encode(html, "gb18030"), {
    covers: "a page labelled UTF-8 whose bytes are GBK: detected and decoded right, noted as encoding.mislabelled",
    expectSource: "html",
  }, v19, { agency: "某市审计局", year: 2020, template: "2019", flags: [{ code: "encoding.mislabelled" }] });
}

// 5. Text styles of FORMAT.md §10.
write("syn-pipe-2021-rows", "input.txt", renderText("2021", v21, "rows", { agency: "某区应急管理局", year: 2022 }), {
  covers: "pipe style 1: one row per line, ' | ' between cells, trailing pipe, padded to the table width",
  expectSource: "pipe",
}, v21, { agency: "某区应急管理局", year: 2022, template: "2021" });
write("syn-pipe-2021-unpadded", "input.txt", renderText("2021", v21, "rows-unpadded", { agency: "某区应急管理局", year: 2022 }), {
  covers: "pipe style 2: one row per line without padding",
  expectSource: "pipe",
}, v21, { agency: "某区应急管理局", year: 2022, template: "2021" });
write("syn-pipe-2019-leading", "input.txt", renderText("2019", v19, "leading", { agency: "某县园艺场", year: 2020 }), {
  covers: "pipe style 3: leading and trailing pipes on every row",
  expectSource: "pipe",
}, v19, { agency: "某县园艺场", year: 2020, template: "2019" });
write("syn-md-2019", "input.md", renderText("2019", v19, "markdown", { agency: "某市生态环境局", year: 2020 }), {
  covers: "markdown tables with |---| separators, 2019 template",
  expectSource: "markdown",
}, v19, { agency: "某市生态环境局", year: 2020, template: "2019" });
{
  // Style 4: one cell per line and no separators at all (雄县 / 武汉 mirrors).
  const doc = renderText("2021", v21, "seed", { agency: "某镇人民政府", year: 2024 });
  const text = doc
    .split("\n")
    .flatMap((l) => (/^\|+$/.test(l) ? [] : [l.replace(/ \|$/, "")]))
    .join("\n");
  write("syn-lines-2021-no-separators", "input.txt", text, {
    covers: "pipe style 4b: one cell per line with no separators; rows rebuilt from the label sequence and value counts",
    expectSource: "text",
  }, v21, { agency: "某镇人民政府", year: 2024, template: "2021" });
}

// 6. Glued digits: 表三 rows that only the column identities split; an ambiguous 表二 run.
{
  const v: Values = { ...v21 };
  v["active.rules.issued"] = 1;
  v["active.rules.repealed"] = 23;
  v["active.rules.in_force"] = 4;
  write("syn-glued-2021-ambiguous", "input.txt", renderText("2021", v, "glued", { agency: "某市住房和城乡建设局", year: 2023 }), {
    covers: "glued cells: multi-digit runs split by the template's cell count and the identities; 规章1234 has several splits and must be refused (null + split.ambiguous naming the cells), never guessed",
    expectSource: "text",
    flaggedNullOk: true,
  }, v, {
    agency: "某市住房和城乡建设局",
    year: 2023,
    template: "2021",
    flags: [{ code: "cells.glued" }, ...(["issued", "repealed", "in_force"] as const).map((m) => ({ code: "split.ambiguous", path: `active.rules.${m}` }))],
  });
}

// 7. Broken arithmetic, both templates.
{
  const v: Values = { ...v19 };
  v["applications.total.natural_person"] = (v["applications.total.natural_person"] ?? 0) + 3;
  v["reviewLitigation.review.total"] = (v["reviewLitigation.review.total"] ?? 0) + 1;
  write("syn-html-2019-broken-totals", "input.html", renderHtml("2019", v, { agency: "某市财政局", year: 2019 }), {
    covers: "printed numbers that break identities: 表三 自然人 column total (balance, results sum, row total) and a 表四 group total; numbers kept as printed, each identity reported",
    expectSource: "html",
  }, v, {
    agency: "某市财政局",
    year: 2019,
    template: "2019",
    flags: [
      { code: "identity.applications.balance", path: "applications.total.natural_person" },
      { code: "identity.applications.results_sum", path: "applications.total.natural_person" },
      { code: "identity.applications.row_total", path: "applications.total.natural_person" },
      { code: "identity.review_litigation.group_total", path: "reviewLitigation.review.total" },
    ],
  });
}
{
  const v: Values = { ...v21 };
  v["applications.carried_forward.total"] = (v["applications.carried_forward.total"] ?? 0) + 2;
  v["applications.carried_forward.natural_person"] = (v["applications.carried_forward.natural_person"] ?? 0) + 2;
  write("syn-pipe-2021-broken-balance", "input.txt", renderText("2021", v, "seed", { agency: "某县教育局", year: 2021 }), {
    covers: "seed-style pipe text whose 四、结转下年度 row breaks 一+二 = 七+四 in two columns",
    expectSource: "pipe",
  }, v, {
    agency: "某县教育局",
    year: 2021,
    template: "2021",
    flags: [
      { code: "identity.applications.balance", path: "applications.carried_forward.total" },
      { code: "identity.applications.balance", path: "applications.carried_forward.natural_person" },
    ],
  });
}

// 8. Missing rows and a missing table.
write("syn-html-2021-missing-rows", "input.html", renderHtml("2021", v21, { agency: "某区司法局", year: 2022, omitRows: ["denied_admin_query", "other_unpaid_fee", "penalty"] }), {
  covers: "rows left out of 表二 and 表三: each reported as row.missing, values null, identities that need them skipped",
  expectSource: "html",
  flaggedNullOk: true,
}, v21, {
  agency: "某区司法局",
  year: 2022,
  template: "2021",
  flags: [
    { code: "row.missing", path: "applications.denied_admin_query.total" },
    { code: "row.missing", path: "applications.other_unpaid_fee.total" },
    { code: "row.missing", path: "active.penalty.decisions" },
  ],
});

// 9. Labels: 湖北 glosses, an extra row, lost item labels (owenbabies), typos of the corpus.
write(
  "syn-html-2019-glosses",
  "input.html",
  renderHtml("2019", v19, {
    agency: "武汉市某区生态环境局",
    year: 2020,
    labelFor: (k, l) =>
      ({
        rules: "规章(设区的市、自治州人民政府应提供相关数据)",
        normative_docs: "规范性文件(行政机关制定发布的决定、公告、通告、意见、通知等)",
        other_services: "其他对外管理服务事项(指行政许可以外的政务服务事项以及公共服务事项)",
      })[k] ?? l,
  }),
  { covers: "湖北-style glosses inside label cells (they name other rows' words); the match must still find the right row", expectSource: "html" },
  v19,
  { agency: "武汉市某区生态环境局", year: 2020, template: "2019" },
);
write("syn-html-2021-item-labels-lost", "input.html", renderHtml("2021", v21, { agency: "某市统计局", year: 2022, dropItemLabels: true }), {
  covers: "表三 item labels lost (only （三）（四）（五）（六） group labels remain): rows taken in the official order and flagged row.label_inferred",
  expectSource: "html",
}, v21, {
  agency: "某市统计局",
  year: 2022,
  template: "2021",
  // Every item under a group label whose own label was dropped.
  flags: ["denied_state_secret", "denied_admin_query", "unavailable_not_held", "unavailable_unclear", "rejected_petition", "rejected_confirmation", "other_no_correction", "other_other"].map((row) => ({
    code: "row.label_inferred",
    path: `applications.${row}.total`,
  })),
});

// 10. Numbers as printed: full-width digits, thousands separators, decimals in 万元.
{
  const v: Values = { ...v21, "active.fees.amount": 0.35, "active.licensing.decisions": 1216 };
  write(
    "syn-html-2021-number-forms",
    "input.html",
    renderHtml("2021", v, {
      agency: "某市市场监督管理局",
      year: 2024,
      cellText: (p) => (p === "active.licensing.decisions" ? "１，２１６" : p === "active.fees.amount" ? "0.35" : p === "applications.granted.natural_person" ? String(v["applications.granted.natural_person"]).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))) : undefined),
    }),
    { covers: "full-width digits (１，２１６ → 1216), thousands separators, a decimal amount in 万元", expectSource: "html" },
    v,
    { agency: "某市市场监督管理局", year: 2024, template: "2021" },
  );
}

// 10b. Tables pasted into an HTML page as pipe text, one <p> per row (CMS editors do this).
{
  const text = renderText("2021", v21, "rows-unpadded", { agency: "某县人民政府", year: 2023 });
  const body = text
    .split("\n")
    .map((l) => `<p>${l.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</p>`)
    .join("\n");
  write("syn-html-2021-pipe-paragraphs", "input.html", `<!DOCTYPE html><html><head><meta charset="utf-8"><title>某县人民政府2023年政府信息公开工作年度报告</title></head><body><div id="zoom">${body}</div></body></html>`, {
    covers: "an HTML page whose tables are pipe text in <p> paragraphs: the paragraphs become pipe grids",
    expectSource: "pipe",
  }, v21, { agency: "某县人民政府", year: 2023, template: "2021" });
}

// 11. Pages that are not readable reports.
write(
  "syn-not-report-pre2019",
  "input.html",
  `<html><head><meta charset="utf-8"><title>某县人民政府2016年政府信息公开工作年度报告</title></head><body><h1>某县人民政府2016年政府信息公开工作年度报告</h1>
<p>一、概述</p><p>本年度本县继续推进政府信息公开工作。</p><p>二、主动公开政府信息情况</p><p>全年主动公开政府信息1200条。</p>
<p>三、依申请公开政府信息情况</p><p>全年受理申请15件，均已按时答复。</p><p>四、政府信息公开的收费及减免情况</p><p>未收取费用。</p>
<p>五、因政府信息公开申请行政复议、提起行政诉讼的情况</p><p>无。</p><table><tr><td>指标名称</td><td>计量单位</td><td>本年度</td></tr><tr><td>主动公开信息数</td><td>条</td><td>1200</td></tr><tr><td>申请总数</td><td>件</td><td>15</td></tr></table></body></html>`,
  { covers: "a pre-2019 narrative report with an old 指标统计表: not force-fitted", notReport: "pre-2019 report" },
);
write(
  "syn-not-report-images",
  "input.html",
  `<html><head><meta charset="utf-8"><title>某局2023年政府信息公开工作年度报告</title></head><body><h1>某局2023年政府信息公开工作年度报告</h1><p>本报告所列数据的统计期限为2023年1月1日至2023年12月31日。</p>
<p>二、主动公开政府信息情况</p><p><img src="/u/2024/table2.png"></p><p>三、收到和处理政府信息公开申请情况</p><p><img src="/u/2024/table3.png"></p><p>四、政府信息公开行政复议、行政诉讼情况</p><p><img src="/u/2024/table4.png"></p></body></html>`,
  { covers: "tables pasted as images: no table text to read", notReport: "tables are images" },
);
write(
  "syn-not-report-attachment",
  "input.html",
  `<html><head><meta charset="utf-8"><title>某区2024年政府信息公开工作年度报告</title></head><body><h1>某区2024年政府信息公开工作年度报告</h1><p>详见附件。</p><p><a href="/xxgk/nb/P020250120.pdf">某区2024年政府信息公开工作年度报告.pdf</a></p></body></html>`,
  { covers: "the report only as a PDF attachment: the message names the attachment's URL", notReport: "attachment \\(PDF: /xxgk/nb/P020250120\\.pdf\\)" },
);
write(
  "syn-not-report-spa",
  "input.html",
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>信息公开</title><script src="/js/app.js"></script></head><body><div id="app"></div><script>new CMS({el:'#app'})</script></body></html>`,
  { covers: "a JavaScript shell with no report text", notReport: "almost no text" },
);
console.log("synthetic fixtures written");

// The benchmark page: a realistic ~60 KB report (portal chrome, Word-exported table markup,
// narrative paragraphs), the size of a typical published page.
{
  const narrative: string[] = [];
  for (let i = 0; narrative.join("").length < 5000; i++) {
    narrative.push(`（${i + 1}）本机关围绕重点领域持续做好信息公开，第${i + 1}项工作全年发布信息${100 + i * 7}条，办理时限平均缩短${i % 5}个工作日，群众满意度保持在较高水平。`);
  }
  let html = renderHtml("2021", v21, { agency: "某市自然资源和规划局", year: 2024, word: true, chrome: true, narrative });
  const menu = Array.from({ length: 40 }, (_, i) => `<li class="menu-item"><a href="/col/col${1000 + i}/index.html" title="栏目${i}">栏目名称${i}</a></li>`).join("\n");
  const scripts = `<script type="text/javascript">var countPage = 5; function createPageHTML(a,b,c,d){ /* pager */ }</script>`;
  html = html.replace("<body>", `<body><div class="top"><ul class="menu">${menu}</ul></div>${scripts}`);
  const link = (i: number) => `<li><a href="/zwgk/link${i}.html">相关链接${i}</a></li>`;
  for (let i = 0; Buffer.byteLength(html) < 60 * 1024; i++) html = html.replace("</body>", `<ul class="links">${link(i)}</ul></body>`);
  mkdirSync(join(ROOT, "..", "bench"), { recursive: true });
  writeFileSync(join(ROOT, "..", "bench", "report-60k.html"), html);
}
