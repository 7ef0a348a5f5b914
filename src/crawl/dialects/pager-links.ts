import type { ListDialect } from "./types.js";

/**
 * Ordinary pagers: 下一页 / 尾页 / page-number links in the same column (list_2.htm, ?page=2, 2.html).
 * 首页 is left out: in a nav bar it means the site's home page, and a list's first page is known anyway.
 */
export const pagerLinks: ListDialect = {
  name: "pager-links",
  description: "ordinary pagers: 下一页, 尾页 and page-number links to pages of the same column",
  recognise: /<a\b/i,
  paging: { via: "links", text: /^(下一页|下页|后一页|尾页|末页|最后一页|上一页|上页|>|>>|»|›|\d{1,3})$/ },
};
