// Serves the synthetic portal in its own process, so the crawl benchmark measures the crawlers and
// not the server they talk to (a real portal is another machine). Prints one JSON line, then serves
// until stdin closes or it gets SIGTERM.
// argv: [reports = 1950] [report links per list page = 20] [chrome bytes per report page = 0]
import { startSyntheticPortal } from "../dist/crawl/synthetic-portal.js";

const reports = Number(process.argv[2] ?? 1950);
const perPage = Number(process.argv[3] ?? 20);
const chromeBytes = Number(process.argv[4] ?? 0);
const portal = await startSyntheticPortal({ reports, perPage, chromeBytes });
process.stdout.write(JSON.stringify({ origin: portal.origin, pages: portal.pages, sources: portal.sources() }) + "\n");
const stop = async () => {
  await portal.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
