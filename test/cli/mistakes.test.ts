import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeBody, fakeParser, sampleRecord } from "../store/helpers.js";
import { asUserSkipReason, handOver, root, runCliAs } from "./as-user.js";
import { runCli } from "./io.js";

/** A user's mistakes get one line on stderr ending in the error code, and exit 2; nothing is created by a typo. */
describe("user mistakes", () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-mistakes-"));
    handOver(dir);
    db = join(dir, "nb.db");
    for (const r of [sampleRecord({ issues: [] }), sampleRecord({ issues: [] }, 4)]) {
      const res = await runCli(["ingest", "-", "--db", db, "--quiet"], { parse: fakeParser(), stdin: fakeBody(r) });
      expect(res.code, res.stderr).toBe(0);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([["reparse"], ["pin", "1"], ["query", "SELECT 1"], ["search", "信息公开"], ["export", "--out", "x"]])("%s refuses a database that does not exist", async (...argv) => {
    const typo = join(dir, "typo.db");
    const r = await runCli([...argv, "--db", typo], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nianbao: no database at .*typo\.db .*\[E_DB_OPEN\]\n$/);
    expect(existsSync(typo)).toBe(false);
  });

  it("export --out at a file is a one-line error", async () => {
    const file = join(dir, "not-a-folder.csv");
    writeFileSync(file, "keep me");
    const r = await runCli(["export", "--db", db, "--out", file], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nianbao: --out .*not-a-folder\.csv: this is a file; give a folder .*\[E_BAD_ARGS\]\n$/);
    expect(readFileSync(file, "utf8")).toBe("keep me");
  });

  // Skipped only where the checkout cannot be entered by another user (asUserSkipReason says why).
  it.skipIf(asUserSkipReason !== null)("export --out into a folder the user cannot write is a one-line error", async () => {
    const locked = join(dir, "locked");
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    const r = await runCliAs(["export", "--db", db, "--out", join(locked, "out")]);
    chmodSync(locked, 0o755);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nianbao: --out .*: cannot create this folder: permission denied \[E_BAD_ARGS\]\n$/);
  });

  it("export --help offers only the formats export writes", async () => {
    const r = await runCli(["export", "--help"]);
    expect(r.stdout).not.toMatch(/csv and table|"table"/);
    expect(r.stdout).toMatch(/--no-headers +omit the header line \(csv\)/);
  });

  it("demo --portal at a folder without a portal is a one-line error", async () => {
    const r = await runCli(["demo", "--portal", join(dir, "nowhere"), "--db", join(dir, "demo.db")], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nianbao: --portal .*nowhere: no portal\.json there .*\[E_BAD_ARGS\]\n$/);
  });

  it.skipIf(asUserSkipReason !== null)("an unreadable folder or file inside an ingest walk is skipped and reported; the rest is stored", async () => {
    const walk = join(dir, "walk");
    mkdirSync(join(walk, "closed"), { recursive: true });
    handOver(walk);
    writeFileSync(join(walk, "a.txt"), readFileSync(join(root, "fixtures/reports/seed/input.txt")));
    writeFileSync(join(walk, "secret.txt"), "x");
    writeFileSync(join(walk, "closed", "b.txt"), "y");
    chmodSync(join(walk, "a.txt"), 0o644);
    chmodSync(join(walk, "secret.txt"), 0o000);
    chmodSync(join(walk, "closed"), 0o000);
    const r = await runCliAs(["ingest", walk, "--db", join(dir, "walk.db")]);
    chmodSync(join(walk, "closed"), 0o755);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/ingested 1 page .*: 1 stored, .*; 2 unreadable \(skipped\)/);
    expect(r.stderr).toContain(`unreadable ${join(walk, "closed")}: permission denied`);
    expect(r.stderr).toContain(`unreadable ${join(walk, "secret.txt")}: permission denied`);
  });

  it("pin makes a copy the one the views show; --clear goes back to the ranking", async () => {
    const ids = JSON.parse((await runCli(["query", "SELECT report_id, is_latest FROM reports_all ORDER BY report_id", "--db", db, "--format", "json"])).stdout) as { report_id: number; is_latest: number }[];
    expect(ids.map((r) => r.is_latest)).toEqual([0, 1]);
    const older = ids[0]?.report_id as number;
    const pin = await runCli(["pin", String(older), "--note", "the newer page has a typo", "--db", db]);
    expect(pin.code, pin.stderr).toBe(0);
    expect(pin.stdout).toMatch(/report_id/);
    const latest = async () => (await runCli(["query", "SELECT report_id FROM reports_latest", "--db", db, "--format", "csv", "--no-headers"])).stdout.trim();
    expect(await latest()).toBe(String(older));
    expect((await runCli(["pin", String(older), "--clear", "--db", db])).code).toBe(0);
    expect(await latest()).toBe(String(ids[1]?.report_id));
    const bad = await runCli(["pin", "abc", "--db", db]);
    expect([bad.code, bad.stderr]).toEqual([2, 'nianbao: report_id must be a positive integer (got "abc") [E_BAD_ARGS]\n']);
  });
});
