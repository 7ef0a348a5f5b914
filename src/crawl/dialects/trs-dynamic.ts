import { scriptValue } from "./js-values.js";
import type { ListDialect } from "./types.js";

// The listModel({…}) call of TRS's list2.trsapi loader, up to its closing script.
const LIST_MODEL = /listModel\s*\(\s*\{[\s\S]*?<\/script>/;

/**
 * TRS 动静结合 (every Fujian government site, the 集约化 platform): page 1 is static HTML; the rest comes from `POST /fjdzapp/search` with the form fields channelid, classsql,
 * page, prepage, sortfield (some sites add classcol, classnum, cache), answering JSON
 * `{pageCount, data|docs: [{doctitle, docpuburl|chnldocurl, docreltime, chnlid}]}`. The column
 * declares its size in `pagebar.recordCount`; channelid is usually `SiteInfo.searchId`.
 */
export const trsDynamic: ListDialect = {
  name: "trs-dynamic",
  description: "TRS 动静结合 (Fujian 集约化 sites): static page 1, then `POST /fjdzapp/search` (channelid, classsql, page, prepage, sortfield) → JSON",
  recognise: /动静结合|fjdzapp\/search/,
  values: {
    searchId: (p, v) => scriptValue(p, v, "searchId"),
    channelid: (p, v) => scriptValue(p, v, "channelid", LIST_MODEL) ?? v["searchId"] ?? null,
    classsql: (p, v) => scriptValue(p, v, "classsql", LIST_MODEL),
    sortfield: (p, v) => scriptValue(p, v, "sortfield", LIST_MODEL),
    classcol: (p, v) => scriptValue(p, v, "classcol", LIST_MODEL),
    classnum: (p, v) => scriptValue(p, v, "classnum", LIST_MODEL),
    cache: (p, v) => scriptValue(p, v, "cache", LIST_MODEL),
    prepage: (p, v) => scriptValue(p, v, "prepage", LIST_MODEL),
    recordCount: (p, v) => scriptValue(p, v, "recordCount", LIST_MODEL),
    // The search API serves every page: ask from page 2 when the HTML shows page 1, else from page 1
    // (maxStaticIndex > 1 names more static pages, which the API serves as well).
    firstPage: (p) => (p.shown > 0 ? "2" : "1"),
    searchUrl: /['"]([^'"\s]*\/fjdzapp\/search)['"]/,
  },
  defaults: { classsql: "", sortfield: "-docorderpri,-docreltime", prepage: "10", searchUrl: "/fjdzapp/search" },
  required: ["channelid"],
  paging: {
    via: "requests",
    request: {
      method: "POST",
      url: "{searchUrl}",
      form: { channelid: "{channelid}", classsql: "{classsql}", classcol: "{classcol}", classnum: "{classnum}", cache: "{cache}", page: "{page}", prepage: "{prepage}", sortfield: "{sortfield}" },
      xhr: true,
      kind: "api",
    },
    firstPage: "firstPage",
    declared: { unit: "records", value: "recordCount" },
    pageSize: "prepage",
    answer: { format: "json", items: ["data", "docs"], url: ["docpuburl", "chnldocurl"], title: ["doctitle"], date: ["docreltime"], pageCount: ["pageCount"], total: ["total", "recordCount"] },
  },
};
