import { createHash } from "node:crypto";
import iconv from "iconv-lite";
import { isNianbaoError } from "../../../src/errors.js";
import { sniffFile } from "../../../src/parse/files.js";
import { parseReport } from "../../../src/pipeline.js";
import type { IngestOutcome, RawPage, ReportSink } from "../../../src/store/ports.js";

/**
 * A ReportSink for crawl tests that does not depend on the real parser: it dedupes identical
 * bytes per URL like the store does, and "parses" just enough to tell a report from a non-report
 * (表三's heading) and to read agency and year from the title. It decodes the bytes with the
 * encoding the crawler hands over (RawPage.encoding), never its own guess, so a crawler that
 * passes on a wrong encoding stores mojibake here too; `encodings` records what it was handed.
 */
export class MemorySink implements ReportSink {
  readonly versions = new Map<string, string[]>();
  readonly outcomes: (IngestOutcome & { url: string })[] = [];
  /** URL → the encoding the crawler handed over with the page's bytes. */
  readonly encodings = new Map<string, string | null>();
  private nextId = 1;

  /** Files (PDF, DOCX, DOC/WPS) have no title to peek at: the real parser reads them. */
  private file(page: RawPage, pageId: number): IngestOutcome {
    let o: IngestOutcome;
    try {
      const r = parseReport(page.body, { sourceUrl: page.finalUrl });
      o = { status: "stored", pageId, reportId: pageId, reason: null, agency: r.agency, year: r.year };
    } catch (e) {
      if (!isNianbaoError(e)) throw e;
      o = { status: "rejected", pageId, reportId: null, reason: e.message, agency: null, year: null };
    }
    this.outcomes.push({ ...o, url: page.url });
    return o;
  }

  ingest(page: RawPage): IngestOutcome {
    this.encodings.set(page.url, page.encoding);
    const sha = createHash("sha256").update(page.body).digest("hex");
    const list = this.versions.get(page.url) ?? [];
    const pageId = this.nextId++;
    if (list[list.length - 1] === sha) {
      const o: IngestOutcome = { status: "unchanged", pageId, reportId: null, reason: null, agency: null, year: null };
      this.outcomes.push({ ...o, url: page.url });
      return o;
    }
    list.push(sha);
    this.versions.set(page.url, list);
    if (sniffFile(page.body)) return this.file(page, pageId);
    const text = iconv.decode(Buffer.from(page.body), page.encoding ?? "utf-8");
    const title = /<title>([^<_]*)/.exec(text)?.[1] ?? "";
    const m = /^(.*?)((?:19|20)\d{2})年/.exec(title);
    const isReport = /收到和处理政府信息公开申请情况/.test(text);
    const o: IngestOutcome = isReport
      ? { status: list.length > 1 ? "changed" : "stored", pageId, reportId: pageId, reason: null, agency: m?.[1] ?? null, year: m ? Number(m[2]) : null }
      : { status: "rejected", pageId, reportId: null, reason: "not an annual report (no 表三 found)", agency: null, year: null };
    this.outcomes.push({ ...o, url: page.url });
    return o;
  }

  /** (url, sha256) of every stored version, sorted: the comparison key of the resume tests. */
  snapshot(): string[] {
    const out: string[] = [];
    for (const [url, shas] of this.versions) for (const s of shas) out.push(`${url} ${s}`);
    return out.sort();
  }
}
