import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { CrawlSummary } from "../../src/crawl/summary.js";
import { startSyntheticPortal, type SyntheticPortal } from "../../src/crawl/synthetic-portal.js";
import { captureIo } from "./helpers.js";

let portal: SyntheticPortal;
let dir: string;
beforeAll(async () => {
  portal = await startSyntheticPortal({ reports: 12, perPage: 5 });
  dir = mkdtempSync(join(tmpdir(), "nianbao-cli-crawl-"));
  writeFileSync(join(dir, "sources.json"), JSON.stringify(portal.sources()));
});
afterAll(() => portal.close());

const FAST = ["--delay-ms", "0", "--quiet"];

describe("nianbao crawl", () => {
  it("exits 2 with one line naming the bad field of the sources file", async () => {
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ sources: [{ id: "x", start: ["not a url"] }] }));
    const io = captureIo(dir);
    expect(await main(["crawl", "--sources", "bad.json", "--db", "x.db"], io)).toBe(2);
    expect(io.err()).toMatch(/^nianbao: .*bad\.json: sources\[0\]\.start\[0\]: .*\n$/);
  });

  it("warns once, on stderr, when no contact is given; not with --contact", async () => {
    const io = captureIo(dir);
    expect(await main(["crawl", "--db", join(dir, "ua.db"), "--json", ...FAST], io)).toBe(0);
    expect(io.err().match(/no --contact given/g)).toHaveLength(1);
    const withContact = captureIo(dir);
    expect(await main(["crawl", "--db", join(dir, "ua.db"), "--json", "--contact", "ops@example.org", ...FAST], withContact)).toBe(0);
    expect(withContact.err()).not.toMatch(/no --contact given/);
  });

  it("exits 2 on a bad flag value and on an unknown flag", async () => {
    expect(await main(["crawl", "--concurrency", "0", "--db", "x.db"], captureIo(dir))).toBe(2);
    expect(await main(["crawl", "--bogus"], captureIo(dir))).toBe(2);
  });

  it("crawls into the database, prints a JSON summary, then revalidates lists with conditional GET and fetches reports once", async () => {
    const db = join(dir, "a.db");
    const io = captureIo(dir);
    expect(await main(["crawl", "--db", db, "--json", ...FAST], io)).toBe(0);
    const first = JSON.parse(io.out()) as CrawlSummary;
    const s1 = first.sources[0]!;
    expect(first.outcome).toBe("completed");
    // home, platform, 3 list pages (index, index_1, index_2), 12 reports
    expect(s1.pagesFetched).toBe(17);
    expect(s1.reports.new + s1.reports.failed).toBe(12);

    const before = portal.requests();
    const io2 = captureIo(dir);
    expect(await main(["crawl", "--db", db, "--json", ...FAST], io2)).toBe(0);
    const s2 = (JSON.parse(io2.out()) as CrawlSummary).sources[0]!;
    expect(s2.pagesFetched).toBe(5);
    expect(s2.notModified).toBe(5);
    expect(s2.reports).toEqual({ new: 0, changed: 0, unchanged: 0, failed: 0 });
    expect(portal.requests() - before).toBe(6); // 5 lists + robots.txt

    const io3 = captureIo(dir);
    expect(await main(["crawl", "--db", db, "--json", "--refresh", ...FAST], io3)).toBe(0);
    const s3 = (JSON.parse(io3.out()) as CrawlSummary).sources[0]!;
    expect(s3.pagesFetched).toBe(17);
    expect(s3.reports.unchanged).toBe(12);

    const d = new Database(db, { readonly: true });
    const runs = d.prepare("SELECT status FROM crawl_runs WHERE kind = 'crawl' ORDER BY id").all();
    expect(runs).toEqual([{ status: "completed" }, { status: "completed" }, { status: "completed" }]);
    expect((d.prepare("SELECT COUNT(*) AS n FROM pages").get() as { n: number }).n).toBe(12);
    d.close();
  });

  it("stops at --max-pages and goes on from there in the next run", async () => {
    const db = join(dir, "b.db");
    const io = captureIo(dir);
    expect(await main(["crawl", "--db", db, "--json", "--max-pages", "6", ...FAST], io)).toBe(0);
    const a = JSON.parse(io.out()) as CrawlSummary;
    expect(a.outcome).toBe("limit");
    expect(a.sources[0]!.pagesFetched).toBe(6);
    expect(a.sources[0]!.queuedLeft).toBeGreaterThan(0);
    const io2 = captureIo(dir);
    expect(await main(["crawl", "--db", db, "--json", ...FAST], io2)).toBe(0);
    const b = JSON.parse(io2.out()) as CrawlSummary;
    expect(b.resumed).toBe(true);
    expect(b.sources[0]!.pagesFetched).toBe(11);
    expect(b.sources[0]!.queuedLeft).toBe(0);
  });

  it("prints a human summary by default and refuses to run while another crawl holds the lease", async () => {
    const db = join(dir, "c.db");
    const io = captureIo(dir);
    expect(await main(["crawl", "--db", db, ...FAST], io)).toBe(0);
    expect(io.out()).toMatch(/^crawl run #1: completed in/);
    expect(io.out()).toMatch(/pages fetched: 17 \(0 not modified\)/);
    const d = new Database(db);
    d.prepare("INSERT INTO crawl_lease (name, holder, pid, hostname, acquired_at, expires_at) VALUES ('crawl', 'other', 1, 'elsewhere', '', ?)").run(Date.now() + 60_000);
    d.close();
    const io2 = captureIo(dir);
    expect(await main(["crawl", "--db", db, ...FAST], io2)).toBe(2);
    expect(io2.err()).toMatch(/another crawl \(other, pid 1 on elsewhere\) is running/);
  });
});
