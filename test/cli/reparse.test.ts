import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeBody, fakeParser, sampleRecord } from "../store/helpers.js";
import { runCli } from "./io.js";

describe("nianbao reparse", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-cli-reparse-"));
    await runCli(["ingest", "-", "--quiet"], { cwd: dir, parse: fakeParser(), stdin: fakeBody(sampleRecord()) });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the reports whose values or issues changed; a second run changes nothing", async () => {
    const parse = fakeParser({ version: "test-2", transform: (r) => ({ ...r, issues: [], title: "新标题" }) });
    const r = await runCli(["reparse"], { cwd: dir, parse });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/reparsed 1 page with parser .*: 1 changed, 0 unchanged, 0 still not reports/);
    expect(r.stderr).toContain("2021 测试市财政局 (report 1): 0 values changed, 1 issues added or removed, fields title");
    const again = await runCli(["reparse", "--json"], { cwd: dir, parse });
    expect(JSON.parse(again.stdout)).toMatchObject({ pages: 1, unchanged: 1, changes: [] });
  });
});
