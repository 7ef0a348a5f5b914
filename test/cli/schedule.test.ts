import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { startSyntheticPortal, type SyntheticPortal } from "../../src/crawl/synthetic-portal.js";
import { syntheticTruth } from "../helpers/synthetic-truth.js";
import { captureIo } from "./helpers.js";

let portal: SyntheticPortal;
let dir: string;
beforeAll(async () => {
  portal = await startSyntheticPortal({ reports: 8, perPage: 4 });
  dir = mkdtempSync(join(tmpdir(), "nianbao-schedule-"));
  writeFileSync(join(dir, "sources.json"), JSON.stringify(portal.sources()));
});
afterAll(async () => {
  await portal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("nianbao schedule", () => {
  it("rejects a bad cron expression with exit 2", async () => {
    const io = captureIo(dir);
    expect(await main(["schedule", "--cron", "not cron", "--db", join(dir, "x.db")], io)).toBe(2);
    expect(io.err()).toMatch(/--cron/);
  });

  it("two schedulers on one database never run crawls at the same time; every run is recorded", async () => {
    const db = join(dir, "s.db");
    // Every second; each crawl takes longer than that (delay 120 ms × ~14 requests), so ticks collide.
    const args = ["schedule", "--cron", "* * * * * *", "--max-runs", "3", "--db", db, "--delay-ms", "120", "--quiet", "--json"];
    const a = captureIo(dir);
    const b = captureIo(dir);
    const [ca, cb] = await Promise.all([main(args, a), main(args, b)]);
    expect([ca, cb]).toEqual([0, 0]);
    const d = new Database(db, { readonly: true });
    const runs = d.prepare("SELECT id, started_at AS s, finished_at AS f, status FROM crawl_runs WHERE kind = 'crawl' ORDER BY started_at").all() as { s: string; f: string; status: string }[];
    d.close();
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const r of runs) expect(r.status).toBe("completed");
    for (let i = 1; i < runs.length; i++) expect(Date.parse(runs[i]!.s)).toBeGreaterThanOrEqual(Date.parse(runs[i - 1]!.f));
    // the collisions were seen and skipped, not run
    expect(a.err() + b.err()).toMatch(/skipped: another crawl/);
  }, 30_000);

  it("--once runs one crawl now, without --cron, and lists the new reports", async () => {
    const io = captureIo(dir);
    expect(await main(["schedule", "--once", "--db", join(dir, "o.db"), "--delay-ms", "0", "--quiet"], io), io.err()).toBe(0);
    expect(io.out()).toMatch(/crawl run #1: completed/);
    expect(io.out()).toMatch(/reports: 8 new, 0 changed, 0 unchanged, 0 failed/);
    // One "+ title — agency year <url>" line per new report, with the year its page states.
    const listed = io.out().split("\n").filter((l) => l.startsWith("  + ")).map((l) => /^ {2}\+ (.*) — (.*) (\d{4}) <(.*)>$/.exec(l)!.slice(1));
    const truth = await syntheticTruth(8);
    expect(listed.map(([title, agency, year, url]) => [title, agency, Number(year), new URL(url!).pathname]).sort()).toEqual(
      truth.map((t) => [t.title, t.agency, t.periodYear, t.path]).sort(),
    );
    expect(io.err()).toMatch(/nianbao schedule: run #1 completed: started \S+, ended \S+: 8 new or changed report\(s\)/);
  });

  it("without --once, --cron is required (one line, exit 2)", async () => {
    const io = captureIo(dir);
    expect(await main(["schedule", "--db", join(dir, "n.db")], io)).toBe(2);
    expect(io.err()).toMatch(/^nianbao: --cron <expr> is required \(or --once to run one crawl now\)/);
  });

  it("a bad --timezone is a one-line E_BAD_ARGS, exit 2, before any crawl", async () => {
    const io = captureIo(dir);
    expect(await main(["schedule", "--cron", "0 3 * * *", "--timezone", "Mars/Olympus", "--db", join(dir, "tz.db")], io)).toBe(2);
    expect(io.err()).toBe('nianbao: --timezone: unknown time zone "Mars/Olympus" (give an IANA name such as Asia/Shanghai or UTC) [E_BAD_ARGS]\n');
  });

  it("prints the run's own start and end, and the next run, in --timezone", async () => {
    const io = captureIo(dir);
    const code = await main(["schedule", "--cron", "* * * * * *", "--max-runs", "1", "--timezone", "Asia/Shanghai", "--db", join(dir, "tz2.db"), "--delay-ms", "0", "--quiet"], io);
    expect(code, io.err()).toBe(0);
    const zoned = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Asia\/Shanghai/;
    expect(io.err()).toMatch(new RegExp(`next run at ${zoned.source}`));
    const run = /run #\d+ completed: started (.+? Asia\/Shanghai), ended (.+? Asia\/Shanghai)/.exec(io.err());
    expect(run, io.err()).not.toBeNull();
    // The printed times are the run's (crawl_runs), shown in Shanghai time (UTC+8).
    const d = new Database(join(dir, "tz2.db"), { readonly: true });
    const started = d.prepare("SELECT started_at FROM crawl_runs WHERE kind = 'crawl'").pluck().get() as string;
    d.close();
    const shanghai = new Date(Date.parse(started) + 8 * 3600_000).toISOString().replace("T", " ").slice(0, 19);
    expect(run?.[1]).toBe(`${shanghai} Asia/Shanghai`);
  });
});
