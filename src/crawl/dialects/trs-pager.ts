import type { ListDialect } from "./types.js";

/**
 * TRS WCM static publishing: `createPageHTML(countPage, current, "index", "html")` writes the pager;
 * the pages are index.html, index_1.html … index_{count-1}.html (0-based) in the column's folder.
 */
export const trsPager: ListDialect = {
  name: "trs-createPageHTML",
  description: "TRS static pages: `createPageHTML(countPage, 0, \"index\", \"html\")` → index.html, index_1.html … (0-based)",
  recognise: /createPageHTML\s*\(/,
  values: {
    // The first argument is a number or the name of a variable holding it.
    count: (page) => {
      const m = /createPageHTML\s*\(\s*(?:['"]?(\d+)['"]?|([A-Za-z_$][\w$]*))\s*,/.exec(page.text);
      if (!m) return null;
      if (m[1]) return m[1];
      return new RegExp(`(?:var|let|const)\\s+${m[2]!.replace(/\$/g, "\\$")}\\s*=\\s*['"]?(\\d+)`).exec(page.text)?.[1] ?? null;
    },
    prefix: /createPageHTML\s*\([^,]+,[^,]+,\s*['"]([^'"]+)['"]/,
    ext: /createPageHTML\s*\([^,]+,[^,]+,\s*['"][^'"]+['"]\s*,\s*['"]([^'"]+)['"]/,
  },
  required: ["count", "prefix", "ext"],
  paging: {
    via: "requests",
    request: { method: "GET", url: "{prefix}{suffix}.{ext}", kind: "list" },
    firstPage: 1,
    declared: { unit: "pages", value: "count" },
    perPage: (_v, page) => ({ suffix: page === 1 ? "" : `_${page - 1}` }),
    answer: { format: "page" },
  },
};
