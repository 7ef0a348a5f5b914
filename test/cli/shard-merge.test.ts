import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { shardOf } from "../../src/crawl/sources.js";
import { startSyntheticPortal, type SyntheticPortal } from "../../src/crawl/synthetic-portal.js";
import { searchReports } from "../../src/store/search.js";
import { captureIo } from "./helpers.js";

// Three sources on two portals, split into two shards crawled into their own databases, merged,
// and compared with one crawl of all three. Sources a and c crawl the same portal, and land in
// different shards: their pages are in both shard databases and must be stored once.
let p1: SyntheticPortal;
let p2: SyntheticPortal;
let dir: string;
const ids = { a: "", b: "", c: "" };

beforeAll(async () => {
  p1 = await startSyntheticPortal({ reports: 6, perPage: 4, chromeBytes: 3000 });
  p2 = await startSyntheticPortal({ reports: 5, perPage: 4 });
  dir = mkdtempSync(join(tmpdir(), "nianbao-shard-"));
  for (let n = 0; !ids.a && n < 1000; n++) if (shardOf(`a${n}`, 2) === 1 && shardOf(`c${n}`, 2) === 2) Object.assign(ids, { a: `a${n}`, c: `c${n}`, b: `b${n}` });
  if (!ids.a) throw new Error("no source ids found that split across the two shards");
  const src = (id: string, p: SyntheticPortal) => ({ ...p.sources().sources[0]!, id, name: id });
  writeFileSync(join(dir, "sources.json"), JSON.stringify({ sources: [src(ids.a, p1), src(ids.b, p2), src(ids.c, p1)] }));
});
afterAll(async () => {
  await p1.close();
  await p2.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = async (args: string[]) => {
  const io = captureIo(dir);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
};
const crawl = (db: string, ...more: string[]) => run(["crawl", "--db", join(dir, db), "--delay-ms", "0", "--quiet", ...more]);

function contents(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const q = (sql: string) => db.prepare(sql).all();
    return {
      pages: q("SELECT url, sha256 FROM pages ORDER BY url, sha256"),
      reports: q("SELECT p.url, r.agency, r.year, r.title FROM reports r JOIN pages p ON p.id = r.page_id ORDER BY p.url"),
      values: q("SELECT p.url, k.section, k.row_key, k.col_key, v.value, v.raw FROM report_values v JOIN value_keys k ON k.id = v.key_id JOIN reports r ON r.id = v.report_id JOIN pages p ON p.id = r.page_id ORDER BY 1, 2, 3, 4"),
      issues: q("SELECT p.url, i.ord, i.code FROM issues i JOIN reports r ON r.id = i.report_id JOIN pages p ON p.id = r.page_id ORDER BY 1, 2"),
      text: q("SELECT p.url, t.body FROM report_text t JOIN reports r ON r.id = t.rowid JOIN pages p ON p.id = r.page_id ORDER BY 1"),
      latest: q("SELECT agency, year, title FROM reports_latest ORDER BY agency, year"),
      urls: q("SELECT p.url AS page, u.url FROM page_urls u JOIN pages p ON p.id = u.page_id ORDER BY 1, 2"),
    };
  } finally {
    db.close();
  }
}

describe("crawl --shard and merge", () => {
  it("splits the sources by a stable hash, and the merge of the shards equals one crawl of everything", async () => {
    expect((await crawl("s1.db", "--shard", "1/2")).code).toBe(0);
    expect((await crawl("s2.db", "--shard", "2/2")).code).toBe(0);
    expect((await crawl("all.db")).code).toBe(0);
    const sourcesOf = (f: string) => {
      const db = new Database(join(dir, f), { readonly: true });
      const s = db.prepare("SELECT DISTINCT source_id FROM pages ORDER BY 1").pluck().all();
      db.close();
      return s;
    };
    expect(sourcesOf("s1.db")).toEqual([ids.a, ids.b].filter((id) => shardOf(id, 2) === 1).sort());
    expect(sourcesOf("s2.db")).toEqual([ids.b, ids.c].filter((id) => shardOf(id, 2) === 2).sort());

    const merged = await run(["merge", join(dir, "s1.db"), join(dir, "s2.db"), "--db", join(dir, "merged.db"), "--json"]);
    expect(merged.code).toBe(0);
    const added = JSON.parse(merged.out) as { pages: number; reports: number; runs: number }[];
    // Shard 2 adds c's pages only where shard 1 (a, same portal) did not store them already.
    expect(added[1]!.pages).toBeLessThan(new Database(join(dir, "s2.db"), { readonly: true }).prepare("SELECT count(*) FROM pages").pluck().get() as number);
    const whole = contents(join(dir, "all.db"));
    expect(whole.reports).toHaveLength(11);
    expect(contents(join(dir, "merged.db"))).toEqual(whole);

    // Crawl runs are kept per shard, marked with where they came from.
    const runs = () => new Database(join(dir, "merged.db"), { readonly: true }).prepare("SELECT kind, merged_from IS NOT NULL AS merged FROM crawl_runs").all();
    expect(runs()).toEqual([
      { kind: "crawl", merged: 1 },
      { kind: "crawl", merged: 1 },
    ]);
    // The merged pages still point at the run that fetched them.
    expect(new Database(join(dir, "merged.db"), { readonly: true }).prepare("SELECT count(*) FROM pages WHERE run_id IS NULL OR run_id NOT IN (SELECT id FROM crawl_runs)").pluck().get()).toBe(0);

    // Idempotent: again, and through a second merged database, nothing is added twice.
    const again = await run(["merge", join(dir, "s2.db"), join(dir, "s1.db"), "--db", join(dir, "merged.db"), "--json"]);
    expect(JSON.parse(again.out)).toEqual([
      { input: join(dir, "s2.db"), runs: 0, pages: 0, reports: 0, rejections: 0 },
      { input: join(dir, "s1.db"), runs: 0, pages: 0, reports: 0, rejections: 0 },
    ]);
    expect(runs()).toHaveLength(2);
    expect((await run(["merge", join(dir, "merged.db"), join(dir, "s1.db"), "--db", join(dir, "merged2.db")])).code).toBe(0);
    expect(contents(join(dir, "merged2.db"))).toEqual(whole);
    expect(new Database(join(dir, "merged2.db"), { readonly: true }).prepare("SELECT count(*) FROM crawl_runs").pluck().get()).toBe(2);

    // Search finds the reports' text, not the portal's menus around it.
    const db = new Database(join(dir, "merged.db"));
    expect(searchReports(db, "信息处理费", { all: true }).hits.length).toBeGreaterThan(0);
    expect(searchReports(db, "政务公开栏目名称", { all: true }).hits).toEqual([]);
    db.close();
  }, 60_000);

  it("keeps other versions of a page: a changed body of the same URL in another shard is a second version", async () => {
    // Shard 1's database, with one report page's stored body made different (as if fetched later
    // after the portal corrected it): merging keeps both bodies of that URL.
    copyFileSync(join(dir, "s1.db"), join(dir, "s1-changed.db"));
    const d = new Database(join(dir, "s1-changed.db"));
    const page = d.prepare("SELECT p.id, p.url FROM pages p JOIN reports r ON r.page_id = p.id ORDER BY p.id LIMIT 1").get() as { id: number; url: string };
    d.prepare("UPDATE pages SET sha256 = 'f'||substr(sha256, 2), fetched_at = '2099-01-01T00:00:00.000Z' WHERE id = ?").run(page.id);
    d.close();
    const out = join(dir, "versions.db");
    expect((await run(["merge", join(dir, "s1.db"), join(dir, "s1-changed.db"), "--db", out])).code).toBe(0);
    const v = new Database(out, { readonly: true });
    expect(v.prepare("SELECT count(*) FROM pages WHERE url = ?").pluck().get(page.url)).toBe(2);
    expect(v.prepare("SELECT count(*) FROM reports r JOIN pages p ON p.id = r.page_id WHERE p.url = ?").pluck().get(page.url)).toBe(2);
    v.close();
  });

  it("refuses a database of a newer schema with one line, leaving the output untouched", async () => {
    copyFileSync(join(dir, "s1.db"), join(dir, "future.db"));
    const f = new Database(join(dir, "future.db"));
    f.prepare("INSERT INTO _migrations (name, applied_at) VALUES ('999-future', '2099-01-01')").run();
    f.close();
    const r = await run(["merge", join(dir, "s2.db"), join(dir, "future.db"), "--db", join(dir, "untouched.db")]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^nianbao: .*future\.db was written by a newer nianbao \(schema steps 999-future\).*\n$/);
    expect(new Database(join(dir, "untouched.db"), { readonly: true }).prepare("SELECT count(*) FROM pages").pluck().get()).toBe(0);
  });

  it("rejects a bad --shard and a missing input with one line and exit 2", async () => {
    for (const bad of ["3/2", "0/2", "1", "a/b"]) {
      const r = await crawl("x.db", "--shard", bad);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^nianbao: --shard must be k\/N.*\n$/);
    }
    const r = await run(["merge", join(dir, "nope.db"), "--db", join(dir, "m.db")]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^nianbao: no database at .*nope\.db \[E_FILE_NOT_FOUND\]\n$/);
  });
});
