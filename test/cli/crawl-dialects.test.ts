import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { startPortal, type RunningPortal } from "../../src/crawl/sample-portal.js";
import type { CrawlSummary } from "../../src/crawl/summary.js";
import { captureIo } from "./helpers.js";

// The Fujian-style and WebBuilder-style sample sites through the real CLI, parser and store.
let portal: RunningPortal;
let dir: string;
beforeAll(async () => {
  portal = await startPortal();
  dir = mkdtempSync(join(tmpdir(), "nianbao-cli-dialects-"));
  const doc = portal.sources();
  writeFileSync(join(dir, "sources.json"), JSON.stringify({ sources: doc.sources.filter((s) => s.id === "sample-fujian-county" || s.id === "sample-webbuilder-bureau") }));
});
afterAll(async () => {
  await portal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("nianbao crawl of API-paged sites", () => {
  it("stores every report once, then on the next pass revalidates list pages with conditional GET and asks the APIs again", async () => {
    const db = join(dir, "d.db");
    const io = captureIo(dir);
    expect(await main(["crawl", "--db", db, "--json", "--delay-ms", "0", "--quiet"], io)).toBe(0);
    const by = Object.fromEntries((JSON.parse(io.out()) as CrawlSummary).sources.map((s) => [s.id, s]));
    expect(by["sample-fujian-county"]!.reports).toEqual({ new: 39, changed: 0, unchanged: 0, failed: 0 });
    expect(by["sample-webbuilder-bureau"]!.reports).toEqual({ new: 6, changed: 0, unchanged: 0, failed: 0 });
    for (const s of Object.values(by)) expect([s.failures, s.unreached, s.listIssues]).toEqual([[], [], []]);
    // agencies come from the reports, not from the list
    expect(new Set(by["sample-fujian-county"]!.newReports.map((r) => r.agency)).size).toBe(25 + 1 + 11);

    const posts = () => portal.requests.filter((r) => r.method === "POST").length;
    const before = posts();
    const io2 = captureIo(dir);
    expect(await main(["crawl", "--db", db, "--json", "--delay-ms", "0", "--quiet"], io2)).toBe(0);
    const again = (JSON.parse(io2.out()) as CrawlSummary).sources;
    for (const s of again) {
      expect(s.reports).toEqual({ new: 0, changed: 0, unchanged: 0, failed: 0 });
      expect(s.unreached).toEqual([]);
    }
    // Fujian: 3 API pages; WebBuilder: 2 — a POST has no validators, so it is asked again.
    expect(posts() - before).toBe(5);
    const fj = again.find((s) => s.id === "sample-fujian-county")!;
    expect(fj.notModified).toBe(fj.pagesFetched - 3);
  }, 60_000);
});
