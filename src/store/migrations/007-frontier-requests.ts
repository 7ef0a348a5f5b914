import type { Migration } from "../migrate.js";

/**
 * API pages as resumable requests. A list dialect (src/crawl/dialects/) pages some columns through
 * a JSON API answered to a POST with a form body (TRS 动静结合's /fjdzapp/search, 新点 WebBuilder):
 * the URL alone no longer names the page. `request` keeps what repeats it after a crash — method,
 * body, XHR headers and Referer, the dialect and its values, the page number — as JSON (NULL for a
 * plain GET). The unique key of such a row includes the method and the body, so page 2 and page 3 of
 * the same API URL are two rows, and a page queued twice is still one.
 */
export const frontierRequests007: Migration = {
  name: "007-frontier-requests",
  up(db) {
    db.exec(`ALTER TABLE crawl_frontier ADD COLUMN request TEXT`);
  },
};
