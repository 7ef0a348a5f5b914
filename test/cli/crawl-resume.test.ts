import { createHash } from "node:crypto";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSyntheticPortal, type SyntheticPortal } from "../../src/crawl/synthetic-portal.js";
import { decompressBody } from "../../src/store/codec.js";
import { ChildRegistry, compileSrc } from "../helpers/compiled-src.js";

// SIGKILL a real `nianbao crawl` process at random moments, resume it, and compare the database
// with an uninterrupted run's. The comparison is on stored pages (url, sha256) and on what became
// of each page (report or rejection), so it holds with the stub parser and with the real one.
// The CLI runs from a private compiled copy of src/ (never dist/ in the working tree), and every
// child still running when a test ends — a timeout included — is killed.
let bin: string;
let compiled: ReturnType<typeof compileSrc>;
const children = new ChildRegistry();
let portal: SyntheticPortal;
let dir: string;
let sources: string;

beforeAll(async () => {
  compiled = compileSrc("crawl-resume");
  bin = join(compiled.dir, "cli/bin.js");
  portal = await startSyntheticPortal({ reports: 60, perPage: 15 });
  dir = mkdtempSync(join(tmpdir(), "nianbao-resume-"));
  sources = join(dir, "sources.json");
  writeFileSync(sources, JSON.stringify(portal.sources()));
}, 60_000);
afterEach(() => children.killAll());
afterAll(async () => {
  children.killAll();
  await portal?.close();
  compiled?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Paced (20 ms between requests to the host) so the run spans several group commits (at most
// 250 ms each): a kill then lands with part of the pages stored, which is what this test is for.
function crawl(db: string, killAfterMs: number | null): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((ok) => {
    const child = children.track(
      spawn(process.execPath, [bin, "crawl", "--sources", sources, "--db", db, "--delay-ms", "20", "--per-host", "2", "--concurrency", "2", "--quiet", "--json"], {
        cwd: dir,
        stdio: "ignore",
      }),
    );
    const t = killAfterMs === null ? null : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("exit", (code, signal) => {
      if (t) clearTimeout(t);
      ok({ code, signal });
    });
  });
}

function snapshot(db: string) {
  const d = new Database(db, { readonly: true });
  try {
    const pages = d.prepare("SELECT url, sha256 FROM pages ORDER BY url, sha256").all();
    const fate = d
      .prepare(
        `SELECT p.url, CASE WHEN r.id IS NOT NULL THEN 'report' WHEN j.page_id IS NOT NULL THEN 'rejected:' || j.code ELSE 'none' END AS fate
         FROM pages p LEFT JOIN reports r ON r.page_id = p.id LEFT JOIN rejections j ON j.page_id = p.id ORDER BY p.url`,
      )
      .all();
    const frontier = d.prepare("SELECT url, state FROM crawl_frontier ORDER BY url").all();
    // The sha256 the crawler hands the store is the stored body's (dedupe and merge trust it).
    const wrongSha = (d.prepare("SELECT url, sha256, body_codec, body FROM pages").all() as { url: string; sha256: string; body_codec: string; body: Buffer }[])
      .filter((p) => createHash("sha256").update(decompressBody(p.body_codec, p.body)).digest("hex") !== p.sha256)
      .map((p) => p.url);
    return { pages, fate, frontier, wrongSha };
  } finally {
    d.close();
  }
}

describe("crawl survives SIGKILL", () => {
  it("resumes after kills at random moments and ends with exactly the uninterrupted run's pages and reports", async () => {
    const baseDb = join(dir, "base.db");
    const t0 = performance.now();
    expect((await crawl(baseDb, null)).code).toBe(0);
    // Kill moments scale with how long a whole run takes on this machine (startup included).
    const runMs = performance.now() - t0;
    const base = snapshot(baseDb);
    expect(base.wrongSha).toEqual([]);
    expect(base.pages).toHaveLength(60);
    expect(base.frontier.every((f) => (f as { state: string }).state === "done")).toBe(true);

    // Deterministic "random" moments, so a failure can be replayed.
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    let kills = 0;
    let midway = 0;
    for (let trial = 0; trial < 4; trial++) {
      const db = join(dir, `trial-${trial}.db`);
      let finished = false;
      for (let attempt = 0; attempt < 25 && !finished; attempt++) {
        const r = await crawl(db, attempt < 3 ? Math.floor(runMs * (0.3 + 0.6 * rand())) : null);
        if (r.signal === "SIGKILL") {
          kills++;
          try {
            const n = snapshot(db).pages.length;
            if (n > 0 && n < 60) midway++;
          } catch {
            /* killed before the database existed */
          }
        }
        else {
          expect(r.code).toBe(0);
          finished = true;
        }
      }
      expect(finished).toBe(true);
      expect(snapshot(db)).toEqual(base);
    }
    // some kills landed in the middle of the crawl, with part of the pages stored
    expect(kills).toBeGreaterThan(0);
    expect(midway).toBeGreaterThan(0);
  }, 90_000);
});

/** Run a crawl slowed by a per-host delay and send it `signal` once it has stored a few pages. */
function crawlAndSignal(db: string, signal: "SIGINT" | "SIGTERM"): Promise<{ code: number | null; stdout: string }> {
  return new Promise((ok) => {
    const child = children.track(
      spawn(process.execPath, [bin, "crawl", "--sources", sources, "--db", db, "--delay-ms", "150", "--quiet", "--json"], {
        cwd: dir,
        stdio: ["ignore", "pipe", "ignore"],
      }),
    );
    let stdout = "";
    child.stdout.on("data", (c) => (stdout += String(c)));
    // Signal once pages are being stored (polled through a read-only connection, bounded).
    let polls = 0;
    const poll = setInterval(() => {
      polls++;
      let n = 0;
      try {
        const d = new Database(db, { readonly: true, fileMustExist: true });
        n = (d.prepare("SELECT count(*) FROM pages").pluck().get() as number) ?? 0;
        d.close();
      } catch {
        /* not created yet */
      }
      if (n >= 3 || polls > 400) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 25);
    child.on("exit", (code) => {
      clearInterval(poll);
      ok({ code, stdout });
    });
  });
}

describe("crawl stops cleanly on SIGINT and SIGTERM", () => {
  for (const [signal, exitCode] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    it(`${signal}: finishes the pages in flight, records the run as interrupted, prints the summary, and resumes`, async () => {
      const db = join(dir, `${signal}.db`);
      const r = await crawlAndSignal(db, signal);
      expect(r.code).toBe(exitCode);
      const summary = JSON.parse(r.stdout) as { outcome: string };
      expect(summary.outcome).toBe("interrupted");
      const d = new Database(db, { readonly: true });
      const inProgress = d.prepare("SELECT count(*) FROM crawl_frontier WHERE state = 'in_progress'").pluck().get();
      const run = d.prepare("SELECT status, finished_at FROM crawl_runs ORDER BY id DESC LIMIT 1").get() as { status: string; finished_at: string | null };
      const stored = d.prepare("SELECT count(*) FROM pages").pluck().get() as number;
      d.close();
      // Nothing left half-done: every page handed out was finished and recorded.
      expect(inProgress).toBe(0);
      expect(run.status).toBe("interrupted");
      expect(run.finished_at).not.toBeNull();
      expect(stored).toBeGreaterThan(0);
      expect(stored).toBeLessThan(60);
      // A plain rerun goes on where it stopped.
      expect((await crawl(db, null)).code).toBe(0);
      expect(snapshot(db).pages).toHaveLength(60);
    }, 60_000);
  }
});
