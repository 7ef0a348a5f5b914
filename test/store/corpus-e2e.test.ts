import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
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

function readJson<T>(path: string): T | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : null;
}

/**
 * What ingest must do with each fixture, from the fixtures' own oracles (meta.json's notReport,
 * oracle.json's agency and year), not from the parser: not-reports are rejected; the first page of
 * an agency and year is stored, a later page of the same agency and year is a new version (changed).
 */
function expectedStatuses(files: string[]): string[] {
  const seen = new Set<string>();
  return files.map((f) => {
    if (readJson<{ notReport?: string }>(join(dirname(f), "meta.json"))?.notReport) return "rejected";
    const o = readJson<{ agency: string; year: number }>(join(dirname(f), "oracle.json"));
    if (!o) throw new Error(`${f}: no oracle.json`);
    const key = `${o.agency}|${o.year}`;
    const status = seen.has(key) ? "changed" : "stored";
    seen.add(key);
    return status;
  });
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
    // Exactly the four not-report fixtures are rejected; every other page is stored (or, for a
    // second page of the same agency and year, stored as a new version of it).
    const want = expectedStatuses(files);
    const name = (f: string) => basename(dirname(f));
    expect(files.filter((_, i) => want[i] === "rejected").map(name)).toEqual(["syn-not-report-attachment", "syn-not-report-images", "syn-not-report-pre2019", "syn-not-report-spa"]);
    expect(first.outcomes.map((o, i) => `${name(files[i]!)}: ${o.status}`)).toEqual(files.map((f, i) => `${name(f)}: ${want[i]}`));
    const count = (st: string) => want.filter((w) => w === st).length;
    expect({ stored: first.stored, changed: first.changed, rejected: first.rejected }).toEqual({ stored: count("stored"), changed: count("changed"), rejected: 4 });
    expect(db.prepare("SELECT count(*) FROM reports_latest").pluck().get()).toBe(count("stored"));

    for (const [i, out] of first.outcomes.entries()) {
      const file = files[i] as string;
      if (out.status === "rejected") continue;
      const expected = parseReport(readFileSync(file), { sourceUrl: pathToFileURL(file).href, provenance: true });
      expect(loadRecord(db, out.reportId as number), file).toEqual(expected);
      // The views (every copy: applications_all) give back the record's values and identity, row by row.
      const view = db.prepare("SELECT row_key, natural_person, commercial, research, social_org, legal_service, other_org, total FROM applications_all WHERE report_id = ?").all(out.reportId) as Record<string, unknown>[];
      expect(Object.fromEntries(view.map(({ row_key, ...cols }) => [row_key, cols])), file).toEqual(expected.applications);
      const identity = db.prepare("SELECT agency, year, template FROM reports WHERE id = ?").get(out.reportId);
      expect(identity, file).toEqual({ agency: expected.agency, year: expected.year, template: expected.template });
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
