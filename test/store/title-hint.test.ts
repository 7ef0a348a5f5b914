/**
 * The list link's title as evidence of a crawled page's agency: the crawler hands it to the sink
 * (RawPage.titleHint), and reparse finds it again in the crawl's frontier, so a reparse reads the
 * page with the same evidence as the crawl did.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseReport } from "../../src/pipeline.js";
import { openDb } from "../../src/store/db.js";
import { reparseAll } from "../../src/store/reparse.js";
import { createReportSink } from "../../src/store/sink.js";
import { rawPage } from "./helpers.js";

// A page body without its title line: the page itself names no agency.
const BODY = readFileSync(new URL("../../fixtures/reports/syn-pipe-2021-rows/input.txt", import.meta.url), "utf8").split("\n").slice(2).join("\n");
const HINT = "某区应急管理局2022年政府信息公开工作年度报告";
const URL_ = "http://a.cn/nb/2022.html";

describe("titleHint through the store", () => {
  it("a crawled page's link title gives its agency at ingest and again at reparse", async () => {
    const db = openDb(":memory:");
    try {
      const parse = (body: Uint8Array, options: { titleHint?: string | null }) => parseReport(body, options);
      const sink = createReportSink(db, { parse });
      // Without the hint (in a database of its own: the same bytes at another URL are one page).
      const other = openDb(":memory:");
      try {
        const alone = createReportSink(other, { parse }).ingest(rawPage(new TextEncoder().encode(BODY), "http://a.cn/other.html"));
        expect(alone.agency).toBeNull();
      } finally {
        other.close();
      }
      const hinted = sink.ingest(rawPage(new TextEncoder().encode(BODY), URL_, { titleHint: HINT }));
      expect(hinted).toMatchObject({ agency: "某区应急管理局", year: 2022 });

      // The crawl's frontier remembers the link title; reparse reads the page with it.
      db.prepare("INSERT INTO crawl_frontier (unique_key, url, host, kind, source_id, title, added_at, updated_at) VALUES (?, ?, 'a.cn', 'report', 's', ?, 0, 0)").run(URL_, URL_, HINT);
      const s = await reparseAll(db, { parse: (body, options) => ({ ...parse(body, options), parserVersion: "next" }) });
      expect(s.changes).toEqual([]);
      expect(db.prepare("SELECT agency FROM reports r JOIN pages p ON p.id = r.page_id WHERE p.url = ?").pluck().get(URL_)).toBe("某区应急管理局");
    } finally {
      db.close();
    }
  });
});
