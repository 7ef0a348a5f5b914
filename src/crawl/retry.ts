import { isNianbaoError } from "../errors.js";
import type { FetchFn, FetchResult } from "./fetcher-types.js";
import { parseRetryAfter } from "./http.js";

export { parseRetryAfter };

export interface RetryOptions {
  /** Retries after the first try. */
  retries: number;
  baseMs: number;
  maxMs: number;
  /** A Retry-After longer than this is not waited for: the response is returned to the caller. */
  retryAfterCapMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** Called before each wait (for logs and tests). */
  onRetry?: (info: { url: string; attempt: number; waitMs: number; reason: string }) => void;
}

/** Statuses worth another try: throttling and server errors (not 501 Not Implemented). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599 && status !== 501);
}

/** Exponential backoff with equal jitter: half fixed, half random, capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const d = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(d / 2 + (random() * d) / 2);
}

/**
 * Wrap a fetch function with retries: network errors and timeouts (group "retryable"), 429 and
 * 5xx answers. Waits exponential backoff with jitter, or Retry-After when the server sends one
 * (up to `retryAfterCapMs`). After the last try it returns the last response, or rethrows the last
 * error, so the caller decides what a final 429 or 500 means. Oversized bodies, off-host redirects
 * and 4xx are never retried.
 */
export function withRetry(fetch: FetchFn, opts: RetryOptions): FetchFn {
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  return async (url, options) => {
    for (let attempt = 0; ; attempt++) {
      let result: FetchResult | null = null;
      let error: unknown = null;
      try {
        result = await fetch(url, options);
      } catch (e) {
        error = e;
      }
      const last = attempt >= opts.retries || options.signal?.aborted;
      if (result) {
        if (!isRetryableStatus(result.status) || last) return result;
        const ra = parseRetryAfter(result.headers["retry-after"], now());
        if (ra !== null && ra > opts.retryAfterCapMs) return result;
        const waitMs = ra ?? backoffMs(attempt, opts.baseMs, opts.maxMs, random);
        opts.onRetry?.({ url, attempt: attempt + 1, waitMs, reason: `HTTP ${result.status}` });
        await opts.sleep(waitMs, options.signal);
        continue;
      }
      if (!isNianbaoError(error) || error.group !== "retryable" || last) throw error;
      const waitMs = backoffMs(attempt, opts.baseMs, opts.maxMs, random);
      opts.onRetry?.({ url, attempt: attempt + 1, waitMs, reason: error.code });
      await opts.sleep(waitMs, options.signal);
    }
  };
}
