import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { openDb } from "../../src/store/db.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asUserSkipReason, handOver, runCliAs } from "./as-user.js";

/**
 * A database the user cannot write, or whose folder they cannot write: commands that write fail at
 * once (exit 2, E_DB_OPEN naming the file); commands that only read still work.
 */
// Skipped only where the checkout cannot be entered by another user (asUserSkipReason says why).
describe.skipIf(asUserSkipReason !== null)("database permissions", () => {
  let dir: string;
  let lockedFile: string;
  let lockedDir: string;
  let sources: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-perm-"));
    handOver(dir);
    lockedDir = join(dir, "shelf");
    mkdirSync(lockedDir);
    handOver(lockedDir);
    const seed = join(dir, "seed.txt");
    writeFileSync(seed, '<meta charset="utf-8"><title>x</title>');
    // A real database, made by the CLI as the same user, then locked.
    const made = await runCliAs(["ingest", "fixtures/reports/seed", "--db", join(lockedDir, "nb.db"), "--quiet"]);
    expect(made.code, made.stderr).toBe(0);
    lockedFile = join(dir, "ro.db");
    const made2 = await runCliAs(["ingest", "fixtures/reports/seed", "--db", lockedFile, "--quiet"]);
    expect(made2.code, made2.stderr).toBe(0);
    chmodSync(lockedFile, 0o444);
    chmodSync(lockedDir, 0o555);
    sources = join(dir, "sources.json");
    writeFileSync(sources, JSON.stringify({ sources: [{ id: "x", start: ["http://127.0.0.1:9/"] }] }));
    chmodSync(sources, 0o644);
  }, 60_000);
  afterAll(() => {
    chmodSync(lockedDir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ["a read-only file", () => lockedFile, /permission denied/],
    ["a file in a read-only folder", () => join(lockedDir, "nb.db"), /folder .* is not writable/],
  ])("crawl into %s exits at once with 2 and E_DB_OPEN naming the file", async (_what, db, why) => {
    const r = await runCliAs(["crawl", "--sources", sources, "--db", db(), "--quiet"]);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(db());
    expect(r.stderr).toMatch(why);
    expect(r.stderr).toMatch(/\[E_DB_OPEN\]\n$/);
  });

  it.each([["ingest", "fixtures/reports/seed"], ["reparse"], ["pin", "1"]])("%s on a read-only database is a one-line E_DB_OPEN, exit 2", async (...argv) => {
    const r = await runCliAs([...argv, "--db", lockedFile]);
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^nianbao: cannot write to database .*ro\.db.*\[E_DB_OPEN\]\n$/);
  });

  it("query, search and export read a database whose folder is not writable", async () => {
    const db = join(lockedDir, "nb.db");
    const q = await runCliAs(["query", "SELECT agency, year FROM reports_latest", "--db", db, "--format", "json"]);
    expect(q.code, q.stderr).toBe(0);
    expect(JSON.parse(q.stdout)).toEqual([{ agency: "乌海市财政局", year: 2019 }]);
    const s = await runCliAs(["search", "乌海市财政局", "--db", db]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toContain("乌海市财政局");
    const out = join(dir, "export");
    const e = await runCliAs(["export", "--db", db, "--out", out, "--format", "csv"]);
    expect(e.code, e.stderr).toBe(0);
    expect(existsSync(join(out, "reports_latest.csv"))).toBe(true);
    expect(existsSync(`${db}-shm`)).toBe(false);
  });

  it("says exactly why when a locked folder's database has changes only in its -wal file", async () => {
    const shelf = join(dir, "wal-shelf");
    mkdirSync(shelf);
    handOver(shelf);
    // A database whose last write is still in the -wal file (its writer has not checkpointed), copied
    // without its -shm: reading it without writing anything would miss that write.
    const live = openDb(join(dir, "live.db"));
    live.pragma("wal_autocheckpoint = 0");
    live.prepare("INSERT INTO sources (id, name) VALUES ('late', '最后写入')").run();
    copyFileSync(join(dir, "live.db"), join(shelf, "nb.db"));
    copyFileSync(join(dir, "live.db-wal"), join(shelf, "nb.db-wal"));
    live.close();
    chmodSync(shelf, 0o555);
    const r = await runCliAs(["query", "SELECT name FROM sources", "--db", join(shelf, "nb.db")]);
    chmodSync(shelf, 0o755);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nianbao: cannot open .*nb\.db read-only: the folder .* is not writable and .*nb\.db-wal holds changes not yet written into the database; .* \[E_DB_OPEN\]\n$/);
  });
});
