import type { ListDialect, PageRequest, PageView, RequestPaging, Vars } from "./types.js";

/**
 * Reads list dialects (./types.ts) the same way for all of them: recognise, read values, build the
 * requests for pages N, read an answer. Pure: text in, requests and counts out.
 */

/** At most this many pages are requested for one list; beyond it the list is reported short. */
export const MAX_PAGES_PER_LIST = 5000;

/** A request for another page of a list, as the dialect built it. */
export interface PagingLink {
  url: string;
  kind: "list" | "api";
  title: string | null;
  request: PageRequest;
}

/** What a list declares about its size and how much of it the crawler can reach. */
export interface DeclaredCount {
  /** The dialect that read the count. */
  via: string;
  declared: number;
  unit: "pages" | "records";
  reachable: number;
  /** For an API answer: the page of the list it is about. */
  page?: number;
}

export interface ListReading {
  /** Names of the dialects recognised in the page (logs and tests). */
  dialects: string[];
  /** Requests for the other pages of the list. */
  requests: PagingLink[];
  declared: DeclaredCount[];
  /** Link texts that are pager links (their URLs are pages of the same column). */
  pagerText: RegExp[];
  /** True when some dialect knows how this list pages (so script-driven paging is accounted for). */
  paged: boolean;
}

export interface AnswerItem {
  url: string;
  title: string;
  /** YYYY-MM-DD when the answer gives a date or a timestamp. */
  date: string | null;
}

export interface AnswerReading {
  items: AnswerItem[];
  requests: PagingLink[];
  declared: DeclaredCount[];
  /** Why the answer could not be read (not JSON, no item list). */
  problem: string | null;
}

function recognised(d: ListDialect, page: PageView): boolean {
  return typeof d.recognise === "function" ? d.recognise(page) : d.recognise.test(page.text);
}

/** The values a dialect reads from the page, one set per paged list in it; null when it does not apply. */
export function readValues(d: ListDialect, page: PageView): Vars[] | null {
  if (!recognised(d, page)) return null;
  const vars: Vars = {};
  for (const [name, rule] of Object.entries(d.values ?? {})) {
    const v = rule instanceof RegExp ? (rule.exec(page.text)?.[1] ?? null) : rule(page, vars);
    if (v !== null && v !== undefined) vars[name] = v;
    else if (d.defaults?.[name] !== undefined) vars[name] = d.defaults[name];
  }
  for (const [name, v] of Object.entries(d.defaults ?? {})) if (vars[name] === undefined) vars[name] = v;
  if ((d.required ?? []).some((k) => vars[k] === undefined || vars[k] === "")) return null;
  if (!d.columns) return [vars];
  return d.columns(page).map((c) => ({ ...vars, ...c }));
}

/** Read a list page with every dialect. `page.shown` counts the report links already found in it. */
export function readList(page: PageView, dialects: readonly ListDialect[]): ListReading {
  const out: ListReading = { dialects: [], requests: [], declared: [], pagerText: [], paged: false };
  for (const d of dialects) {
    const all = readValues(d, page);
    if (!all) continue;
    out.dialects.push(d.name);
    const paging = d.paging;
    if (!paging) continue;
    if (paging.via === "links") {
      out.pagerText.push(paging.text);
      continue;
    }
    out.paged = true;
    for (const vars of all) {
      const first = numberOf(paging.firstPage, vars) ?? 1;
      const size = numberOf(paging.pageSize, vars);
      const declared = paging.declared ? positive(vars[paging.declared.value]) : null;
      let last = first;
      if (declared !== null) last = paging.declared!.unit === "pages" ? declared : size ? Math.ceil(declared / size) : first;
      const upTo = Math.min(last, first + MAX_PAGES_PER_LIST - 1);
      let requested = 0;
      for (let n = first; n <= upTo; n++) {
        out.requests.push(buildRequest(d, paging, vars, n, page.url));
        requested++;
      }
      if (declared !== null) {
        const reachable =
          paging.declared!.unit === "pages" ? first - 1 + requested : Math.min(declared, (first > 1 ? page.shown : 0) + requested * (size ?? 0));
        out.declared.push({ via: d.name, declared, unit: paging.declared!.unit, reachable });
      }
    }
  }
  return out;
}

/** Links hidden where a DOM does not see them (Hanweb CDATA records): the HTML of each. */
export function embeddedHtml(text: string, dialects: readonly ListDialect[]): { dialect: string; html: string[] }[] {
  const out: { dialect: string; html: string[] }[] = [];
  for (const d of dialects) {
    if (!d.embedded) continue;
    const re = new RegExp(d.embedded.source, d.embedded.flags.includes("g") ? d.embedded.flags : d.embedded.flags + "g");
    const html = [...text.matchAll(re)].map((m) => m[1] ?? "");
    if (html.length) out.push({ dialect: d.name, html });
  }
  return out;
}

/** The request for page `n` of a list, from a dialect's template. */
export function buildRequest(d: ListDialect, paging: RequestPaging, vars: Vars, n: number, listUrl: string): PagingLink {
  const size = numberOf(paging.pageSize, vars);
  const v: Vars = { ...vars, page: String(n), page0: String(n - 1), ...(size !== null ? { pageSize: String(size) } : {}) };
  Object.assign(v, paging.perPage?.(v, n) ?? {});
  const t = paging.request;
  const url = new URL(fill(t.url, v), listUrl);
  for (const [k, tpl] of Object.entries(t.query ?? {})) if (!omitted(tpl, v)) url.searchParams.set(k, fill(tpl, v));
  let body: string | undefined;
  if (t.form || t.jsonField) {
    const form = new URLSearchParams();
    for (const [k, tpl] of Object.entries(t.form ?? {})) if (!omitted(tpl, v)) form.set(k, fill(tpl, v));
    if (t.jsonField) {
      const obj: Record<string, string | number> = {};
      for (const [k, tpl] of Object.entries(t.jsonField.value)) {
        const s = fill(tpl, v);
        obj[k] = t.jsonField.numbers?.includes(k) && /^-?\d+$/.test(s) ? Number(s) : s;
      }
      form.set(t.jsonField.name, JSON.stringify(obj));
    }
    body = form.toString();
  }
  const request: PageRequest = {
    method: t.method,
    ...(body !== undefined ? { body } : {}),
    ...(t.xhr ? { xhr: true } : {}),
    referer: listUrl,
    dialect: d.name,
    page: n,
    vars,
  };
  return { url: url.toString(), kind: t.kind, title: vars["name"] ?? null, request };
}

function fill(template: string, v: Vars): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? "");
}

/** A field whose whole template is one value the page did not give is left out of the request. */
function omitted(template: string, v: Vars): boolean {
  const m = /^\{(\w+)\}$/.exec(template);
  return m !== null && v[m[1]!] === undefined;
}

function numberOf(x: number | string | undefined, vars: Vars): number | null {
  if (x === undefined) return null;
  return typeof x === "number" ? x : positive(vars[x]);
}

function positive(s: string | undefined): number | null {
  if (s === undefined || !/^\s*\d+\s*$/.test(s)) return null;
  const n = Number(s);
  return n > 0 ? n : null;
}

/**
 * Read an API answer: its items, the requests for the pages the first answer reveals, and every
 * page that holds fewer items than the list declares.
 */
export function readAnswer(req: PageRequest, text: string, answerUrl: string, dialects: readonly ListDialect[]): AnswerReading | null {
  const d = dialects.find((x) => x.name === req.dialect);
  if (!d || d.paging?.via !== "requests" || d.paging.answer.format !== "json") return null;
  const paging = d.paging;
  const spec = d.paging.answer;
  const out: AnswerReading = { items: [], requests: [], declared: [], problem: null };
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, "").trim());
  } catch {
    out.problem = `the ${d.name} answer is not JSON (starts ${JSON.stringify(text.trim().slice(0, 40))})`;
    return out;
  }
  const list = pick(doc, spec.items);
  if (!Array.isArray(list)) {
    out.problem = `the ${d.name} answer has no item list (${spec.items.join(" or ")})`;
    return out;
  }
  const base = req.referer ?? answerUrl;
  for (const it of list) {
    const url = stringAt(it, spec.url);
    const title = stringAt(it, spec.title);
    if (!url || !title) continue;
    let abs: string;
    try {
      abs = new URL(url, base).toString();
    } catch {
      continue;
    }
    out.items.push({ url: abs, title: title.replace(/<[^>]+>/g, "").trim(), date: dateOf(spec.date ? pick(it, spec.date) : null) });
  }

  const size = numberOf(paging.pageSize, req.vars) ?? (list.length > 0 ? list.length : null);
  const total = maxOf(numAt(doc, spec.total), paging.declared?.unit === "records" ? positive(req.vars[paging.declared.value]) : null);
  const pageCount = numAt(doc, spec.pageCount);
  const first = numberOf(paging.firstPage, req.vars) ?? 1;
  const last = maxOf(pageCount, total !== null && size ? Math.ceil(total / size) : null);
  if (req.page === first && last !== null) {
    const upTo = Math.min(last, first + MAX_PAGES_PER_LIST - 1);
    for (let n = first + 1; n <= upTo; n++) out.requests.push(buildRequest(d, paging, req.vars, n, base));
    if (upTo < last && total !== null && size) out.declared.push({ via: d.name, declared: total, unit: "records", reachable: upTo * size });
  }
  // What this page should hold: the rest of the declared total, or a full page before the last one.
  let expected: number | null = null;
  if (total !== null && size) expected = Math.max(0, Math.min(size, total - (req.page - 1) * size));
  else if (pageCount !== null && size && req.page < pageCount) expected = size;
  if (expected !== null && list.length < expected) out.declared.push({ via: d.name, declared: expected, unit: "records", reachable: list.length, page: req.page });
  return out;
}

/**
 * How many items page `req.page` of a list should hold by what the list page declared (records and
 * page size), for answers read as pages (Hanweb's dataproxy XML); null when the list declared none.
 */
export function expectedOnPage(req: PageRequest, dialects: readonly ListDialect[]): { via: string; expected: number } | null {
  const d = dialects.find((x) => x.name === req.dialect);
  const paging = d?.paging;
  if (!d || paging?.via !== "requests" || paging.declared?.unit !== "records") return null;
  const total = positive(req.vars[paging.declared.value]);
  const size = numberOf(paging.pageSize, req.vars);
  if (total === null || size === null) return null;
  return { via: d.name, expected: Math.max(0, Math.min(size, total - (req.page - 1) * size)) };
}

function maxOf(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

/** The first path (dotted) that resolves; a string value holding JSON is parsed (WebBuilder's `custom`). */
function pick(doc: unknown, paths: readonly string[] | undefined): unknown {
  for (const path of paths ?? []) {
    let cur: unknown = doc;
    for (const key of path.split(".")) {
      if (typeof cur === "string" && /^\s*[[{]/.test(cur)) {
        try {
          cur = JSON.parse(cur);
        } catch {
          cur = undefined;
        }
      }
      cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[key] : undefined;
    }
    if (typeof cur === "string" && /^\s*[[{]/.test(cur)) {
      try {
        cur = JSON.parse(cur);
      } catch {
        /* a plain string */
      }
    }
    if (cur !== undefined && cur !== null && cur !== "") return cur;
  }
  return undefined;
}

function stringAt(doc: unknown, paths: readonly string[]): string | null {
  const v = pick(doc, paths);
  return typeof v === "string" ? v.trim() || null : typeof v === "number" ? String(v) : null;
}

function numAt(doc: unknown, paths: readonly string[] | undefined): number | null {
  const v = pick(doc, paths);
  const n = typeof v === "number" ? v : typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** A date (2026-01-16, 2026/1/16, 2026-01-16 10:00:00) or a timestamp in ms or s → YYYY-MM-DD (China time). */
export function dateOf(v: unknown): string | null {
  if (typeof v === "number" || (typeof v === "string" && /^\s*\d{9,13}\s*$/.test(v))) {
    const n = Number(v);
    const ms = n < 1e11 ? n * 1000 : n;
    const d = new Date(ms + 8 * 3600_000);
    return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10);
  }
  if (typeof v !== "string") return null;
  const m = /((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})/.exec(v);
  return m ? `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}` : null;
}

// Script-driven list loaders: a require([...]) module, $.ajax/$.post/$.getJSON, fetch(), XMLHttpRequest.
const LOADER = /require\s*\(\s*\[([^\]]*)\]|\$\.(ajax|post|getJSON|get)\s*\(|\bfetch\s*\(|new\s+XMLHttpRequest/g;
// …that pages: a count, a page size or a pager in the same script.
const PAGING_WORDS = /recordCount|totalRecord|pageCount|pageSize|pageIndex|pageNo|prepage|perPage|pagebar|pager|curPage|currentPage|分页|下一页/i;

/**
 * A list page whose paging is driven by a script no dialect knows: the script's name (its
 * require([...]) modules, the src of the script, or the start of the inline code), else null.
 */
export function unknownDynamicPaging(text: string): string | null {
  const scripts = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
  let m: RegExpExecArray | null;
  while ((m = scripts.exec(text))) {
    const code = m[2]!;
    LOADER.lastIndex = 0;
    const loader = LOADER.exec(code);
    if (!loader || !PAGING_WORDS.test(code)) continue;
    if (loader[1] !== undefined) {
      const mods = [...loader[1].matchAll(/['"]([^'"]+)['"]/g)].map((x) => x[1]!);
      if (mods.length) return `require([${mods.join(", ")}])`;
    }
    const src = /\bsrc\s*=\s*['"]([^'"]+)['"]/i.exec(m[1]!)?.[1];
    if (src) return src;
    const at = Math.max(0, loader.index - 20);
    return `inline script: ${code.slice(at, at + 80).replace(/\s+/g, " ").trim()}`;
  }
  return null;
}
