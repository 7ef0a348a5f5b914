import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCrawl, type CrawlDeps } from "../../src/crawl/crawler.js";
import { MemoryFrontier } from "../../src/crawl/frontier.js";
import { fetchUrl } from "../../src/crawl/http.js";
import { startPortal, type RunningPortal } from "../../src/crawl/sample-portal.js";
import { parseSources } from "../../src/crawl/sources.js";
import { MemoryCrawlState } from "../../src/crawl/state.js";
import { decodeBytes } from "../../src/parse/decode.js";
import type { RawPage } from "../../src/store/ports.js";
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

/** Remembers the hint each page reached the sink with. */
class HintSink extends MemorySink {
  readonly hints = new Map<string, string | null | undefined>();
  override ingest(page: RawPage) {
    this.hints.set(page.url, page.titleHint);
    return super.ingest(page);
  }
}

describe("the crawler hands the list link's title to the parser", () => {
  it("every report page reaches the sink with the title it was linked by", async () => {
    const sink = new HintSink();
    const deps = { fetch: fetchUrl, decode: decodeBytes, frontier: new MemoryFrontier(), sink, state: new MemoryCrawlState(), dispatcher } as unknown as CrawlDeps;
    await runCrawl(parseSources(portal.sources()), { policy: testPolicy() }, deps);
    const reports = sink.outcomes.filter((o) => o.reportId !== null);
    expect(reports.length).toBeGreaterThan(10);
    for (const o of reports) expect(sink.hints.get(o.url), o.url).toMatch(/(?:19|20)\d{2}年度?政府信息公开工作年度报告/);
  });
});
