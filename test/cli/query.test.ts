import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeBody, fakeParser, sampleRecord } from "../store/helpers.js";
import { runCli } from "./io.js";

describe("nianbao query", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-cli-query-"));
    await runCli(["ingest", "-", "--quiet"], { cwd: dir, parse: fakeParser(), stdin: fakeBody(sampleRecord()) });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const sql = "SELECT row_key, natural_person, total FROM applications WHERE row_key IN ('new_received', 'rejected_excessive') ORDER BY row_key";

  it("prints JSON by default, and csv, jsonl, table on request", async () => {
    const json = await runCli(["query", sql], { cwd: dir });
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual({ row_key: "rejected_excessive", natural_person: null, total: null });

    const csv = await runCli(["query", sql, "--format", "csv"], { cwd: dir });
    expect(csv.stdout.split("\n")[0]).toBe("row_key,natural_person,total");
    expect(csv.stdout.split("\n")[2]).toBe("rejected_excessive,,");
    const bare = await runCli(["query", sql, "--format", "csv", "--no-headers"], { cwd: dir });
    expect(bare.stdout.split("\n")).toHaveLength(3);

    const jsonl = await runCli(["query", sql, "--format", "jsonl"], { cwd: dir });
    expect(jsonl.stdout.trim().split("\n").map((l) => JSON.parse(l) as unknown)).toEqual(rows);

    const table = await runCli(["query", "SELECT agency, year FROM reports_latest", "--format", "table"], { cwd: dir });
    expect(table.stdout).toBe("agency        year\n------------  ----\n测试市财政局  2021\n");
  });

  it("binds -p name value (repeatable; numbers as numbers) and reads SQL from stdin with -", async () => {
    const r = await runCli(["query", "-p", "year", "2021", "SELECT agency FROM reports_latest WHERE year = :year AND agency = $a", "-p", "a", "测试市财政局", "--format", "csv"], { cwd: dir });
    expect(r.stdout).toBe("agency\n测试市财政局\n");
    const s = await runCli(["query", "-", "--format", "csv", "-p", "n=2"], { cwd: dir, stdin: "SELECT :n + 1 AS x" });
    expect(s.stdout).toBe("x\n3\n");
  });

  it("exits 2 with 'query is read-only' for a write, leaving the file unchanged", async () => {
    const path = join(dir, "data/nianbao.db");
    const hash = () => createHash("sha256").update(readFileSync(path)).digest("hex");
    const before = hash();
    for (const write of ["DELETE FROM reports", "INSERT INTO sources (id) VALUES ('x')", "DROP VIEW applications"]) {
      const r = await runCli(["query", write], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^nianbao: query is read-only/);
      expect(r.stdout).toBe("");
    }
    expect(hash()).toBe(before);
  });

  it("exits 2 with one line for bad SQL, a missing parameter, or a bad -p", async () => {
    for (const argv of [["query", "SELEC"], ["query", "SELECT :x"], ["query", "SELECT 1", "-p", "x"], ["query", "SELECT 1", "--format", "xml"]]) {
      const r = await runCli(argv, { cwd: dir });
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), argv.join(" ")).toHaveLength(1);
    }
  });
});
