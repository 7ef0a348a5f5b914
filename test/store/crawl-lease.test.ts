import { describe, expect, it } from "vitest";
import { CrawlLease } from "../../src/store/crawl-lease.js";
import { openDb } from "../../src/store/db.js";

describe("CrawlLease", () => {
  it("lets one holder in; a second gets E_LEASE_HELD until release", () => {
    const db = openDb(":memory:");
    const a = new CrawlLease(db, "a");
    const b = new CrawlLease(db, "b");
    a.acquire();
    expect(() => b.acquire()).toThrow(expect.objectContaining({ code: "E_LEASE_HELD" }));
    a.release();
    b.acquire();
    expect(b.current()!.holder).toBe("b");
  });

  it("is taken over when expired, and the old holder's renew then fails", () => {
    const db = openDb(":memory:");
    let t = 0;
    const a = new CrawlLease(db, "a", { ttlMs: 1000, now: () => t });
    const b = new CrawlLease(db, "b", { ttlMs: 1000, now: () => t });
    a.acquire();
    t = 500;
    expect(a.renew()).toBe(true);
    t = 1400;
    expect(b.tryAcquire().ok).toBe(false);
    t = 1600;
    expect(b.tryAcquire().ok).toBe(true);
    expect(a.renew()).toBe(false);
  });

  it("is taken over at once when its holder's process on this machine is gone (SIGKILL)", () => {
    const db = openDb(":memory:");
    new CrawlLease(db, "dead", { pid: 999_999, hostname: "h" }).acquire();
    const b = new CrawlLease(db, "b", { pid: 1, hostname: "h", isAlive: (pid) => pid !== 999_999 });
    expect(b.tryAcquire().ok).toBe(true);
  });
});
