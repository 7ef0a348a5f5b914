import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { CrawlSummary } from "../../src/crawl/summary.js";
import { startSyntheticPortal, type SyntheticPortal } from "../../src/crawl/synthetic-portal.js";
import { syntheticTruth, type SyntheticReportTruth } from "../helpers/synthetic-truth.js";
import { captureIo } from "./helpers.js";

let portal: SyntheticPortal;
let dir: string;
let truth: SyntheticReportTruth[];
beforeAll(async () => {
  portal = await startSyntheticPortal({ reports: 12, perPage: 5 });
  truth = await syntheticTruth(12);
  dir = mkdtempSync(join(tmpdir(), "nianbao-cli-crawl-"));
  writeFileSync(join(dir, "sources.json"), JSON.stringify(portal.sources()));
});
afterAll(async () => {
  await portal.close();
  rmSync(dir, { recursive: true, force: true });
});

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
    expect(s1.reports).toEqual({ new: 12, changed: 0, unchanged: 0, failed: 0 });
    expect(s1.failures).toEqual([]);
    // Every report, with the agency and the statistical year its page states (not the list's year).
    const listed = s1.newReports.map((r) => ({ path: new URL(r.url).pathname, title: r.title, agency: r.agency, year: r.year }));
    expect(listed.sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      truth.map((t) => ({ path: t.path, title: t.title, agency: t.agency, year: t.periodYear })).sort((a, b) => a.path.localeCompare(b.path)),
    );

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
    // The views hold what the pages print (表三 as the generator made it), one report per page.
    const latest = d.prepare("SELECT report_id AS id, agency, year, template, source_url AS url FROM reports_latest ORDER BY report_id").all() as {
      id: number;
      agency: string;
      year: number;
      template: string;
      url: string;
    }[];
    expect(latest).toHaveLength(12);
    const row = d.prepare("SELECT natural_person, commercial, research, social_org, legal_service, other_org, total FROM applications WHERE report_id = ? AND row_key = ?");
    const conflicts = d.prepare("SELECT count(*) FROM report_issues WHERE report_id = ? AND code = 'meta.year_conflict'").pluck();
    for (const r of latest) {
      const t = truth.find((x) => x.path === new URL(r.url).pathname)!;
      expect({ agency: r.agency, year: r.year, template: r.template }, t.path).toEqual({ agency: t.agency, year: t.periodYear, template: t.template });
      expect(Object.values(row.get(r.id, "new_received") as object), t.path).toEqual(t.newReceived);
      expect(Object.values(row.get(r.id, "carried_forward") as object), t.path).toEqual(t.carriedForward);
      // A title year that differs from the statistical period is said, not silently dropped.
      expect(conflicts.get(r.id), t.path).toBe(t.listedYear === t.periodYear ? 0 : 1);
    }
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
