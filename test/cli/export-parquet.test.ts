import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../src/store/db.js";
import { fakeBody, fakeParser, sampleRecord } from "../store/helpers.js";
import { runCli } from "./io.js";

async function readParquet(file: string): Promise<Record<string, unknown>[]> {
  const buf = readFileSync(file);
  const arrayBuffer = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  return (await parquetReadObjects({ file: arrayBuffer })) as Record<string, unknown>[];
}

describe("nianbao export --format parquet", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-cli-parquet-"));
    await runCli(["ingest", "-", "--quiet"], { cwd: dir, parse: fakeParser(), stdin: fakeBody(sampleRecord()) });
    await runCli(["ingest", "-", "--quiet"], { cwd: dir, parse: fakeParser(), stdin: fakeBody(sampleRecord({ template: "2019", agency: "测试市教育局" }, 7)) });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes every view as a Parquet file that reads back to the same rows, NULLs included", async () => {
    const r = await runCli(["export", "--out", "pq", "--format", "parquet"], { cwd: dir });
    expect(r.code).toBe(0);
    const files = readdirSync(join(dir, "pq"));
    expect(files).toEqual(expect.arrayContaining(["reports_latest.parquet", "applications.parquet", "active_disclosure.parquet", "review_litigation.parquet", "report_issues.parquet", "indicators.parquet"]));
    const db = openDb(join(dir, "data/nianbao.db"), { readOnly: true });
    try {
      for (const view of ["applications", "active_disclosure", "indicators", "reports_latest"]) {
        const expected = db.prepare(`SELECT * FROM ${view}`).all() as Record<string, unknown>[];
        const got = (await readParquet(join(dir, `pq/${view}.parquet`))).map((row) =>
          Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])),
        );
        expect(got, view).toEqual(expected);
        expect(expected.length, view).toBeGreaterThan(0);
      }
      // Blank cells stay null (sampleRecord leaves rejected_excessive blank).
      const apps = await readParquet(join(dir, "pq/applications.parquet"));
      expect(apps.filter((a) => a["row_key"] === "rejected_excessive").every((a) => a["total"] === null)).toBe(true);
      // Decimals keep their value (fees are 12.xx 万元).
      const fees = (await readParquet(join(dir, "pq/active_disclosure.parquet"))).find((a) => a["item"] === "fees" && a["metric"] === "amount");
      expect(fees?.["value"]).toBeCloseTo(db.prepare("SELECT value FROM active_disclosure WHERE item = 'fees' AND metric = 'amount'").pluck().get() as number, 10);
    } finally {
      db.close();
    }
    expect(r.stderr).toContain("view indicators: 2 rows");
  });

  it("refuses an unknown format", async () => {
    const r = await runCli(["export", "--out", "x", "--format", "arrow"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/parquet/);
  });
});
