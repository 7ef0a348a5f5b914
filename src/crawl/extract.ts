import * as cheerio from "cheerio";
import type { PageKind } from "./frontier.js";
import { normalizeUrl } from "./url.js";

/**
 * Discovery: what to follow from one fetched page. Pure (text in, links out), so every portal
 * dialect is tested on recorded pages without a server. The dialects (FORMAT.md part C §11.2):
 *
 * - home pages: the 政府信息公开 platform link, then the annual-report column;
 * - ordinary list pages: report links by title, 下一页 / page-number links, per-year sub-columns;
 * - TRS: `createPageHTML(countPage, current, "index", "html")` → index.html, index_1.html … (0-based);
 * - Hanweb: records in `<recordset><record><![CDATA[…]]>`, more via the jpage dataproxy.jsp (XML);
 * - Guangdong gkmlpt: `window._CONFIG = {SID, TREE}` and the JSON API `/gkmlpt/api/all/{cat}?page=N&sid=…`.
 *
 * It never invents pages a list does not declare.
 */

export interface FoundLink {
  url: string;
  kind: PageKind;
  depth: number;
  title: string | null;
}

export type AttachmentType = "pdf" | "doc" | "docx" | "xls" | "xlsx" | "wps" | "rtf" | "et" | "ofd" | "zip";

export interface FoundAttachment {
  url: string;
  type: AttachmentType;
  title: string | null;
}

/** What a list says about its own size, and how much of it is reachable. */
export interface Declared {
  via: "createPageHTML" | "jpage" | "gkmlpt" | "recordCount";
  /** Records or pages the list declares. */
  declared: number;
  unit: "pages" | "records";
  /** How many of them this crawler can reach (queued pages or links present). */
  reachable: number;
}

export interface Extracted {
  links: FoundLink[];
  attachments: FoundAttachment[];
  declared: Declared[];
  /** Which dialects were recognised (for logs and tests). */
  dialects: string[];
}

export interface ExtractInput {
  /** The URL after redirects (relative links resolve against it, or <base href>). */
  url: string;
  kind: PageKind;
  depth: number;
  text: string;
  contentType?: string | null;
  /** Bounded discovery depth from a home page. */
  maxDepth: number;
}

// Titles of reports: "…2023年(度)政府信息公开工作年度报告", "…政府信息公开年报".
const REPORT_TITLE = /信息公开(工作)?(年度)?报告|信息公开年报|政务公开工作年度报告/;
// Pages about a report rather than the report.
const NOT_REPORT_TITLE = /解读|图解|一图|读懂|通知|格式|模板|样本|指南|目录|征求意见|发布会|动态/;
const ANNUAL_COLUMN_TEXT = /政府信息公开(工作)?年报|信息公开年报|年度报告|^\s*年报\s*$|公开年报/;
const ANNUAL_COLUMN_URL = /\/(zfxxgknb|xxgknb|gknb|ndbg|zfxxgkndbg|bmnb)[^/]*\/?/i;
const PLATFORM_TEXT = /政府信息公开|信息公开|政务公开/;
// The platform itself (…/zfxxgk/, …/xxgk_1/index.html), not every page below it.
const PLATFORM_URL = /\/(zfxxgk|xxgk|zwgk|gongkai|zfxxgkpt|gkmlpt)(_\w+)?\/?(index\.s?html?)?$/i;
// Sub-columns of the platform that never hold annual reports.
const NOT_PLATFORM = /指南|制度|依申请|申请表|规章|文件|政策|zfxxgkzn|zfxxgkzd|fdzdgknr|yzzsqgk/i;
// 首页 is left out: in a nav bar it means the site's home page, and a list's first page is known anyway.
const PAGER_TEXT = /^(下一页|下页|后一页|尾页|末页|最后一页|上一页|上页|>|>>|»|›|\d{1,3})$/;
const YEAR_TEXT = /^\s*((19|20)\d{2})\s*(年度?)?\s*(年报|年度报告|政府信息公开年报)?\s*$/;
const YEAR_URL = /\/(nb_|gknb)?(19|20)\d{2}(n|nb)?\/?$/i;
const ATTACHMENT_EXT = /\.(pdf|docx?|xlsx?|wps|rtf|et|ofd|zip)$/i;

// A report names its year; a column called "政府信息公开年度报告" does not.
const HAS_YEAR = /(19|20)\d{2}|[二][〇零○][一二三四五六七八九〇零○]{2}/;

/** Is this link title a report title? ("…2023年(度)政府信息公开工作年度报告") */
export function isReportTitle(title: string): boolean {
  const t = title.replace(/\s+/g, "");
  return REPORT_TITLE.test(t) && HAS_YEAR.test(t) && !NOT_REPORT_TITLE.test(t);
}

export function attachmentType(url: string, title?: string | null): AttachmentType | null {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    /* relative */
  }
  const m = ATTACHMENT_EXT.exec(path) ?? (title ? ATTACHMENT_EXT.exec(title.trim()) : null);
  return m ? (m[1]!.toLowerCase() as AttachmentType) : null;
}

interface Anchor {
  url: string;
  text: string;
}

function anchorsOf($: cheerio.CheerioAPI, base: string): Anchor[] {
  const out: Anchor[] = [];
  $("a[href]").each((_, el) => {
    const a = $(el);
    const href = a.attr("href") ?? "";
    if (/^(javascript:|mailto:|tel:|#)/i.test(href.trim())) return;
    const url = normalizeUrl(href, base);
    if (!url) return;
    const text = a.text().replace(/\s+/g, " ").trim();
    const title = (a.attr("title") ?? "").trim();
    // Lists truncate long titles ("…"); the title attribute keeps them whole.
    out.push({ url, text: title && (title.length > text.length || /(…|\.\.\.|\.\.)$/.test(text)) ? title : text });
  });
  return out;
}

function baseOf($: cheerio.CheerioAPI, url: string): string {
  const b = $("base[href]").attr("href");
  return (b && normalizeUrl(b, url)) || url;
}

function dirOf(url: string): string {
  const u = new URL(url);
  u.search = "";
  u.pathname = u.pathname.replace(/[^/]*$/, "");
  return u.toString();
}

/** Extract what to follow from one page. */
export function extractPage(input: ExtractInput): Extracted {
  const out: Extracted = { links: [], attachments: [], declared: [], dialects: [] };
  const seen = new Set<string>();
  const push = (l: FoundLink) => {
    if (seen.has(l.url)) return;
    seen.add(l.url);
    out.links.push(l);
  };
  const text = input.text;
  const trimmed = text.trimStart();

  if (input.kind === "api" && (trimmed.startsWith("{") || /json/i.test(input.contentType ?? ""))) {
    extractGkmlptApi(input, out, push);
    return out;
  }
  if (input.kind === "attachment") return out;

  // Most report pages link no file: skip building a DOM for them (the crawl's hottest path).
  if (input.kind === "report" && !/\.(pdf|docx?|xlsx?|wps|rtf|et|ofd|zip)\b/i.test(text)) return out;

  const $ = cheerio.load(text);
  const base = baseOf($, input.url);

  if (input.kind === "report") {
    for (const a of anchorsOf($, base)) {
      const type = attachmentType(a.url, a.text);
      if (type && !out.attachments.some((x) => x.url === a.url)) out.attachments.push({ url: a.url, type, title: a.text || null });
    }
    return out;
  }

  // Hanweb records (in the list page, or the dataproxy XML answer) hide their links in CDATA.
  const hanwebLinks = hanwebRecordAnchors(text, base);
  const anchors = [...anchorsOf($, base), ...hanwebLinks];
  if (hanwebLinks.length || /<recordset>/i.test(text)) out.dialects.push("hanweb-recordset");

  let reportLinks = 0;
  for (const a of anchors) {
    if (!a.text) continue;
    const att = attachmentType(a.url, null);
    if (att) {
      // A report published only as a file linked straight from the list.
      if (isReportTitle(a.text)) out.attachments.push({ url: a.url, type: att, title: a.text });
      continue;
    }
    if (isReportTitle(a.text)) {
      push({ url: a.url, kind: "report", depth: input.depth + 1, title: a.text });
      reportLinks++;
    }
  }
  if (input.kind === "api") return out; // a dataproxy answer: records only; the list page queued every group

  const trs = extractTrsPager(text, input.url);
  const jpage = extractHanwebPager(text, input.url, hanwebLinks.length);
  const gk = extractGkmlptConfig(text, input.url);
  const pagerAnchors = anchors.filter((a) => PAGER_TEXT.test(a.text) && sameColumn(a.url, input.url));
  const listLike = input.kind === "list" || reportLinks > 0 || trs !== null || jpage !== null;

  if (gk) {
    out.dialects.push("gkmlpt");
    for (const l of gk) push({ ...l, depth: input.depth + 1 });
  }
  if (trs) {
    out.dialects.push("trs-createPageHTML");
    for (const u of trs.pages) push({ url: u, kind: "list", depth: input.depth, title: null });
    out.declared.push({ via: "createPageHTML", declared: trs.count, unit: "pages", reachable: trs.pages.length });
  }
  if (jpage) {
    out.dialects.push("hanweb-jpage");
    for (const u of jpage.groups) push({ url: u, kind: "api", depth: input.depth, title: null });
    out.declared.push({ via: "jpage", declared: jpage.total, unit: "records", reachable: Math.min(jpage.total, jpage.shown + jpage.groups.length * jpage.groupSize) });
  }
  if (listLike) {
    for (const a of pagerAnchors) push({ url: a.url, kind: "list", depth: input.depth, title: null });
    // Per-year sub-columns (…/zfxxgknb/2022/, nb_2022n/, "2022年"), only below this column.
    for (const a of anchors) {
      if (!isBelow(a.url, input.url)) continue;
      if (YEAR_TEXT.test(a.text) || (YEAR_URL.test(new URL(a.url).pathname.replace(/index\.s?html?$/i, "")) && !isReportTitle(a.text))) {
        if (input.depth + 1 <= input.maxDepth + 2) push({ url: a.url, kind: "list", depth: input.depth + 1, title: a.text || null });
      }
    }
    // A list that declares more records than its static HTML shows (e.g. a search-API pager).
    const rc = /recordCount\s*:\s*['"]?(\d+)/.exec(text);
    if (rc && !trs && !jpage) out.declared.push({ via: "recordCount", declared: Number(rc[1]), unit: "records", reachable: reportLinks });
  }

  if (input.kind === "home" && input.depth < input.maxDepth) {
    for (const a of anchors) {
      if (!a.text && !a.url) continue;
      const path = new URL(a.url).pathname;
      if (isReportTitle(a.text)) continue;
      if (ANNUAL_COLUMN_TEXT.test(a.text) || ANNUAL_COLUMN_URL.test(path)) {
        push({ url: a.url, kind: "list", depth: input.depth + 1, title: a.text || null });
      } else if ((PLATFORM_TEXT.test(a.text) || PLATFORM_URL.test(path)) && !NOT_PLATFORM.test(a.text) && !NOT_PLATFORM.test(path)) {
        push({ url: a.url, kind: "home", depth: input.depth + 1, title: a.text || null });
      }
    }
  }
  return out;
}

/** Same column: same directory (TRS index_N, ?page=N, N.html) as the current list. */
function sameColumn(url: string, current: string): boolean {
  return dirOf(url) === dirOf(current);
}

/** In a sub-directory of the current list's directory (a per-year sub-column). */
function isBelow(url: string, current: string): boolean {
  const d = dirOf(current);
  const u = url.split(/[?#]/)[0]!;
  return u.startsWith(d) && u.slice(d.length).includes("/");
}

// TRS: var countPage = 5; createPageHTML(countPage, 0, "index", "html") or createPageHTML(5, 0, "index", "shtml").
function extractTrsPager(text: string, url: string): { count: number; pages: string[] } | null {
  const m = /createPageHTML\s*\(\s*(?:['"]?(\d+)['"]?|([A-Za-z_$][\w$]*))\s*,\s*[^,]+,\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]/.exec(text);
  if (!m) return null;
  let count: number | null = m[1] ? Number(m[1]) : null;
  if (count === null && m[2]) {
    const v = new RegExp(`(?:var|let|const)\\s+${m[2]}\\s*=\\s*['"]?(\\d+)`).exec(text);
    count = v ? Number(v[1]) : null;
  }
  if (count === null || !Number.isFinite(count) || count < 1) return null;
  count = Math.min(count, 10_000);
  const prefix = m[3]!;
  const ext = m[4]!;
  const dir = dirOf(url);
  const pages: string[] = [];
  for (let i = 0; i < count; i++) pages.push(new URL(i === 0 ? `${prefix}.${ext}` : `${prefix}_${i}.${ext}`, dir).toString());
  return { count, pages };
}

function hanwebRecordAnchors(text: string, base: string): Anchor[] {
  if (!/<record>/i.test(text)) return [];
  const out: Anchor[] = [];
  const re = /<record>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/record>/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const $ = cheerio.load(m[1]!);
    out.push(...anchorsOf($, base));
  }
  return out;
}

// Hanweb jpage: totalRecord/perPage in the script (or <totalrecord> in the XML), the proxy URL and
// the column's query parameters (from <nextgroup> or the script). Each later group of records is
// fetched with GET dataproxy.jsp?startrecord=S&endrecord=E&perpage=P&… (jpage's servlet reads the same
// parameters from the query string as from its usual POST form).
function extractHanwebPager(text: string, url: string, shown: number): { total: number; shown: number; groupSize: number; groups: string[] } | null {
  const total = num(/totalRecord\s*[:=]\s*['"]?(\d+)/i.exec(text)) ?? num(/<totalrecord>\s*(\d+)\s*<\/totalrecord>/i.exec(text));
  if (total === null || !/jpage|dataproxy|<recordset>/i.test(text)) return null;
  const perPage = num(/perPage\s*[:=]\s*['"]?(\d+)/i.exec(text)) ?? 15;
  const groupSize = shown > 0 ? shown : perPage * 3;
  const next = /<nextgroup>\s*<!\[CDATA\[\s*<a[^>]*href=["']([^"']+)["']/i.exec(text);
  const proxy = /proxyUrl\s*[:=]\s*['"]([^'"]+)['"]/i.exec(text)?.[1] ?? (next ? next[1]!.split("?")[0]! : "/module/web/jpage/dataproxy.jsp");
  const params = new URLSearchParams(next ? (next[1]!.split("?")[1] ?? "").replace(/&amp;/g, "&") : "");
  for (const key of ["columnid", "unitid", "webid", "appid", "webname", "path", "permissiontype", "col", "sourceContentType"]) {
    if (params.has(key)) continue;
    const v = new RegExp(`\\b${key}\\s*[:=]\\s*['"]?([^'"&,}\\s]+)`, "i").exec(text);
    if (v) params.set(key, v[1]!);
  }
  if (!params.has("columnid")) {
    const col = /\/col\/col(\d+)\//.exec(url);
    if (col) params.set("columnid", col[1]!);
  }
  params.delete("page");
  const groups: string[] = [];
  for (let start = groupSize + 1; start <= total && groups.length < 1000; start += groupSize) {
    const q = new URLSearchParams(params);
    q.set("startrecord", String(start));
    q.set("endrecord", String(Math.min(total, start + groupSize - 1)));
    q.set("perpage", String(perPage));
    groups.push(new URL(`${proxy}?${q.toString()}`, url).toString());
  }
  return { total, shown, groupSize, groups };
}

function num(m: RegExpExecArray | null): number | null {
  return m ? Number(m[1]) : null;
}

// Guangdong gkmlpt: window._CONFIG = { SID: '…', TREE: [{id: 123, name: '政府信息公开年报', …}] }.
function extractGkmlptConfig(text: string, url: string): Omit<FoundLink, "depth">[] | null {
  if (!/window\._CONFIG\s*=/.test(text) || !/gkmlpt/i.test(text + url)) return null;
  const sid = /\bSID\s*:\s*['"]([^'"]+)['"]/.exec(text)?.[1];
  if (!sid) return null;
  const links: Omit<FoundLink, "depth">[] = [];
  const node = /\{[^{}]*?\bid['"]?\s*:\s*['"]?(\d+)['"]?[^{}]*?\bname['"]?\s*:\s*['"]([^'"]*)['"]/g;
  let m: RegExpExecArray | null;
  while ((m = node.exec(text))) {
    if (/年报|年度报告/.test(m[2]!)) {
      links.push({ url: new URL(`/gkmlpt/api/all/${m[1]}?page=1&sid=${encodeURIComponent(sid)}`, url).toString(), kind: "api", title: m[2]! });
    }
  }
  return links;
}

function extractGkmlptApi(input: ExtractInput, out: Extracted, push: (l: FoundLink) => void): void {
  let doc: unknown;
  try {
    doc = JSON.parse(input.text);
  } catch {
    return;
  }
  const o = doc as { articles?: { title?: string; url?: string }[]; classify?: { post_count?: number }; total?: number };
  const articles = Array.isArray(o.articles) ? o.articles : [];
  out.dialects.push("gkmlpt-api");
  for (const a of articles) {
    if (!a.url || !a.title) continue;
    const url = normalizeUrl(a.url, input.url);
    if (!url) continue;
    const att = attachmentType(url, null);
    if (att) out.attachments.push({ url, type: att, title: a.title });
    else if (isReportTitle(a.title)) push({ url, kind: "report", depth: input.depth + 1, title: a.title });
  }
  const u = new URL(input.url);
  const page = Number(u.searchParams.get("page") ?? "1");
  const count = o.classify?.post_count ?? o.total;
  if (page === 1 && typeof count === "number" && articles.length > 0) {
    const pages = Math.ceil(count / articles.length);
    for (let p = 2; p <= Math.min(pages, 1000); p++) {
      u.searchParams.set("page", String(p));
      push({ url: u.toString(), kind: "api", depth: input.depth, title: null });
    }
    out.declared.push({ via: "gkmlpt", declared: count, unit: "records", reachable: count });
  }
}
