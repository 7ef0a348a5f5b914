// The Crawlee side of the crawl benchmark: CheerioCrawler with its default persistent request
// queue and dataset (storage on disk, so a killed run resumes, as `nianbao crawl` does), the same
// concurrency, crawling the same generated portal: home → column → list pages (TRS createPageHTML
// paging) → report pages, each report page pushed to the dataset with its HTML.
// argv: <crawlee install folder> <storage folder> <start URL> <concurrency>
// Prints "progress <reports>" every 100 reports and one final JSON line.
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [cache, storage, start, concurrencyArg] = process.argv.slice(2);
process.env.CRAWLEE_STORAGE_DIR = storage;
process.env.CRAWLEE_LOG_LEVEL = "WARNING";
const require = createRequire(join(cache, "package.json"));
const { CheerioCrawler, Dataset } = await import(pathToFileURL(require.resolve("crawlee")).href);

const concurrency = Number(concurrencyArg);
const REPORT = /\/t\d{8}_\d+\.html$/;
let reports = 0;
let failed = 0;
const crawler = new CheerioCrawler({
  minConcurrency: concurrency,
  maxConcurrency: concurrency,
  maxRequestRetries: 1,
  async requestHandler({ request, $, body, enqueueLinks }) {
    if (request.label === "REPORT") {
      await Dataset.pushData({ url: request.url, title: $("title").text(), html: body.toString() });
      if (++reports % 100 === 0) process.stdout.write(`progress ${reports}\n`);
      return;
    }
    await enqueueLinks({ regexps: [REPORT], label: "REPORT" });
    await enqueueLinks({ strategy: "same-hostname", exclude: [REPORT] });
    // TRS paging, as nianbao's discovery reads it: createPageHTML(countPage, current, "index", "html").
    const m = /createPageHTML\((?:countPage|(\d+)),\s*(\d+),\s*"(\w+)",\s*"(\w+)"\)/.exec(body.toString());
    const count = Number(/var countPage = (\d+)/.exec(body.toString())?.[1] ?? m?.[1] ?? 0);
    if (m && Number(m[2]) + 1 < count) {
      await crawler.addRequests([new URL(`${m[3]}_${Number(m[2]) + 1}.${m[4]}`, request.loadedUrl ?? request.url).href]);
    }
  },
  failedRequestHandler() {
    failed++;
  },
});
const t0 = performance.now();
await crawler.run([start]);
process.stdout.write(`${JSON.stringify({ reports, failed, secs: (performance.now() - t0) / 1000 })}\n`);
