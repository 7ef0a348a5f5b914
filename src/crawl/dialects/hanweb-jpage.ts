import type { ListDialect, PageView } from "./types.js";

const PARAM_KEYS = ["columnid", "unitid", "webid", "appid", "webname", "path", "permissiontype", "col", "sourceContentType"];
const NEXT_GROUP = /<nextgroup>\s*<!\[CDATA\[\s*<a[^>]*href=["']([^"']+)["']/i;

/** The column's query parameters: from <nextgroup>, then the script's ajaxParam, then /col/colN/ in the URL. */
function columnQuery(page: PageView): string {
  const next = NEXT_GROUP.exec(page.text);
  const params = new URLSearchParams(next ? (next[1]!.split("?")[1] ?? "").replace(/&amp;/g, "&") : "");
  for (const key of PARAM_KEYS) {
    if (params.has(key)) continue;
    const v = new RegExp(`\\b${key}\\s*[:=]\\s*['"]?([^'"&,}\\s]+)`, "i").exec(page.text);
    if (v) params.set(key, v[1]!);
  }
  if (!params.has("columnid")) {
    const col = /\/col\/col(\d+)\//.exec(page.url);
    if (col) params.set("columnid", col[1]!);
  }
  params.delete("page");
  return params.toString();
}

/**
 * 大汉 Hanweb JCMS: records sit in `<recordset><record><![CDATA[…]]></record>` (in the list page and in
 * the dataproxy answer); jpage declares totalRecord/perPage and fetches each later group of records
 * with dataproxy.jsp?startrecord=S&endrecord=E&perpage=P&… (its servlet reads the same parameters
 * from the query string as from its usual POST form). A group is as large as the page's first one.
 */
export const hanwebJpage: ListDialect = {
  name: "hanweb-jpage",
  description: "大汉 Hanweb: `<recordset>` CDATA records, later groups from `dataproxy.jsp?startrecord=…&endrecord=…` (XML)",
  recognise: /jpage|dataproxy|<recordset>/i,
  embedded: /<record>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/record>/gi,
  values: {
    total: (page) => /totalRecord\s*[:=]\s*['"]?(\d+)/i.exec(page.text)?.[1] ?? /<totalrecord>\s*(\d+)\s*<\/totalrecord>/i.exec(page.text)?.[1] ?? null,
    perPage: /perPage\s*[:=]\s*['"]?(\d+)/i,
    groupSize: (page, v) => String(page.shown > 0 ? page.shown : Number(v["perPage"] ?? 15) * 3),
    proxy: (page) => /proxyUrl\s*[:=]\s*['"]([^'"]+)['"]/i.exec(page.text)?.[1] ?? NEXT_GROUP.exec(page.text)?.[1]?.split("?")[0] ?? null,
    query: (page) => columnQuery(page),
  },
  defaults: { perPage: "15", proxy: "/module/web/jpage/dataproxy.jsp" },
  required: ["total"],
  paging: {
    via: "requests",
    request: { method: "GET", url: "{proxy}?{query}", query: { startrecord: "{startrecord}", endrecord: "{endrecord}", perpage: "{perPage}" }, kind: "api" },
    firstPage: 2,
    declared: { unit: "records", value: "total" },
    pageSize: "groupSize",
    perPage: (v, page) => {
      const size = Number(v["groupSize"]);
      const start = (page - 1) * size + 1;
      return { startrecord: String(start), endrecord: String(Math.min(Number(v["total"]), start + size - 1)) };
    },
    answer: { format: "page" },
  },
};
