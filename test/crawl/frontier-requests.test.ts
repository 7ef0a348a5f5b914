import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { PageRequest } from "../../src/crawl/dialects/types.js";
import { MemoryFrontier, type Frontier } from "../../src/crawl/frontier.js";
import { openDb } from "../../src/store/db.js";
import { SqliteFrontier } from "../../src/store/frontier-sqlite.js";
import { migrate } from "../../src/store/migrate.js";
import { MIGRATIONS } from "../../src/store/migrations/index.js";

const impls: [string, () => Frontier][] = [
  ["memory", () => new MemoryFrontier()],
  ["sqlite", () => new SqliteFrontier(openDb(":memory:"))],
];

const post = (page: number): PageRequest => ({ method: "POST", body: `channelid=1&page=${page}`, xhr: true, referer: "http://a.gov.cn/nb/", dialect: "trs-dynamic", page, vars: { channelid: "1" } });

describe.each(impls)("API pages in the frontier (%s)", (_name, make) => {
  it("keeps each POST page as its own item with its request, and a page queued twice once", () => {
    const f = make();
    const api = "http://a.gov.cn/fjdzapp/search";
    expect(f.add({ url: api, kind: "api", sourceId: "s", depth: 1, request: post(2) })).toBe(true);
    expect(f.add({ url: api, kind: "api", sourceId: "s", depth: 1, request: post(3) })).toBe(true);
    expect(f.add({ url: api, kind: "api", sourceId: "s", depth: 1, request: post(2) })).toBe(false);
    // a plain GET of the same URL is another request
    expect(f.add({ url: api, kind: "list", sourceId: "s", depth: 1 })).toBe(true);
    expect(f.counts().queued).toBe(3);
    const first = f.next({ now: 0 })!;
    expect(first.request).toEqual(post(2));
    expect(f.get(api, post(3))).toMatchObject({ state: "queued", request: post(3) });
    expect(f.get(api)).toMatchObject({ kind: "list", request: null });
  });
});

describe("migration 007", () => {
  it("adds the request column to a frontier made before it, keeping its rows", () => {
    const db = new Database(":memory:");
    const before = MIGRATIONS.filter((m) => m.name !== "007-frontier-requests");
    migrate(db, before);
    db.prepare(`INSERT INTO crawl_frontier (unique_key, url, host, kind, source_id, added_at, updated_at) VALUES ('http://a/', 'http://a/', 'a', 'home', 's', 'x', 'x')`).run();
    migrate(db, MIGRATIONS);
    const f = new SqliteFrontier(db);
    expect(f.get("http://a/")).toMatchObject({ kind: "home", request: null });
    expect(f.add({ url: "http://a/fjdzapp/search", kind: "api", sourceId: "s", depth: 0, request: post(2) })).toBe(true);
    expect(f.get("http://a/fjdzapp/search", post(2))?.request).toEqual(post(2));
  });
});
