import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeBody, fakeParser, sampleRecord } from "../store/helpers.js";
import { runCli } from "./io.js";

describe("nianbao export", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-cli-export-"));
    await runCli(["ingest", "-", "--quiet"], { cwd: dir, parse: fakeParser(), stdin: fakeBody(sampleRecord()) });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes every view as CSV", async () => {
    const r = await runCli(["export", "--out", "out"], { cwd: dir });
    expect(r.code).toBe(0);
    const files = readdirSync(join(dir, "out"));
    expect(files).toEqual(expect.arrayContaining(["reports_latest.csv", "applications.csv", "active_disclosure.csv", "review_litigation.csv", "report_issues.csv", "carry_over_check.csv"]));
    expect(files.some((f) => f.startsWith("pages"))).toBe(false);
    const apps = readFileSync(join(dir, "out/applications.csv"), "utf8").trim().split("\n");
    expect(apps[0]).toBe("report_id,row_key,natural_person,commercial,research,social_org,legal_service,other_org,total");
    expect(apps).toHaveLength(26);
    expect(r.stderr).toContain("view applications: 25 rows");
  });

  it("with --tables and jsonl, writes the tables too, without raw bodies", async () => {
    const r = await runCli(["export", "--out", "j", "--format", "jsonl", "--tables"], { cwd: dir });
    expect(r.code).toBe(0);
    const page = JSON.parse(readFileSync(join(dir, "j/pages.jsonl"), "utf8")) as Record<string, unknown>;
    expect(page).toMatchObject({ id: 1, status: 200, body_codec: "br" });
    expect(page).not.toHaveProperty("body");
    expect(readdirSync(join(dir, "j")).filter((f) => f.startsWith("report_text"))).toEqual(["report_text.jsonl"]);
  });

  it("needs --out and a known format", async () => {
    expect((await runCli(["export"], { cwd: dir })).code).toBe(2);
    expect((await runCli(["export", "--out", "x", "--format", "table"], { cwd: dir })).code).toBe(2);
  });
});
