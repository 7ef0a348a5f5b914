import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeBody, fakeParser, sampleRecord } from "../store/helpers.js";
import { runCli } from "./io.js";

describe("nianbao search", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-cli-search-"));
    await runCli(["ingest", "-", "--quiet"], { cwd: dir, parse: fakeParser(), stdin: fakeBody(sampleRecord(), "本机关本年度收取信息处理费0元。") });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lists agency, year, title and a snippet", async () => {
    const r = await runCli(["search", "信息处理费", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(hits).toEqual([{ report_id: 1, agency: "测试市财政局", year: 2021, title: "测试市财政局2021年政府信息公开工作年度报告", snippet: expect.stringContaining("[信息处理费]") }]);
  });

  it("says so on stderr when nothing matches or a term is short", async () => {
    const none = await runCli(["search", "没有这个词"], { cwd: dir });
    expect(none).toMatchObject({ code: 0, stderr: "no matching reports\n" });
    const short = await runCli(["search", "费"], { cwd: dir });
    expect(short.stderr).toMatch(/shorter than 3 characters/);
    expect(short.stdout).toContain("测试市财政局");
  });
});
