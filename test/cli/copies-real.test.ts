import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "./as-user.js";
import { runCli } from "./io.js";

/**
 * Real pages: the same report as its HTML page and as a glued text rendering (where 行政规范性文件2433
 * cannot be split for sure), and one file in two folders.
 */
describe("copies of real reports", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-copies-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fixture = (name: string, file: string) => join(root, "fixtures/reports", name, file);
  const query = async (db: string, sql: string) => JSON.parse((await runCli(["query", sql, "--db", db, "--format", "json"])).stdout) as Record<string, unknown>[];

  it("the exact HTML copy is current even when the ambiguous text copy is ingested after it", async () => {
    const db = join(dir, "walk.db");
    // A folder walk goes in name order: html-… before txt-…, so the text copy is the newer one.
    const r = await runCli(["ingest", fixture("html-2021-pingtan-zrz", "input.html"), fixture("txt-2021-pingtan-zrz-glued", "input.txt"), "--db", db, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { stored: number; changed: number }).changed).toBe(1);
    const [latest] = await query(db, "SELECT report_id, form, error_count FROM reports_latest");
    expect(latest).toMatchObject({ form: "html", error_count: 0 });
    expect(await query(db, "SELECT metric, value FROM active_disclosure WHERE item = 'normative_docs' ORDER BY metric")).toEqual([
      { metric: "in_force", value: 33 },
      { metric: "issued", value: 2 },
      { metric: "repealed", value: 4 },
    ]);
    const copies = await query(db, "SELECT form, copy_rank, unreadable_cells FROM report_copies ORDER BY copy_rank");
    expect(copies).toEqual([
      { form: "html", copy_rank: 1, unreadable_cells: 0 },
      { form: "text", copy_rank: 2, unreadable_cells: 3 },
    ]);
  });

  it("one file ingested from two folders is one page: the second is unchanged, both paths are kept", async () => {
    const db = join(dir, "twice.db");
    for (const sub of ["a", "b"]) {
      mkdirSync(join(dir, sub), { recursive: true });
      copyFileSync(fixture("seed", "input.txt"), join(dir, sub, "report.txt"));
    }
    const r = await runCli(["ingest", join(dir, "a"), join(dir, "b"), "--db", db, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ stored: 1, changed: 0, unchanged: 1 });
    expect(await query(db, "SELECT count(*) AS n FROM reports")).toEqual([{ n: 1 }]);
    expect((await query(db, "SELECT url FROM report_copies ORDER BY url")).map((u) => String(u["url"]).replace(/^.*\/(\w)\/report\.txt$/, "$1"))).toEqual(["a", "b"]);
  });
});
