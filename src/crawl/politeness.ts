import type { FetchFn } from "./fetcher-types.js";
import { hostOf } from "./url.js";

export interface HostGateOptions {
  /** Minimum spacing between request starts on one host (ms). */
  delayMs: number;
  /** Frontier items in flight per host. */
  perHost: number;
  /** Consecutive 403/429 answers after which the host is paused for the rest of the run. */
  pauseAfter: number;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface HostState {
  inFlight: number;
  /** Start of the latest request claimed, or end of the latest answer if later (epoch ms). */
  lastStart: number;
  crawlDelayMs: number;
  throttled: number;
  paused: string | null;
}

/**
 * Per-host politeness: how many items may be in flight on a host, the spacing between request
 * starts (the larger of the configured delay and robots.txt Crawl-delay), and pausing a host
 * that keeps answering 403/429. Every request — retries and robots.txt included — takes a slot.
 */
export class HostGate {
  private hosts = new Map<string, HostState>();
  constructor(private readonly opts: HostGateOptions) {}

  private state(host: string): HostState {
    let s = this.hosts.get(host);
    if (!s) {
      s = { inFlight: 0, lastStart: Number.NEGATIVE_INFINITY, crawlDelayMs: 0, throttled: 0, paused: null };
      this.hosts.set(host, s);
    }
    return s;
  }

  /** robots.txt Crawl-delay for a host, in ms. */
  setCrawlDelay(host: string, ms: number): void {
    this.state(host).crawlDelayMs = Math.max(0, ms);
  }

  delayFor(host: string): number {
    return Math.max(this.opts.delayMs, this.state(host).crawlDelayMs);
  }

  /** Reserve an in-flight place for an item on this host. */
  enter(host: string): void {
    this.state(host).inFlight++;
  }

  leave(host: string): void {
    const s = this.state(host);
    s.inFlight = Math.max(0, s.inFlight - 1);
  }

  /** Hosts that must not get another item now: full, or paused. */
  unavailableHosts(): Set<string> {
    const out = new Set<string>();
    for (const [h, s] of this.hosts) if (s.paused !== null || s.inFlight >= this.opts.perHost) out.add(h);
    return out;
  }

  pausedHosts(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [h, s] of this.hosts) if (s.paused !== null) out.set(h, s.paused);
    return out;
  }

  isPaused(host: string): boolean {
    return this.state(host).paused !== null;
  }

  pause(host: string, reason: string): void {
    this.state(host).paused = reason;
  }

  /**
   * Record an answer's status. Returns true when this answer pauses the host (the Nth consecutive
   * 403/429). Any other answer resets the count.
   */
  noteStatus(host: string, status: number): boolean {
    const s = this.state(host);
    if (status === 403 || status === 429) {
      s.throttled++;
      if (s.paused === null && s.throttled >= this.opts.pauseAfter) {
        s.paused = `${s.throttled} consecutive HTTP ${status} answers`;
        return true;
      }
      return false;
    }
    s.throttled = 0;
    return false;
  }

  /**
   * A request to this host ended: the next one waits `delay` from now. Spacing counts from the end
   * of the previous answer, so a slow server is never asked again sooner than the delay after it
   * finished answering.
   */
  finished(host: string): void {
    const s = this.state(host);
    s.lastStart = Math.max(s.lastStart, this.opts.now());
  }

  /** Wait for this host's next request slot and claim it. */
  async slot(host: string, signal?: AbortSignal): Promise<void> {
    const s = this.state(host);
    const now = this.opts.now();
    // Computed at claim time, so a Crawl-delay learnt from robots.txt applies from the next request on.
    const start = Math.max(now, s.lastStart + this.delayFor(host));
    s.lastStart = start;
    if (start > now) await this.opts.sleep(start - now, signal);
  }
}

/** Wrap a fetch function so every request waits for its host's slot. */
export function withPoliteness(fetch: FetchFn, gate: HostGate): FetchFn {
  return async (url, options) => {
    const host = hostOf(url);
    await gate.slot(host, options.signal);
    try {
      return await fetch(url, options);
    } finally {
      gate.finished(host);
    }
  };
}
