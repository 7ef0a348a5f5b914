import { describe, expect, it } from "vitest";
import { MemoryFrontier, type Frontier } from "../../src/crawl/frontier.js";
import { openDb } from "../../src/store/db.js";
import { SqliteFrontier } from "../../src/store/frontier-sqlite.js";

const impls: [string, () => Frontier][] = [
  ["memory", () => new MemoryFrontier()],
  ["sqlite", () => new SqliteFrontier(openDb(":memory:"))],
];

describe.each(impls)("Frontier contract (%s)", (_name, make) => {
  const req = (url: string, kind: "home" | "list" | "report" = "report") => ({ url, kind, sourceId: "s", depth: 0 });

  it("dedupes by normalised uniqueKey", () => {
    const f = make();
    expect(f.add(req("http://a.gov.cn/nb/"))).toBe(true);
    expect(f.add(req("http://A.gov.cn/nb/index.html#top"))).toBe(false);
    expect(f.addMany([req("http://a.gov.cn/x?b=2&a=1"), req("http://a.gov.cn/x?a=1&b=2"), req("http://a.gov.cn/y")])).toBe(2);
    expect(f.counts().queued).toBe(3);
  });

  it("next marks in progress in FIFO order; done closes; done and reclaim are no-ops unless in progress", () => {
    const f = make();
    f.addMany([req("http://a/1"), req("http://a/2")]);
    const a = f.next({ now: 0 })!;
    expect(a.url).toBe("http://a/1");
    expect(a.attempts).toBe(1);
    expect(f.get("http://a/1")!.state).toBe("in_progress");
    f.done(a.id, { state: "failed", error: "HTTP 500", code: "E_FETCH_HTTP" });
    f.done(a.id, { state: "done" });
    f.reclaim(a.id);
    expect(f.get("http://a/1")).toMatchObject({ state: "failed", lastError: "HTTP 500", lastErrorCode: "E_FETCH_HTTP" });
  });

  it("isEmpty vs isFinished: an item in progress or waiting for its next attempt is not finished", () => {
    const f = make();
    f.add(req("http://a/1"));
    const a = f.next({ now: 0 })!;
    expect(f.isEmpty({ now: 0 })).toBe(true);
    expect(f.isFinished()).toBe(false);
    f.reclaim(a.id, { nextAttemptAt: 1000, error: "HTTP 429", code: "E_FETCH_THROTTLED" });
    expect(f.next({ now: 500 })).toBeNull();
    expect(f.nextWakeAt()).toBe(1000);
    expect(f.isFinished()).toBe(false);
    const again = f.next({ now: 1000 })!;
    expect(again.attempts).toBe(2);
    f.done(again.id, { state: "done" });
    expect(f.isFinished()).toBe(true);
  });

  it("skips hosts it is told to, and counts their items as not finished only when not skipped", () => {
    const f = make();
    f.addMany([req("http://paused.gov.cn/1"), req("http://ok.gov.cn/2")]);
    const skip = new Set(["paused.gov.cn"]);
    expect(f.next({ now: 0, skipHosts: skip })!.url).toBe("http://ok.gov.cn/2");
    expect(f.next({ now: 0, skipHosts: skip })).toBeNull();
    const ok = f.get("http://ok.gov.cn/2")!;
    f.done(ok.id, { state: "done" });
    expect(f.isFinished({ skipHosts: skip })).toBe(true);
    expect(f.isFinished()).toBe(false);
  });

  it("reclaimInProgress puts back what a killed process left; requeue starts a new pass by kind", () => {
    const f = make();
    f.addMany([req("http://a/list", "list"), req("http://a/r1"), req("http://a/r2")]);
    const l = f.next({ now: 0 })!;
    f.done(l.id, { state: "done" });
    const r1 = f.next({ now: 0 })!;
    f.done(r1.id, { state: "done" });
    f.next({ now: 0 });
    expect(f.reclaimInProgress()).toBe(1);
    expect(f.counts()).toMatchObject({ queued: 1, in_progress: 0, done: 2 });
    expect(f.requeue(["list", "home"], ["done"])).toBe(1);
    expect(f.get("http://a/list")).toMatchObject({ state: "queued", attempts: 0 });
    expect(f.get("http://a/r1")!.state).toBe("done");
  });

  it("clear forgets all items, or only those of some sources", () => {
    const f = make();
    f.addMany([{ url: "http://a/1", kind: "home", sourceId: "a", depth: 0 }, { url: "http://b/1", kind: "home", sourceId: "b", depth: 0 }]);
    f.clear(["a"]);
    expect(f.get("http://a/1")).toBeNull();
    expect(f.get("http://b/1")).not.toBeNull();
    expect(f.add({ url: "http://a/1", kind: "home", sourceId: "a", depth: 0 })).toBe(true);
    f.clear();
    expect(f.counts()).toEqual({ queued: 0, in_progress: 0, done: 0, failed: 0, skipped: 0 });
  });
});
