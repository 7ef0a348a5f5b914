/**
 * A list dialect: how one portal platform pages a column, declared as data. The engine
 * (./engine.ts) reads every declaration the same way; the crawler never asks which dialect a page
 * is in. Adding a dialect is adding one file to this folder and one line to ./index.ts.
 *
 * A declaration says:
 * - how to recognise it in a list page (`recognise`), and which values to read there (`values`:
 *   channel ids, record counts, page size…; a regular expression's first group, or a small function
 *   when the value is an indirection such as `channelid: SiteInfo.searchId`);
 * - how to build the request for page N (`paging.request`: method, URL relative to the page,
 *   query or form fields, all `{name}` templates over the values and `page`, `page0`, `pageSize`);
 * - how to read the answer (`paging.answer`: items with URL, title and date, the total or the page
 *   count), or that the answer is itself a list page read like any other.
 */

/** Values read from a page (and carried with each request it makes), all strings. */
export type Vars = Record<string, string>;

/** What a dialect sees of a list page. */
export interface PageView {
  /** The page's URL after redirects. */
  url: string;
  text: string;
  /** Report links the page's own HTML shows (static page 1). */
  shown: number;
}

/** A value: the first group of a pattern over the page text, or a function of the page (and the values read before it). */
export type ValueRule = RegExp | ((page: PageView, vars: Vars) => string | null);

export interface RequestTemplate {
  method: "GET" | "POST";
  /** Relative to the list page (or absolute path); `{name}` is replaced verbatim. */
  url: string;
  /** Query fields, URL-encoded by the engine. */
  query?: Record<string, string>;
  /** Form fields of a POST body (application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  /**
   * One form field whose value is a JSON object (新点 WebBuilder's `params`); the keys listed in
   * `numbers` are sent as JSON numbers (a category number such as "003001" stays a string).
   */
  jsonField?: { name: string; value: Record<string, string>; numbers?: string[] };
  /** Sent as the page's own script sends it: `X-Requested-With: XMLHttpRequest`, the list page as Referer. */
  xhr?: boolean;
  /**
   * "list": the answer is another page of the list (HTML), read like any list page;
   * "api": the answer is read by `answer` and never expands discovery beyond its items.
   */
  kind: "list" | "api";
}

/** A JSON answer. Paths are dotted (`custom.infodata`); each field lists alternatives, first found wins. */
export interface JsonAnswer {
  format: "json";
  items: string[];
  url: string[];
  title: string[];
  date?: string[];
  /** Records in the whole list. */
  total?: string[];
  /** Pages in the whole list. */
  pageCount?: string[];
}

/** The answer is HTML or XML whose links (and `embedded` records) are read like a list page's. */
export interface PageAnswer {
  format: "page";
}

export interface RequestPaging {
  via: "requests";
  request: RequestTemplate;
  /** First page number to request (a number or the name of a value); pages before it are in the HTML. */
  firstPage: number | string;
  /** What the list page declares about its size: a value holding records or pages. */
  declared?: { unit: "records" | "pages"; value: string };
  /** Records per requested page: a number or a value name. */
  pageSize?: number | string;
  /** Extra values for page N (Hanweb's startrecord/endrecord). */
  perPage?: (vars: Vars, page: number) => Vars;
  answer: JsonAnswer | PageAnswer;
}

/** Ordinary pagers: links whose text is 下一页, 尾页, a page number… in the same column. */
export interface LinkPaging {
  via: "links";
  text: RegExp;
}

export interface ListDialect {
  /** Stable name, shown in the crawl summary and logs. */
  name: string;
  /** One line for the README. */
  description: string;
  /** The page is in this dialect when this matches its text. */
  recognise: RegExp | ((page: PageView) => boolean);
  /** Values read from the page, in order (a function sees the values read before it). */
  values?: Record<string, ValueRule>;
  /** Values used when the page has none. */
  defaults?: Vars;
  /** Values without which the page is not in this dialect after all. */
  required?: string[];
  /** Several paged lists in one page (gkmlpt's category tree): one set of values each, merged over `values`. */
  columns?: (page: PageView) => Vars[];
  /** Links hidden where a DOM does not see them (Hanweb's CDATA records): each match's first group is HTML. */
  embedded?: RegExp;
  paging?: RequestPaging | LinkPaging;
}

/** A request a dialect made, as the frontier keeps it: enough to repeat it after a crash. */
export interface PageRequest {
  method: "GET" | "POST";
  /** application/x-www-form-urlencoded body of a POST. */
  body?: string;
  xhr?: boolean;
  /** The list page that makes this request (sent as Referer when `xhr`). */
  referer?: string;
  dialect: string;
  page: number;
  vars: Vars;
}
