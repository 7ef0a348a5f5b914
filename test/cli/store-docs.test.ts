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
const COMMANDS = ["ingest", "search", "reparse", "query", "export", "report"];

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
    for (const [i, r] of [sampleRecord(), sampleRecord({ year: 2020, template: "2019" }), sampleRecord({ agency: "乙县教育局" }, 3)].entries()) {
      await runCli(["ingest", "-", "--quiet"], { cwd: dir, parse: fakeParser(), stdin: fakeBody(r, `第${i}份报告：依申请公开，行政复议，信息处理费。`) });
    }
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
