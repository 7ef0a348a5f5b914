// Serves the synthetic portal in its own process, so the crawl benchmark measures the crawler and
// not the server it talks to (a real portal is another machine). Prints one JSON line, then serves
// until stdin closes or it gets SIGTERM.
import { startSyntheticPortal } from "../dist/crawl/synthetic-portal.js";

const reports = Number(process.argv[2] ?? 1950);
const portal = await startSyntheticPortal({ reports, perPage: 20 });
process.stdout.write(JSON.stringify({ origin: portal.origin, pages: portal.pages, sources: portal.sources() }) + "\n");
const stop = async () => {
  await portal.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
