import type Database from "better-sqlite3";
import { hostname as osHostname } from "node:os";
import { NianbaoError } from "../errors.js";

export interface LeaseOptions {
  /** How long a lease lives without renewal (ms). */
  ttlMs?: number;
  now?: () => number;
  pid?: number;
  hostname?: string;
  /** Whether a process on this machine is alive (default: signal 0). */
  isAlive?: (pid: number) => boolean;
}

export interface LeaseHolder {
  holder: string;
  pid: number;
  hostname: string;
  acquiredAt: string;
  expiresAt: number;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The lease that keeps two crawls off one database. Taken in an IMMEDIATE transaction; a lease is
 * taken over only when stale: past its expiry, or held by a process on this machine that no longer
 * exists (a crawl killed with SIGKILL need not be waited out).
 */
export class CrawlLease {
  static readonly NAME = "crawl";
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly pid: number;
  private readonly hostname: string;
  private readonly isAlive: (pid: number) => boolean;

  constructor(
    private readonly db: Database.Database,
    readonly holder: string,
    opts: LeaseOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 60_000;
    this.now = opts.now ?? Date.now;
    this.pid = opts.pid ?? process.pid;
    this.hostname = opts.hostname ?? osHostname();
    this.isAlive = opts.isAlive ?? pidAlive;
  }

  /** Who holds the lease now, if anyone (stale or not). */
  current(): LeaseHolder | null {
    const r = this.db.prepare(`SELECT holder, pid, hostname, acquired_at AS acquiredAt, expires_at AS expiresAt FROM crawl_lease WHERE name = ?`).get(CrawlLease.NAME) as LeaseHolder | undefined;
    return r ?? null;
  }

  isStale(h: LeaseHolder): boolean {
    if (h.expiresAt <= this.now()) return true;
    return h.hostname === this.hostname && h.pid !== this.pid && !this.isAlive(h.pid);
  }

  /** Take the lease, or return the live holder that prevents it. */
  tryAcquire(): { ok: true } | { ok: false; heldBy: LeaseHolder } {
    const tx = this.db.transaction((): { ok: true } | { ok: false; heldBy: LeaseHolder } => {
      const h = this.current();
      if (h && h.holder !== this.holder && !this.isStale(h)) return { ok: false, heldBy: h };
      this.db
        .prepare(
          `INSERT INTO crawl_lease (name, holder, pid, hostname, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, hostname = excluded.hostname,
             acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
        )
        .run(CrawlLease.NAME, this.holder, this.pid, this.hostname, new Date(this.now()).toISOString(), this.now() + this.ttlMs);
      return { ok: true };
    });
    return tx.immediate();
  }

  /** Take the lease or throw E_LEASE_HELD naming the holder. */
  acquire(): void {
    const r = this.tryAcquire();
    if (!r.ok) {
      const h = r.heldBy;
      throw new NianbaoError(
        "E_LEASE_HELD",
        `another crawl (${h.holder}, pid ${h.pid} on ${h.hostname}) is running on this database until ${new Date(h.expiresAt).toISOString()}; wait for it to finish`,
        { ...h },
      );
    }
  }

  /** Extend our lease; false if we lost it (someone took over a stale lease). */
  renew(): boolean {
    return this.db.prepare(`UPDATE crawl_lease SET expires_at = ? WHERE name = ? AND holder = ?`).run(this.now() + this.ttlMs, CrawlLease.NAME, this.holder).changes > 0;
  }

  release(): void {
    this.db.prepare(`DELETE FROM crawl_lease WHERE name = ? AND holder = ?`).run(CrawlLease.NAME, this.holder);
  }
}
