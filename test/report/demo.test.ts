import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/io.js";

describe("nianbao demo (npm start)", () => {
  const dir = mkdtempSync(join(tmpdir(), "nianbao-demo-report-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("ends by writing report.html beside the database and prints its path", async () => {
    const db = join(dir, "data", "nianbao.db");
    const r = await runCli(["demo", "--db", db, "--quiet", "--delay-ms", "0"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const file = join(dir, "data", "report.html");
    expect(r.stdout).toContain(`report: ${file}\n`);
    expect(existsSync(file)).toBe(true);
    const html = readFileSync(file, "utf8");
    // The sample portal's reports are in the page's data.
    expect(html).toMatch(/"bodies":\["示例/);
  });
});
