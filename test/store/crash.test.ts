import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ReportRecord } from "../../src/schema/record.js";
import { decompressBody } from "../../src/store/codec.js";
import { openDb } from "../../src/store/db.js";
import { loadRecord } from "../../src/store/records.js";
import { indexPending } from "../../src/store/search-index.js";
import { ChildRegistry, compileSrc } from "../helpers/compiled-src.js";
import { sampleRecord } from "./helpers.js";

/**
 * A process killed (SIGKILL, no cleanup) in the middle of an ingest leaves a consistent database:
 * SQLite's WAL rolls back the page being written, and every page committed before has its report
 * (or rejection), all its values and issues, and its search text.
 *
 * The child runs a compiled copy of src/ (built here with the project's tsc into node_modules/.cache,
 * so it never races with `npm run build` or another test using dist/); a child still running when
 * the test ends (a timeout) is killed.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const PAGES = 300;
const TRIALS = 6;

describe("crash during ingest", () => {
  let work: string;
  let dist: string;
  let compiled: ReturnType<typeof compileSrc>;
  const children = new ChildRegistry();
  const records = new Map<string, ReportRecord>();

  beforeAll(() => {
    compiled = compileSrc("crash-test");
    dist = compiled.dir;
    work = mkdtempSync(join(tmpdir(), "nianbao-crash-"));
    mkdirSync(join(work, "pages"));
    for (let i = 0; i < PAGES; i++) {
      const name = join(work, "pages", `p${String(i).padStart(4, "0")}.txt`);
      if (i % 25 === 7) {
        writeFileSync(name, `not a report ${i}`);
        continue;
      }
      // Many agencies and years, and some second versions of the same agency and year.
      const record = sampleRecord({ agency: `测试局${i % 97}`, year: 2019 + (i % 4), template: i % 4 < 2 ? "2019" : "2021", title: `第${i}页` }, i + 1);
      records.set(name, record);
      writeFileSync(name, JSON.stringify(record));
    }
  }, 120_000);

  afterEach(() => children.killAll());
  afterAll(() => {
    children.killAll();
    if (work) rmSync(work, { recursive: true, force: true });
    compiled?.remove();
  });

  /** Start the child; kill it `delayMs` after it starts writing. Resolves with how it ended. */
  const runChild = (dbPath: string, delayMs: number | null) =>
    new Promise<{ signal: NodeJS.Signals | null; code: number | null; out: string }>((resolve) => {
      const child = children.track(spawn(process.execPath, [join(root, "test/store/crash-child.mjs"), dist, dbPath, join(work, "pages")], { stdio: ["ignore", "pipe", "inherit"] }));
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        const first = out === "";
        out += c.toString();
        if (first && delayMs !== null) setTimeout(() => child.kill("SIGKILL"), delayMs);
      });
      child.on("exit", (code, signal) => resolve({ code, signal, out }));
    });

  const checkConsistent = (dbPath: string) => {
    const db = openDb(dbPath);
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(db.pragma("foreign_key_check")).toEqual([]);
      // Every page has exactly one reading: a report or a rejection.
      expect(db.prepare("SELECT count(*) FROM pages p WHERE (SELECT count(*) FROM reports WHERE page_id = p.id) + (SELECT count(*) FROM rejections WHERE page_id = p.id) != 1").pluck().get()).toBe(0);
      // Every report is whole: what is stored reads back as the record its page holds.
      const pages = db.prepare("SELECT p.url, p.body_codec, p.body, r.id AS report_id FROM pages p JOIN reports r ON r.page_id = p.id").all() as { url: string; body_codec: string; body: Buffer; report_id: number }[];
      for (const p of pages) {
        const stored = JSON.parse(new TextDecoder().decode(decompressBody(p.body_codec, p.body))) as ReportRecord;
        expect(loadRecord(db, p.report_id)).toEqual(stored);
        expect(records.get(fileURLToPath(p.url))).toEqual(stored);
      }
      // Every report is in the search index or queued for it, and the index has nothing else.
      expect(db.prepare("SELECT count(*) FROM reports r WHERE r.id NOT IN (SELECT report_id FROM search_pending) AND r.id NOT IN (SELECT rowid FROM report_text)").pluck().get()).toBe(0);
      expect(db.prepare("SELECT count(*) FROM report_text t LEFT JOIN reports r ON r.id = t.rowid WHERE r.id IS NULL").pluck().get()).toBe(0);
      indexPending(db);
      expect(db.prepare("SELECT count(*) FROM report_text").pluck().get()).toBe(pages.length);
      return db.prepare("SELECT count(*) FROM pages").pluck().get() as number;
    } finally {
      db.close();
    }
  };

  it(`leaves a consistent database after ${TRIALS} SIGKILLs at random moments, and a rerun completes it`, async () => {
    const dbPath = join(work, "crash.db");
    let seed = 20240601;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let killedMidway = 0;
    let stored = 0;
    for (let t = 0; t < TRIALS; t++) {
      const ended = await runChild(dbPath, 5 + Math.floor(random() * 150));
      const now = checkConsistent(dbPath);
      expect(now).toBeGreaterThanOrEqual(stored);
      // Mid-way: this run committed some pages but not all (a kill before its first commit proves nothing).
      if (ended.signal === "SIGKILL" && now > stored && now < PAGES) killedMidway++;
      stored = now;
    }
    // The test only means something if the kills landed while pages were being written.
    expect(killedMidway).toBeGreaterThan(0);
    const final = await runChild(dbPath, null);
    expect(final.code).toBe(0);
    expect(checkConsistent(dbPath)).toBe(PAGES);
    const summary = JSON.parse(final.out.slice(final.out.indexOf("done ") + 5)) as { stored: number; changed: number; unchanged: number; rejected: number };
    expect(summary.unchanged).toBe(stored);
    expect(summary.stored + summary.changed + summary.unchanged + summary.rejected).toBe(PAGES);
  }, 120_000);
});
