import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./io.js";

const FIX = join(import.meta.dirname, "..", "..", "fixtures", "reports");
const tmpDirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "nianbao-cli-"));
  tmpDirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of tmpDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("nianbao parse", () => {
  it("prints the record as JSON and exits 0", async () => {
    const r = await runCli(["parse", join(FIX, "html-2021-pingtan-zrz", "input.html")]);
    expect(r.code).toBe(0);
    const rec = JSON.parse(r.stdout);
    expect(rec.agency).toBe("平潭综合实验区自然资源与生态环境局");
    expect(rec.applications.new_received.total).toBe(69);
    expect(rec.provenance).toBeUndefined();
    expect(r.stderr).toBe("");
  });

  it("adds provenance with --provenance", async () => {
    const r = await runCli(["parse", "--provenance", join(FIX, "html-2021-pingtan-zrz", "input.html")]);
    const rec = JSON.parse(r.stdout);
    expect(rec.provenance["active.licensing.decisions"]).toMatchObject({ raw: "308", source: "html" });
  });

  it("prints a readable summary with --format summary, issues included", async () => {
    const r = await runCli(["parse", "--format", "summary", join(FIX, "md-2021-shanghai-kewei", "input.txt")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("上海市科委");
    expect(r.stdout).toContain("表三");
    expect(r.stdout).toContain("identity.applications.balance");
  });

  it("reads stdin with -", async () => {
    const r = await runCli(["parse", "-"], { stdin: readFileSync(join(FIX, "seed", "input.txt")) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).agency).toBe("乌海市财政局");
  });

  it("exits 2 with one line when the input is not a report", async () => {
    const d = tmp();
    const f = join(d, "news.html");
    writeFileSync(f, "<html><head><title>新闻</title></head><body><p>今天天气很好。</p></body></html>");
    const r = await runCli(["parse", f]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^nianbao: not a readable annual report/);
  });

  it("says a list page is a list, not a report", async () => {
    const d = tmp();
    const f = join(d, "list.html");
    const items = [2023, 2022, 2021, 2020, 2015].map((y) => `<li><a href="./t${y}.html">某县人民政府${y}年政府信息公开工作年度报告</a></li>`).join("");
    writeFileSync(f, `<html><head><title>政府信息公开年报</title></head><body><ul>${items}</ul></body></html>`);
    const r = await runCli(["parse", f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a list of reports \(5 report titles\)/);
  });

  it("exits 2 on a missing file, an empty input, a bad flag value and an unknown flag", async () => {
    expect((await runCli(["parse", "/nonexistent/file.html"])).code).toBe(2);
    expect((await runCli(["parse", "-"], { stdin: "" })).code).toBe(2);
    const bad = await runCli(["parse", "--format", "xml", join(FIX, "seed", "input.txt")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    const unknown = await runCli(["parse", "--frobnicate", join(FIX, "seed", "input.txt")]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option");
  });

  it("--help describes the command and its example", async () => {
    const r = await runCli(["parse", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--provenance");
    expect(r.stdout).toContain("Example:");
  });
});

describe("nianbao fixture add", () => {
  it("saves the page with its current parse for review", async () => {
    const d = tmp();
    const r = await runCli(["fixture", "add", join(FIX, "seed", "input.txt"), "--name", "my-case", "--dir", "fx"], { cwd: d });
    expect(r.code).toBe(0);
    const dir = join(d, "fx", "my-case");
    expect(readFileSync(join(dir, "input.txt"), "utf8")).toBe(readFileSync(join(FIX, "seed", "input.txt"), "utf8"));
    expect(JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")).agency).toBe("乌海市财政局");
    expect(Array.isArray(JSON.parse(readFileSync(join(dir, "issues.json"), "utf8")))).toBe(true);
    // A second add with the same name refuses rather than overwrite a reviewed fixture.
    const again = await runCli(["fixture", "add", join(FIX, "seed", "input.txt"), "--name", "my-case", "--dir", "fx"], { cwd: d });
    expect(again.code).toBe(2);
  });

  it("records a non-report page as such", async () => {
    const d = tmp();
    const f = join(d, "x.html");
    writeFileSync(f, "<html><body><p>通知</p><a href='/files/2023nb.pdf'>2023年政府信息公开工作年度报告</a></body></html>");
    const r = await runCli(["fixture", "add", f, "--dir", "fx"], { cwd: d });
    expect(r.code).toBe(0);
    const meta = JSON.parse(readFileSync(join(d, "fx", "x", "meta.json"), "utf8"));
    expect(meta.notReport).toBeTruthy();
    expect(existsSync(join(d, "fx", "x", "expected.json"))).toBe(false);
  });
});
