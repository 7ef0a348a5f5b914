import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeBody, fakeParser, sampleRecord } from "../store/helpers.js";
import { runCli } from "./io.js";

describe("nianbao ingest", () => {
  let dir: string;
  const parse = fakeParser();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-cli-ingest-"));
    mkdirSync(join(dir, "corpus/a"), { recursive: true });
    writeFileSync(join(dir, "corpus/a/source.html"), fakeBody(sampleRecord()));
    writeFileSync(join(dir, "corpus/a/expected.json"), "{}");
    writeFileSync(join(dir, "corpus/list.html"), fakeBody(null));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("stores a folder into data/nianbao.db by default and says what it did on stderr", async () => {
    const r = await runCli(["ingest", "corpus"], { cwd: dir, parse });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("ingested 2 pages into");
    expect(r.stderr).toContain("1 stored, 0 changed (new version), 0 unchanged, 1 rejected; 1 other file skipped");
    expect(r.stderr).toContain("list.html: no 政府信息公开 report tables found on the page (E_NOT_REPORT)");
    const q = await runCli(["query", "SELECT count(*) AS n FROM applications"], { cwd: dir });
    expect(JSON.parse(q.stdout)).toEqual([{ n: 25 }]);
  });

  it("reads stdin for -, and the same bytes twice add nothing; --json prints the summary on stdout", async () => {
    const body = fakeBody(sampleRecord());
    const first = await runCli(["ingest", "-", "--db", "x.db", "--json"], { cwd: dir, parse, stdin: body });
    expect(JSON.parse(first.stdout)).toMatchObject({ stored: 1, unchanged: 0 });
    const second = await runCli(["ingest", "-", "--db", "x.db", "--json"], { cwd: dir, parse, stdin: body });
    expect(JSON.parse(second.stdout)).toMatchObject({ stored: 0, unchanged: 1 });
  });

  it("uses $NIANBAO_DB when --db is absent", async () => {
    await runCli(["ingest", "corpus", "--quiet"], { cwd: dir, parse, env: { NIANBAO_DB: "env.db" } });
    const q = await runCli(["query", "SELECT count(*) AS n FROM reports", "--db", "env.db", "--format", "csv"], { cwd: dir });
    expect(q.stdout).toBe("n\n1\n");
  });

  it("exits 2 with one line for a missing path or empty stdin, storing nothing", async () => {
    const r = await runCli(["ingest", "corpus", "missing.html"], { cwd: dir, parse });
    expect(r).toMatchObject({ code: 2, stderr: "nianbao: no such file or directory: missing.html [E_FILE_NOT_FOUND]\n" });
    const e = await runCli(["ingest", "-"], { cwd: dir, parse, stdin: "" });
    expect(e.code).toBe(2);
    const q = await runCli(["query", "SELECT 1"], { cwd: dir });
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/no database at/);
  });

  it("rejects unknown flags", async () => {
    const r = await runCli(["ingest", "corpus", "--frobnicate"], { cwd: dir, parse });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
  });
});
