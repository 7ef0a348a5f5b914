import * as cheerio from "cheerio";
import type { PageKind } from "./frontier.js";
import { embeddedHtml, expectedOnPage, readAnswer, readList, unknownDynamicPaging, type AnswerReading, type DeclaredCount } from "./dialects/engine.js";
import { DIALECTS, type ListDialect, type PageRequest } from "./dialects/index.js";
import { normalizeUrl } from "./url.js";

/**
 * Discovery: what to follow from one fetched page. Pure (text in, links out), so every portal
 * dialect is tested on recorded pages without a server.
 *
 * - home pages: the 政府信息公开 platform link, then the annual-report column;
 * - list pages: report links by title, per-year sub-columns, and the list's other pages as its
 *   dialect declares them (./dialects/: TRS createPageHTML and 动静结合, Hanweb jpage, gkmlpt,
 *   新点 WebBuilder, 下一页 links) — read by one engine, never by dialect-specific code here;
 * - API answers: the items of the answer, read by the dialect that made the request.
 *
 * It never invents pages a list does not declare, and says when a list declares more than it can
 * reach or pages by a script no dialect knows.
 */

export interface FoundLink {
  url: string;
  kind: PageKind;
  depth: number;
  title: string | null;
  /** A request other than a plain GET (or one a dialect made): kept by the frontier to repeat it. */
  request?: PageRequest;
  /** The date a list or an API answer gives for the item (YYYY-MM-DD). */
  date?: string | null;
}

export type AttachmentType = "pdf" | "doc" | "docx" | "xls" | "xlsx" | "wps" | "rtf" | "et" | "ofd" | "zip";

export interface FoundAttachment {
  url: string;
  type: AttachmentType;
  title: string | null;
}

/** What a list says about its own size, and how much of it is reachable. */
export type Declared = DeclaredCount;

/** Something about a list the summary must show: `list.unknown_dynamic_paging` names the script. */
export interface ListNotice {
  code: "list.unknown_dynamic_paging";
  script: string;
}

export interface Extracted {
  links: FoundLink[];
  attachments: FoundAttachment[];
  declared: Declared[];
  /** Which dialects were recognised (for logs and tests). */
  dialects: string[];
  notices: ListNotice[];
  /** An API answer that could not be read (not JSON, no item list). */
  problem: string | null;
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
  /** The request that fetched an API answer (its dialect reads the answer). */
  request?: PageRequest | null;
  /** Default: every bundled dialect (./dialects/index.ts). */
  dialects?: readonly ListDialect[];
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
  const dialects = input.dialects ?? DIALECTS;
  const out: Extracted = { links: [], attachments: [], declared: [], dialects: [], notices: [], problem: null };
  const seen = new Set<string>();
  const push = (l: FoundLink) => {
    const key = l.request?.body ? `${l.url} ${l.request.method} ${l.request.body}` : l.url;
    if (seen.has(key)) return;
    seen.add(key);
    out.links.push(l);
  };
  const text = input.text;
  const trimmed = text.trimStart();

  if (input.kind === "api" && (trimmed.startsWith("{") || trimmed.startsWith("[") || /json/i.test(input.contentType ?? "") || input.request)) {
    const answer = readApiAnswer(input, dialects);
    if (answer) {
      out.dialects.push(answer.dialect);
      out.problem = answer.reading.problem;
      for (const it of answer.reading.items) {
        const url = normalizeUrl(it.url);
        if (!url) continue;
        const att = attachmentType(url, null);
        if (att) out.attachments.push({ url, type: att, title: it.title });
        else if (isReportTitle(it.title)) push({ url, kind: "report", depth: input.depth + 1, title: it.title, date: it.date });
      }
      for (const r of answer.more) push({ ...r, depth: input.depth });
      out.declared.push(...answer.reading.declared);
      return out;
    }
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) return out;
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

  // Records some platforms hide from a DOM (Hanweb's CDATA), in the list page or an API answer.
  const embedded = embeddedHtml(text, dialects);
  const hidden: Anchor[] = [];
  for (const e of embedded) for (const html of e.html) hidden.push(...anchorsOf(cheerio.load(html), base));
  const anchors = [...anchorsOf($, base), ...hidden];

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
  if (input.kind === "api") {
    // An answer in HTML or XML (Hanweb's dataproxy): records only; the list page queued every group.
    for (const e of embedded) out.dialects.push(e.dialect);
    const want = input.request ? expectedOnPage(input.request, dialects) : null;
    const got = embedded.reduce((n, e) => n + e.html.length, 0) || anchors.length;
    if (want && got < want.expected) out.declared.push({ via: want.via, declared: want.expected, unit: "records", reachable: got, page: input.request!.page });
    return out;
  }

  const reading = readList({ url: input.url, text, shown: reportLinks }, dialects);
  out.dialects.push(...reading.dialects);
  const listLike = input.kind === "list" || reportLinks > 0 || reading.paged;
  if (listLike) {
    // From a home page (gkmlpt's category tree) a request is a step into the portal, as a column link is.
    for (const r of reading.requests) push({ ...r, depth: input.depth + (input.kind === "home" ? 1 : 0) });
    out.declared.push(...reading.declared);
    for (const a of anchors) if (reading.pagerText.some((re) => re.test(a.text)) && sameColumn(a.url, input.url)) push({ url: a.url, kind: "list", depth: input.depth, title: null });
    // Per-year sub-columns (…/zfxxgknb/2022/, nb_2022n/, "2022年"), only below this column.
    for (const a of anchors) {
      if (!isBelow(a.url, input.url)) continue;
      if (YEAR_TEXT.test(a.text) || (YEAR_URL.test(new URL(a.url).pathname.replace(/index\.s?html?$/i, "")) && !isReportTitle(a.text))) {
        if (input.depth + 1 <= input.maxDepth + 2) push({ url: a.url, kind: "list", depth: input.depth + 1, title: a.text || null });
      }
    }
    if (!reading.paged) {
      // A list that declares more records than its static HTML shows, with no dialect to page it.
      const rc = /recordCount\s*:\s*['"]?(\d+)/.exec(text);
      if (rc) out.declared.push({ via: "recordCount", declared: Number(rc[1]), unit: "records", reachable: reportLinks });
      const script = unknownDynamicPaging(text);
      if (script) out.notices.push({ code: "list.unknown_dynamic_paging", script });
    }
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

/**
 * An API answer, read by the dialect that made the request. An item queued before requests were
 * kept (an older database) carries none: the JSON dialects are tried in turn.
 */
function readApiAnswer(input: ExtractInput, dialects: readonly ListDialect[]): { dialect: string; reading: AnswerReading; more: Omit<FoundLink, "depth">[] } | null {
  if (input.request) {
    const reading = readAnswer(input.request, input.text, input.url, dialects);
    return reading ? { dialect: input.request.dialect, reading, more: reading.requests } : null;
  }
  for (const d of dialects) {
    if (d.paging?.via !== "requests" || d.paging.answer.format !== "json") continue;
    const page = Number(new URL(input.url).searchParams.get("page") ?? "1");
    const reading = readAnswer({ method: "GET", dialect: d.name, page: Number.isInteger(page) && page > 0 ? page : 1, vars: {} }, input.text, input.url, dialects);
    if (!reading || reading.problem) continue;
    // Without the request's values, the next pages are this GET with another `page`.
    const more = reading.requests.map((r) => {
      const u = new URL(input.url);
      u.searchParams.set("page", String(r.request.page));
      return { url: u.toString(), kind: r.kind, title: null };
    });
    return { dialect: d.name, reading, more };
  }
  return null;
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
