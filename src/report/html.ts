import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ReportData } from "./data.js";

/**
 * The self-contained page: Apache ECharts, the data and the page's own script are inlined, and a
 * Content-Security-Policy forbids every request (no connect, no remote script, style, font or
 * image), so the file opens the same offline, from a mail attachment or an archive.
 */

const require = createRequire(import.meta.url);

/** The page script ships next to this module's source (src/report/assets), also from dist/report. */
const CLIENT_JS_URL = new URL("../../src/report/assets/report.js", import.meta.url);

let cached: { echarts: string; client: string } | null = null;
function assets(): { echarts: string; client: string } {
  cached ??= {
    echarts: readFileSync(require.resolve("echarts/dist/echarts.min.js"), "utf8"),
    client: readFileSync(CLIENT_JS_URL, "utf8"),
  };
  return cached;
}

/** Text safe inside <script>: no "</script", no "<!--" can end or confuse the element. */
function scriptSafe(js: string): string {
  return js.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/** JSON safe inside <script type="application/json">: every "<" escaped. */
function jsonSafe(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);

const CSS = `
:root { --fg: #1f2329; --muted: #6b7280; --line: #e5e7eb; --accent: #2f5fad; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.6 -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; color: var(--fg); background: #fafafa; }
header, section, footer { max-width: 1200px; margin: 0 auto; padding: 12px 20px; }
header h1 { font-size: 22px; margin: 16px 0 4px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin-bottom: 16px; }
h2 { font-size: 17px; margin: 4px 0 8px; }
nav { max-width: 1200px; margin: 0 auto 12px; padding: 0 20px; }
nav a { margin-right: 14px; color: var(--accent); text-decoration: none; }
.note, .muted, footer { color: var(--muted); font-size: 13px; }
.chart { width: 100%; min-height: 160px; }
.table-wrap { overflow: auto; max-height: 640px; border: 1px solid var(--line); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { position: sticky; top: 0; background: #f3f4f6; cursor: pointer; user-select: none; white-space: nowrap; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.small-sample td { color: var(--muted); }
#compare-table td:first-child, #broken-table td:first-child { min-width: 12em; }
#broken-table td:nth-child(4), #broken-table td:nth-child(5) { min-width: 16em; }
.flag { color: #c8423b; }
label { margin-right: 12px; }
button { font: inherit; margin-top: 8px; padding: 2px 10px; cursor: pointer; }
select { font: inherit; padding: 2px 4px; max-width: 420px; }
a { color: var(--accent); }
`;

/** The whole HTML document for `data`. */
export function renderReportHtml(data: ReportData): string {
  const { echarts, client } = assets();
  const scope = [data.filters.agency && `机关含“${data.filters.agency}”`, data.filters.region && `地区含“${data.filters.region}”`].filter(Boolean).join("，");
  const title = `政府信息公开工作年度报告 数据概览${scope ? `（${scope}）` : ""}`;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="generator" content="nianbao">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p id="summary" class="note"></p>
</header>
<nav><a href="#coverage">覆盖情况</a><a href="#trends">历年趋势</a><a href="#compare">机关对比</a><a href="#reasons">不予公开等原因</a><a href="#broken">问题报告</a></nav>
<section id="coverage">
<h2>一、覆盖情况（机关 × 年度）</h2>
<p class="note">已入库：有报告且无错误；有问题：报告有算术或读取错误，或缺整张表；失败：找到了报告页面但抓取或解析失败；缺失：该年度没有该机关的报告。</p>
<p id="coverage-counts" class="note"></p>
<div id="chart-coverage" class="chart" data-chart="coverage"></div>
</section>
<section id="trends">
<h2>二、各机关历年申请与办理情况</h2>
<label>机关 <select id="trend-body"></select></label>
<p id="trend-note" class="note"></p>
<div id="chart-trends" class="chart" data-chart="trends"></div>
</section>
<section id="compare">
<h2>三、机关对比（同一年度）</h2>
<label>年度 <select id="compare-year"></select></label>
<p id="ranking-note" class="note"></p>
<div id="chart-ranking" class="chart" data-chart="ranking"></div>
<p class="note">比例 = 该项 ÷ 三（七）总计；空白或分母为0时显示“—”，不当作0。点击表头排序；灰色行为样本不足（本年新收少于 ${data.minSample} 件），不参与排名。</p>
<div class="table-wrap"><table id="compare-table"></table></div>
<button type="button" id="compare-table-more" hidden></button>
</section>
<section id="reasons">
<h2>四、不予公开、无法提供、不予处理及其他处理的原因</h2>
<label>年度 <select id="reason-year"></select></label>
<p id="reason-note" class="note"></p>
<div id="chart-reasons" class="chart" data-chart="reasons"></div>
</section>
<section id="broken">
<h2>五、算术关系不成立或结转不一致的报告</h2>
<p id="broken-note" class="note"></p>
<div class="table-wrap"><table id="broken-table"></table></div>
<button type="button" id="broken-table-more" hidden></button>
</section>
<footer>由 nianbao 根据数据库生成；图表使用 Apache ECharts，全部脚本和数据都在本文件内，打开时不联网。</footer>
<script>${scriptSafe(echarts)}</script>
<script type="application/json" id="nb-data">${jsonSafe(data)}</script>
<script>${scriptSafe(client)}</script>
</body>
</html>
`;
}
