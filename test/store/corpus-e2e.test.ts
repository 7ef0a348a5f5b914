import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { parseReport } from "../../src/pipeline.js";
import { openDb } from "../../src/store/db.js";
import { ingestInputs } from "../../src/store/ingest.js";
import { loadRecord } from "../../src/store/records.js";
import { searchReports } from "../../src/store/search.js";

/**
 * End to end with the REAL parser: every fixture page under fixtures/reports goes through ingest,
 * and what the views and loadRecord give back is what parseReport says about the page.
 */
const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/reports");

function inputFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /^input\./.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

describe("ingest the fixture corpus with the real parser", () => {
  const files = inputFiles(fixturesDir);

  it("has fixtures to ingest", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it("stores every fixture; views and records match parseReport; a second ingest adds nothing", async () => {
    const db = openDb(":memory:");
    const parse = (body: Uint8Array, o: { sourceUrl: string | null; contentType: string | null; provenance: true }) => parseReport(body, o);
    const first = await ingestInputs(db, files.map((path) => ({ kind: "file" as const, path })), { parse });
    expect(first.stored + first.changed + first.rejected).toBe(files.length);

    for (const [i, out] of first.outcomes.entries()) {
      const file = files[i] as string;
      if (out.status === "rejected") continue;
      const expected = parseReport(readFileSync(file), { sourceUrl: pathToFileURL(file).href, provenance: true });
      expect(loadRecord(db, out.reportId as number), file).toEqual(expected);
      const rows = db.prepare("SELECT count(*) FROM applications_all WHERE report_id = ?").pluck().get(out.reportId);
      expect(rows, file).toBe(Object.keys(expected.applications).length);
      if (expected.title && [...expected.title].length >= 3) {
        const hits = searchReports(db, expected.title.slice(0, 12), { all: true, limit: 1000 }).hits;
        expect(hits.map((h) => h.report_id), file).toContain(out.reportId);
      }
    }

    const second = await ingestInputs(db, files.map((path) => ({ kind: "file" as const, path })), { parse });
    expect(second.unchanged).toBe(files.length);
    db.close();
  });
});
