import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReport } from "../../src/pipeline.js";
import { runCli } from "./io.js";

/**
 * `npm start` twice: the sample sites come up on new ports, so every report is at a new URL with
 * the same bytes. The second run finds nothing new or changed and the database still holds one
 * report per sample report; the contract views count each once.
 */
describe("nianbao demo, run twice on one database", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-demo-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("stores each sample report once and reports 0 new, 0 changed the second time", async () => {
    const db = join(dir, "nb.db");
    const argv = ["demo", "--db", db, "--delay-ms", "0", "--quiet", "--json"];
    const parse = (body: Uint8Array, o: { sourceUrl: string | null; contentType: string | null; provenance: true }) => parseReport(body, o);
    const first = await runCli(argv, { parse });
    expect(first.code, first.stderr).toBe(0);
    const count = (sql: string) => {
      const h = new Database(db, { readonly: true });
      try {
        return h.prepare(sql).pluck().get() as number;
      } finally {
        h.close();
      }
    };
    const reports = count("SELECT count(*) FROM reports");
    const newReceived = count("SELECT sum(total) FROM applications WHERE row_key = 'new_received'");
    // 23 pages of the original sample sites + 1 PDF-only report read from its file + 39 (Fujian-style,
    // API-paged) + 6 (WebBuilder-style).
    const SAMPLE_REPORTS = 69;
    expect(reports).toBe(SAMPLE_REPORTS);

    const second = await runCli(argv, { parse });
    expect(second.code, second.stderr).toBe(0);
    const totals = (JSON.parse(second.stdout) as { sources: { reports: { new: number; changed: number } }[] }).sources.reduce(
      (t, s) => ({ new: t.new + s.reports.new, changed: t.changed + s.reports.changed }),
      { new: 0, changed: 0 },
    );
    expect(totals).toEqual({ new: 0, changed: 0 });
    expect(count("SELECT count(*) FROM reports")).toBe(SAMPLE_REPORTS);
    expect(count("SELECT count(*) FROM reports_latest")).toBe(count("SELECT count(DISTINCT identity_key) FROM reports"));
    expect(count("SELECT sum(total) FROM applications WHERE row_key = 'new_received'")).toBe(newReceived);
    // Each report page was seen at two URLs (one per run's port).
    expect(count("SELECT count(*) FROM page_urls u JOIN reports r ON r.page_id = u.page_id")).toBe(2 * SAMPLE_REPORTS);
  });
});
