import type { ListDialect, Vars } from "./types.js";

/**
 * 广东 gkmlpt: `window._CONFIG = { SID: '…', TREE: [{id: 123, name: '政府信息公开年报', …}] }`; each
 * 年报 category pages through the JSON API `/gkmlpt/api/all/{id}?page=N&sid=…`, whose first answer
 * gives the total (`classify.post_count`, or `total`).
 */
export const gkmlpt: ListDialect = {
  name: "gkmlpt",
  description: "广东 gkmlpt: `window._CONFIG` {SID, TREE}, then JSON `/gkmlpt/api/all/{category}?page=N&sid=…`",
  recognise: (page) => /window\._CONFIG\s*=/.test(page.text) && /gkmlpt/i.test(page.text + page.url),
  values: { sid: /\bSID\s*:\s*['"]([^'"]+)['"]/ },
  required: ["sid"],
  columns: (page) => {
    const out: Vars[] = [];
    const node = /\{[^{}]*?\bid['"]?\s*:\s*['"]?(\d+)['"]?[^{}]*?\bname['"]?\s*:\s*['"]([^'"]*)['"]/g;
    let m: RegExpExecArray | null;
    while ((m = node.exec(page.text))) if (/年报|年度报告/.test(m[2]!)) out.push({ category: m[1]!, name: m[2]! });
    return out;
  },
  paging: {
    via: "requests",
    request: { method: "GET", url: "/gkmlpt/api/all/{category}", query: { page: "{page}", sid: "{sid}" }, kind: "api" },
    firstPage: 1,
    answer: { format: "json", items: ["articles"], url: ["url"], title: ["title"], date: ["date", "publish_time"], total: ["classify.post_count", "total"] },
  },
};
