/**
 * Renders a synthetic annual report in the official layouts of FORMAT.md part C (HTML with the
 * real rowspans and colspans), and from it every text style scrapers produce. Used by the property
 * tests, the synthetic fixtures and the benchmark page.
 */
import { extractDocument } from "../../src/pipeline.js";
import { flattenDoc } from "../../src/parse/flatten.js";
import type { PipeStyle } from "../../src/parse/pipe-text.js";
import { TEMPLATES } from "../../src/templates/registry.js";
import type { Template } from "../../src/templates/template.js";

export type Values = Record<string, number | null>;

export interface RenderOptions {
  agency?: string;
  year?: number;
  publishedAt?: string;
  /** Text for a null cell. */
  blank?: string;
  /** Override the printed text of a cell (units, signs, full-width digits…). */
  cellText?: (path: string, value: number | null) => string | undefined;
  /** Word-exported markup: cells wrapped in <p><span>…<o:p></o:p></span></p>, labels split over spans. */
  word?: boolean;
  /** 本年新<br>制作数量 style headers. */
  brHeaders?: boolean;
  /** Split 表三 across two <table> elements after this many body rows. */
  splitApplicationsAfter?: number;
  /** Add portal chrome: navigation, the 公开 metadata table, footer. */
  chrome?: boolean;
  /** Extra narrative paragraphs (with numbers) before the tables. */
  narrative?: string[];
  /** Labels of 表三 item rows lost (owenbabies style): only group labels remain. */
  dropItemLabels?: boolean;
  /** Rows to leave out entirely. */
  omitRows?: string[];
  /** Replace a row label (typos, glosses). */
  labelFor?: (key: string, label: string) => string;
  /** Attachments to link. */
  attachments?: string[];
  /** Extra <head> content (e.g. a meta charset). */
  head?: string;
}

export function template(id: string): Template {
  const t = TEMPLATES.find((x) => x.id === id);
  if (!t) throw new Error(`no template ${id}`);
  return t;
}

/** Every value path of a template. */
export function allPaths(t: Template): string[] {
  return t.tables.flatMap((tb) => tb.rows.flatMap((r) => r.fields));
}

const ACTIVE_LAYOUT: Record<string, { caption: string; header: string[]; rows: string[] }[]> = {
  "2019": [
    { caption: "第二十条第（一）项", header: ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"], rows: ["rules", "normative_docs"] },
    { caption: "第二十条第（五）项", header: ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], rows: ["licensing", "other_services"] },
    { caption: "第二十条第（六）项", header: ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], rows: ["penalty", "coercion"] },
    { caption: "第二十条第（八）项", header: ["信息内容", "上一年项目数量", "本年增/减"], rows: ["fees"] },
    { caption: "第二十条第（九）项", header: ["信息内容", "采购项目数量", "采购总金额"], rows: ["procurement"] },
  ],
  "2021": [
    { caption: "第二十条第（一）项", header: ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], rows: ["rules", "normative_docs"] },
    { caption: "第二十条第（五）项", header: ["信息内容", "本年处理决定数量"], rows: ["licensing"] },
    { caption: "第二十条第（六）项", header: ["信息内容", "本年处理决定数量"], rows: ["penalty", "coercion"] },
    { caption: "第二十条第（八）项", header: ["信息内容", "本年收费金额（单位：万元）"], rows: ["fees"] },
  ],
};

const ITEM_LABELS: Record<string, [string, string | null]> = {
  new_received: ["一、本年新收政府信息公开申请数量", null],
  carried_over: ["二、上年结转政府信息公开申请数量", null],
  granted: ["（一）予以公开", null],
  partially_granted: ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", null],
  denied_state_secret: ["1.属于国家秘密", "（三）不予公开"],
  denied_law_prohibited: ["2.其他法律行政法规禁止公开", "（三）不予公开"],
  denied_three_safeties: ["3.危及“三安全一稳定”", "（三）不予公开"],
  denied_third_party: ["4.保护第三方合法权益", "（三）不予公开"],
  denied_internal_affairs: ["5.属于三类内部事务信息", "（三）不予公开"],
  denied_process_info: ["6.属于四类过程性信息", "（三）不予公开"],
  denied_enforcement_files: ["7.属于行政执法案卷", "（三）不予公开"],
  denied_admin_query: ["8.属于行政查询事项", "（三）不予公开"],
  unavailable_not_held: ["1.本机关不掌握相关政府信息", "（四）无法提供"],
  unavailable_needs_creation: ["2.没有现成信息需要另行制作", "（四）无法提供"],
  unavailable_unclear: ["3.补正后申请内容仍不明确", "（四）无法提供"],
  rejected_petition: ["1.信访举报投诉类申请", "（五）不予处理"],
  rejected_duplicate: ["2.重复申请", "（五）不予处理"],
  rejected_publication: ["3.要求提供公开出版物", "（五）不予处理"],
  rejected_excessive: ["4.无正当理由大量反复申请", "（五）不予处理"],
  rejected_confirmation: ["5.要求行政机关确认或重新出具已获取信息", "（五）不予处理"],
  other: ["（六）其他处理", null],
  other_no_correction: ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "（六）其他处理"],
  other_unpaid_fee: ["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "（六）其他处理"],
  other_other: ["3.其他", "（六）其他处理"],
  total: ["（七）总计", null],
  carried_forward: ["四、结转下年度继续办理", null],
};

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function renderHtml(tid: string, values: Values, o: RenderOptions = {}): string {
  const t = template(tid);
  const agency = o.agency ?? "某市某局";
  const year = o.year ?? (tid === "2019" ? 2020 : 2024);
  const title = `${agency}${year}年政府信息公开工作年度报告`;
  const blank = o.blank ?? "";
  const rowsByKey = new Map(t.tables.flatMap((tb) => tb.rows.map((r) => [r.key, r] as const)));
  const omit = new Set(o.omitRows ?? []);
  const cellText = (path: string) => {
    const v = values[path] ?? null;
    const custom = o.cellText?.(path, v);
    if (custom !== undefined) return custom;
    return v === null ? blank : String(v);
  };
  const td = (text: string, attrs = "") => {
    const inner = esc(text);
    if (!o.word) return `<td${attrs}>${inner}</td>`;
    // Word export: each cell is a paragraph of spans, labels split in two, an empty <o:p>.
    const half = Math.ceil(inner.length / 2);
    const body = inner.length > 3 ? `<span lang="EN-US">${inner.slice(0, half)}</span><span style="font-family:宋体">${inner.slice(half)}</span>` : `<span>${inner}</span>`;
    return `<td valign="top" style="border:solid windowtext 1.0pt"${attrs}><p class="MsoNormal" align="center">${body}<o:p></o:p></p></td>`;
  };
  const label = (key: string, l: string) => o.labelFor?.(key, l) ?? l;
  const header = (h: string) => (o.brHeaders && h.length > 4 ? h.replace(/^(本年新)(.+)$/, "$1<br/>$2") : esc(h));

  const parts: string[] = [];
  parts.push(`<!DOCTYPE html><html><head>${o.head ?? '<meta charset="utf-8">'}<title>${esc(title)}_政府信息公开年报_某市人民政府</title>`);
  parts.push(`<meta name="ArticleTitle" content="${esc(title)}"><meta name="PubDate" content="${o.publishedAt ?? `${year + 1}-01-20 09:00`}"><meta name="ContentSource" content="${esc(agency)}">`);
  parts.push(`</head><body>`);
  if (o.chrome) {
    parts.push(`<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zfxxgk/zfxxgknb/">政府信息公开年报</a></li></ul></div>`);
    parts.push(`<table class="xxgk_table"><tr><td>索 引 号</td><td>01441633X/${year + 1}-00012</td><td>分 类</td><td>政府信息公开年报</td></tr><tr><td>发布机构</td><td>${esc(agency)}</td><td>发布日期</td><td>${year + 1}-01-20</td></tr><tr><td>文 号</td><td></td><td>有 效 性</td><td>有效</td></tr></table>`);
  }
  parts.push(`<div class="TRS_Editor"><h1>${esc(title)}</h1>`);
  parts.push(`<p>本报告所列数据的统计期限自${year}年1月1日起至${year}年12月31日止。</p>`);
  for (const p of o.narrative ?? []) parts.push(`<p>${esc(p)}</p>`);
  parts.push(`<p>一、总体情况</p><p>本机关依法做好政府信息公开工作。</p><p>二、主动公开政府信息情况</p>`);

  // 表二
  const layout = ACTIVE_LAYOUT[tid]!;
  const width = tid === "2019" ? 5 : 4;
  parts.push(`<table border="1">`);
  for (const block of layout) {
    parts.push(`<tr>${td(block.caption, ` colspan="${width}"`)}</tr>`);
    const hs = block.header;
    if (tid === "2019") {
      // 2019 (Shanghai HTML): header and data rows use different colspans; map by order.
      const hcells = hs.length === 4 ? [td(hs[0]!), `<td>${header(hs[1]!)}</td>`, `<td colspan="2">${header(hs[2]!)}</td>`, `<td>${header(hs[3]!)}</td>`] : [td(hs[0]!), `<td colspan="2">${header(hs[1]!)}</td>`, `<td colspan="2">${header(hs[2]!)}</td>`];
      parts.push(`<tr>${hcells.join("")}</tr>`);
    } else {
      const span = hs.length === 2 ? ` colspan="3"` : "";
      parts.push(`<tr>${td(hs[0]!)}${hs.slice(1).map((h) => `<td${span}>${header(h)}</td>`).join("")}</tr>`);
    }
    for (const key of block.rows) {
      if (omit.has(key)) continue;
      const row = rowsByKey.get(key)!;
      const cells = row.fields.map(cellText);
      let tds: string;
      if (tid === "2019") {
        tds = cells.length === 3 ? (block.rows.includes("rules") ? `${td(cells[0]!)}${td(cells[1]!, ' colspan="2"')}${td(cells[2]!)}` : `${td(cells[0]!, ' colspan="2"')}${td(cells[1]!)}${td(cells[2]!)}`) : cells.map((c) => td(c, ' colspan="2"')).join("");
      } else {
        tds = cells.length === 1 ? td(cells[0]!, ' colspan="3"') : cells.map((c) => td(c)).join("");
      }
      parts.push(`<tr>${td(label(key, row.label.replace(/^（.）\d\./, "")))}${tds}</tr>`);
    }
  }
  parts.push(`</table>`);

  // 表三
  parts.push(`<p>三、收到和处理政府信息公开申请情况</p>`);
  const apps = t.tables.find((x) => x.id === "applications")!;
  const head = [
    `<tr>${td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", ' colspan="3" rowspan="3"')}${td("申请人情况", ' colspan="7"')}</tr>`,
    `<tr>${td("自然人", ' rowspan="2"')}${td("法人或其他组织", ' colspan="5"')}${td("总计", ' rowspan="2"')}</tr>`,
    `<tr>${["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"].map((h) => td(h)).join("")}</tr>`,
  ];
  parts.push(`<table border="1">${head.join("")}`);
  const resultKeys = apps.rows.map((r) => r.key).filter((k) => !["new_received", "carried_over", "carried_forward"].includes(k));
  const bodyRows = apps.rows.filter((r) => !omit.has(r.key));
  const groupSize = (g: string) => bodyRows.filter((r) => ITEM_LABELS[r.key]?.[1] === g).length;
  const seenGroup = new Set<string>();
  let resultStarted = false;
  bodyRows.forEach((row, i) => {
    if (o.splitApplicationsAfter !== undefined && i === o.splitApplicationsAfter) parts.push(`</table><p></p><table border="1">`);
    const [item, group] = ITEM_LABELS[row.key]!;
    const cells = row.fields.map((p) => td(cellText(p))).join("");
    let labels = "";
    const splitHere = o.splitApplicationsAfter !== undefined && i === o.splitApplicationsAfter;
    if (resultKeys.includes(row.key) && (!resultStarted || splitHere) && row.key !== "total") {
      const remaining = bodyRows.slice(i).filter((r) => resultKeys.includes(r.key)).length;
      labels += td("三、本年度办理结果", ` rowspan="${splitHere ? remaining : bodyRows.filter((r) => resultKeys.includes(r.key)).length}"`);
      resultStarted = true;
    }
    if (group) {
      if (!seenGroup.has(group) || splitHere) {
        const remainingInGroup = bodyRows.slice(i).filter((r) => ITEM_LABELS[r.key]?.[1] === group).length;
        labels += td(group, ` rowspan="${splitHere ? remainingInGroup : groupSize(group)}"`);
        seenGroup.add(group);
      }
      labels += o.dropItemLabels ? td("") : td(label(row.key, item));
    } else if (row.key === "new_received" || row.key === "carried_over" || row.key === "carried_forward") {
      labels += td(label(row.key, item), ' colspan="3"');
    } else {
      labels += td(label(row.key, item), ' colspan="2"');
    }
    parts.push(`<tr>${labels}${cells}</tr>`);
  });
  parts.push(`</table>`);

  // 表四
  parts.push(`<p>四、政府信息公开行政复议、行政诉讼情况</p>`);
  const outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
  const rl = t.tables.find((x) => x.id === "reviewLitigation")!.rows[0]!;
  parts.push(`<table border="1">`);
  parts.push(`<tr>${td("行政复议", ' colspan="5"')}${td("行政诉讼", ' colspan="10"')}</tr>`);
  parts.push(`<tr>${outcomes.map((h) => td(h, ' rowspan="2"')).join("")}${td("未经复议直接起诉", ' colspan="5"')}${td("复议后起诉", ' colspan="5"')}</tr>`);
  parts.push(`<tr>${[...outcomes, ...outcomes].map((h) => td(h)).join("")}</tr>`);
  parts.push(`<tr>${rl.fields.map((p) => td(cellText(p))).join("")}</tr>`);
  parts.push(`</table>`);
  parts.push(`<p>五、存在的主要问题及改进情况</p><p>下一年度将继续改进。</p><p>六、其他需要报告的事项</p><p>无。</p>`);
  for (const a of o.attachments ?? []) parts.push(`<p><a href="${a}">附件：${esc(title)}</a></p>`);
  parts.push(`</div>`);
  if (o.chrome) parts.push(`<div class="footer"><p>主办：某市人民政府办公室 网站标识码：1234567890 备案号：京ICP备00000000号</p></div>`);
  parts.push(`</body></html>`);
  return parts.join("\n");
}

export type TextStyle = PipeStyle | "spaces" | "glued";

/** Render the report as text the way a scraper would have flattened it. */
export function renderText(tid: string, values: Values, style: TextStyle, o: RenderOptions = {}): string {
  const doc = extractDocument(renderHtml(tid, values, o));
  if (style !== "spaces" && style !== "glued") return flattenDoc(doc, style);
  // Archive dumps: the whole article on one line, cells joined by a space or by nothing.
  const sep = style === "spaces" ? " " : "";
  const pieces: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind === "text") pieces.push(b.lines.map((l) => l.text).join(" "));
    else pieces.push(b.grid.rows.map((r) => r.map((c) => c.text).filter((x) => x !== "").join(sep)).join(sep));
  }
  return `标题: ${doc.titles[0] ?? ""}\n${pieces.join(sep === "" ? "" : " ")}`;
}

/**
 * Values that satisfy every identity of the template: result rows sum to 总计, columns balance,
 * each 表四 group's 总计 is the sum of its outcomes. `pick(max)` draws an integer in [0, max].
 */
export function consistentValues(tid: string, pick: (max: number) => number, opts: { maxCell?: number } = {}): Values {
  const t = template(tid);
  const max = opts.maxCell ?? 30;
  const v: Values = {};
  const apps = t.tables.find((x) => x.id === "applications")!;
  const cols = ["natural_person", "commercial", "research", "social_org", "legal_service", "other_org"];
  const results = apps.rows.map((r) => r.key).filter((k) => !["new_received", "carried_over", "total", "carried_forward"].includes(k));
  const colTotals: Record<string, number> = {};
  for (const r of results) {
    let sum = 0;
    for (const c of cols) {
      const x = pick(3) === 0 ? pick(max) : 0;
      v[`applications.${r}.${c}`] = x;
      sum += x;
      colTotals[c] = (colTotals[c] ?? 0) + x;
    }
    v[`applications.${r}.total`] = sum;
  }
  let grand = 0;
  let fwdTotal = 0;
  let overTotal = 0;
  for (const c of cols) {
    const total = colTotals[c]!;
    grand += total;
    v[`applications.total.${c}`] = total;
    const forward = pick(2) === 0 ? pick(5) : 0;
    const over = pick(2) === 0 ? Math.min(pick(5), total + forward) : 0;
    v[`applications.carried_forward.${c}`] = forward;
    v[`applications.carried_over.${c}`] = over;
    v[`applications.new_received.${c}`] = total + forward - over;
    fwdTotal += forward;
    overTotal += over;
  }
  v["applications.total.total"] = grand;
  v["applications.carried_forward.total"] = fwdTotal;
  v["applications.carried_over.total"] = overTotal;
  v["applications.new_received.total"] = grand + fwdTotal - overTotal;
  for (const g of ["review", "litigation_direct", "litigation_after_review"]) {
    let s = 0;
    for (const o of ["upheld", "corrected", "other", "pending"]) {
      const x = pick(2) === 0 ? pick(4) : 0;
      v[`reviewLitigation.${g}.${o}`] = x;
      s += x;
    }
    v[`reviewLitigation.${g}.total`] = s;
  }
  for (const row of t.tables.find((x) => x.id === "active")!.rows) for (const f of row.fields) v[f] = pick(max * 10);
  return v;
}
