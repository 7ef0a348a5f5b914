import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeBody, fakeParser, sampleRecord } from "../store/helpers.js";
import { runCli } from "./io.js";

/**
 * Keeps the README's storage section honest: every storage command has help and is documented, and
 * every `npx nianbao …` example in the section runs (against a small database made with the fake
 * parser). Ingest examples name folders outside the repository and are left out.
 */
const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../README.md"), "utf8");
const start = readme.indexOf("## Storing and querying");
const end = readme.indexOf("\n## ", start + 1);
const section = readme.slice(start, end < 0 ? undefined : end);
const COMMANDS = ["ingest", "search", "reparse", "query", "export", "report", "pin"];
/** The current reports of the example database (an older copy of the first is stored too). */
const CURRENT = [sampleRecord(), sampleRecord({ year: 2020, template: "2019" }), sampleRecord({ agency: "乙县教育局" }, 3)];

/** Split a shell line into words (double and single quotes; no escapes needed in the README). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
}

const examples = [...section.matchAll(/^(?:echo "([^"]*)" \| )?npx nianbao (.+?)(?:\s+#.*)?$/gm)]
  .map((m) => ({ stdin: m[1], argv: words(m[2] as string) }))
  .filter((e) => e.argv[0] !== "ingest");

describe("README: storing and querying", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-docs-"));
    for (const [i, r] of CURRENT.entries()) {
      await runCli(["ingest", "-", "--quiet"], { cwd: dir, parse: fakeParser(), stdin: fakeBody(r, `第${i}份报告：依申请公开，行政复议，信息处理费。`) });
    }
    // An older version of the first report, stored after it: the contract views must not count it.
    const old = sampleRecord({ title: "旧版" }, 11);
    old.issues.push({ code: "cell.unreadable", severity: "error", message: "见附件", paths: ["applications.granted.total"] });
    old.applications["granted"] = { ...old.applications["granted"], total: null };
    await runCli(["ingest", "-", "--quiet"], { cwd: dir, parse: fakeParser(), stdin: fakeBody(old, "旧版：依申请公开。") });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(COMMANDS)("documents `nianbao %s`, which has --help with an example", async (name) => {
    expect(section).toContain(`nianbao ${name}`);
    const r = await runCli([name, "--help"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Example:");
  });

  it("has examples to run", () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });

  it.each(examples.map((e) => [e.argv.join(" "), e] as const))("runs: %s", async (_line, e) => {
    const r = await runCli(e.argv, { cwd: dir, parse: fakeParser(), stdin: e.stdin });
    expect(r.stderr.startsWith("nianbao:"), r.stderr).toBe(false);
    expect(r.code).toBe(0);
  });
});

describe("README's SQL means what the README says", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-docs-sql-"));
    for (const r of CURRENT) await runCli(["ingest", "-", "--quiet"], { cwd: dir, parse: fakeParser(), stdin: fakeBody(r) });
    const old = sampleRecord({ title: "旧版" }, 11);
    old.issues.push({ code: "cell.unreadable", severity: "error", message: "见附件", paths: ["applications.granted.total"] });
    old.applications["granted"] = { ...old.applications["granted"], total: null };
    const r = await runCli(["ingest", "-", "--quiet", "--json"], { cwd: dir, parse: fakeParser(), stdin: fakeBody(old) });
    expect(JSON.parse(r.stdout).changed).toBe(1);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (sql: string) => JSON.parse((await runCli(["query", sql, "--format", "json"], { cwd: dir })).stdout) as Record<string, unknown>[];
  const example = (needle: string) => {
    const e = examples.find((x) => x.argv[0] === "query" && (x.argv[1] ?? "").includes(needle));
    expect(e, needle).toBeDefined();
    return e?.argv[1] as string;
  };

  it("the applications sum counts each current report once, not every stored copy", async () => {
    const want = CURRENT.reduce((t, r) => t + (r.applications["new_received"]?.["total"] ?? 0), 0);
    expect(await run(example("sum(total) AS received"))).toEqual([{ received: want }]);
    const all = await run("SELECT count(DISTINCT report_id) AS n FROM applications_all");
    expect(all).toEqual([{ n: 4 }]);
  });

  it("the contract views hold exactly the reports of reports_latest; report_copies shows the worse copy ranked second", async () => {
    for (const view of ["applications", "active_disclosure", "review_litigation"]) {
      expect(await run(`SELECT count(DISTINCT report_id) AS n FROM ${view} WHERE report_id NOT IN (SELECT report_id FROM reports_latest)`), view).toEqual([{ n: 0 }]);
      expect(await run(`SELECT count(DISTINCT report_id) AS n FROM ${view}`), view).toEqual([{ n: 3 }]);
    }
    const copies = await run(example("FROM report_copies"));
    expect(copies.map((c) => [c["copy_rank"], c["unreadable_cells"]])).toEqual([[1, 0], [2, 1]]);
  });

  it("the key dictionary example lists 表三 in printed order", async () => {
    const sql = example("FROM value_labels");
    const rows = JSON.parse((await runCli(["query", sql, "-p", "agency", "测试市财政局", "-p", "year", "2021", "--format", "json"], { cwd: dir })).stdout) as { row_label: string }[];
    expect(rows[0]?.row_label).toBe("一、本年新收政府信息公开申请数量");
    expect(rows.at(-1)?.row_label).toBe("四、结转下年度继续办理");
    expect(rows).toHaveLength(25);
  });
});
