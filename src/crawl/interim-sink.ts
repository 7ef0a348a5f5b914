import { isNianbaoError } from "../errors.js";
import { parseReport } from "../pipeline.js";
import type { IngestOutcome, RawPage, ReportSink } from "../store/ports.js";

/**
 * Stand-in ReportSink used only until the store's SQLite sink is merged: it parses every page
 * (so the crawl summary shows agency, year and parser rejections) but keeps nothing.
 */
export class ParseOnlySink implements ReportSink {
  private n = 0;
  ingest(page: RawPage): IngestOutcome {
    const pageId = ++this.n;
    try {
      const r = parseReport(page.body, { sourceUrl: page.finalUrl, contentType: page.headers["content-type"] ?? null });
      return { status: "stored", pageId, reportId: pageId, reason: null, agency: r.agency, year: r.year };
    } catch (e) {
      return { status: "rejected", pageId, reportId: null, reason: isNianbaoError(e) ? `${e.code}: ${e.message}` : String(e), agency: null, year: null };
    }
  }
}
