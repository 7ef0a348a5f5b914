import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCrawl, type CrawlDeps } from "../../src/crawl/crawler.js";
import { MemoryFrontier } from "../../src/crawl/frontier.js";
import { fetchUrl } from "../../src/crawl/http.js";
import { startPortal, type RunningPortal } from "../../src/crawl/sample-portal.js";
import { parseSources } from "../../src/crawl/sources.js";
import { MemoryCrawlState } from "../../src/crawl/state.js";
import { decodeBytes } from "../../src/parse/decode.js";
import { MemorySink } from "./helpers/memory-sink.js";
import { testPolicy } from "./helpers/policy.js";

let portal: RunningPortal;
const dispatcher = new Agent({ keepAliveTimeout: 100, keepAliveMaxTimeout: 100 });

beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal.close();
  await dispatcher.close();
});

function deps(over: Partial<CrawlDeps> = {}): CrawlDeps & { sink: MemorySink; state: MemoryCrawlState } {
  return { fetch: fetchUrl, decode: decodeBytes, frontier: new MemoryFrontier(), sink: new MemorySink(), state: new MemoryCrawlState(), dispatcher, ...over } as CrawlDeps & {
    sink: MemorySink;
    state: MemoryCrawlState;
  };
}

describe("crawl of the sample portal", () => {
  it("discovers every report of the TRS, Hanweb and GBK sites from their home pages", async () => {
    const d = deps();
    const sources = parseSources(portal.sources());
    const summary = await runCrawl(sources, { policy: testPolicy() }, d);
    expect(summary.outcome).toBe("completed");
    const by = Object.fromEntries(summary.sources.map((s) => [s.id, s]));
    const trs = by["sample-trs-city"]!;
    const hanweb = by["sample-hanweb-county"]!;
    const gbk = by["sample-gbk-district"]!;
    // TRS: 5 city reports over index/index_1/index_2, 2 (2023 column) + 2 (2022 column, 2 pages)
    // department reports, + 1 published only as a PDF (its page links it; the PDF is the report).
    expect(trs.reports.new).toBe(10);
    expect(trs.filesRead).toBe(1);
    const fromPdf = trs.newReports.find((r) => r.url.endsWith(".pdf"));
    expect(fromPdf).toMatchObject({ agency: "示例市民政局", year: 2022 });
    // the broken page (HTTP 500), the non-report, and the scanned PDF (an honest failure)
    expect(trs.failures.map((f) => f.reason).sort()).toEqual([
      "HTTP 500",
      "not a readable annual report: scanned PDF: no text layer (1 page, 2 images; reading it needs OCR)",
      "not an annual report (no 表三 found)",
    ]);
    expect(trs.skipped).toEqual([{ url: expect.stringContaining("/preview/t20230118_0954.html"), reason: "robots.txt disallows this URL for nianbao" }]);
    expect(trs.attachments).toEqual([expect.objectContaining({ type: "pdf", tablesInAttachment: true }), expect.objectContaining({ type: "pdf", tablesInAttachment: true })]);
    // The files were fetched politely like pages: on the same host, logged with their bytes.
    expect(d.state.fetches.filter((f) => f.url.endsWith(".pdf")).map((f) => f.status)).toEqual([200, 200]);
    // Hanweb: 4 records in the page + 2 dataproxy groups.
    expect(hanweb.reports.new).toBe(10);
    expect(hanweb.failures).toEqual([]);
    // GBK: two list pages linked by 下一页.
    expect(gbk.reports.new).toBe(4);
    expect(gbk.newReports.map((r) => r.agency)).toEqual(Array(4).fill("示例区财政局"));
    expect(gbk.failures).toEqual([]);
    // robots.txt and nothing outside allowHosts
    const hosts = new Set(portal.sites.map((s) => s.host));
    for (const f of d.state.fetches) expect(hosts.has(new URL(f.url).host)).toBe(true);
  });
});
