import { describe, expect, it } from "vitest";
import { NianbaoError } from "../../src/errors.js";
import type { FetchFn, FetchResult } from "../../src/crawl/fetcher-types.js";
import { backoffMs, withRetry } from "../../src/crawl/retry.js";

const res = (status: number, headers: Record<string, string> = {}): FetchResult => ({ url: "http://x/", finalUrl: "http://x/", status, headers, body: new Uint8Array(), redirects: [], fetchedAt: "" });

function scripted(steps: (FetchResult | Error)[]): FetchFn & { calls: number } {
  const f = (async (): Promise<FetchResult> => {
    const s = steps[Math.min(f.calls++, steps.length - 1)]!;
    if (s instanceof Error) throw s;
    return s;
  }) as unknown as FetchFn & { calls: number };
  f.calls = 0;
  return f;
}

function setup(steps: (FetchResult | Error)[], retries = 3) {
  const waits: number[] = [];
  const fetch = scripted(steps);
  const wrapped = withRetry(fetch, { retries, baseMs: 100, maxMs: 1000, retryAfterCapMs: 5000, sleep: async (ms) => void waits.push(ms), random: () => 0.5, now: () => 0 });
  return { fetch, wrapped, waits };
}

describe("withRetry", () => {
  it("retries 5xx and network errors with growing, jittered backoff, then succeeds", async () => {
    const { fetch, wrapped, waits } = setup([res(503), new NianbaoError("E_FETCH_NETWORK", "reset"), res(200)]);
    expect((await wrapped("http://x/", {})).status).toBe(200);
    expect(fetch.calls).toBe(3);
    expect(waits).toEqual([backoffMs(0, 100, 1000, () => 0.5), backoffMs(1, 100, 1000, () => 0.5)]);
    expect(waits[1]!).toBeGreaterThan(waits[0]!);
  });

  it("honours Retry-After on 429", async () => {
    const { wrapped, waits } = setup([res(429, { "retry-after": "2" }), res(200)]);
    expect((await wrapped("http://x/", {})).status).toBe(200);
    expect(waits).toEqual([2000]);
  });

  it("does not wait for a Retry-After beyond the cap: the 429 goes back to the caller", async () => {
    const { fetch, wrapped, waits } = setup([res(429, { "retry-after": "3600" }), res(200)]);
    expect((await wrapped("http://x/", {})).status).toBe(429);
    expect(fetch.calls).toBe(1);
    expect(waits).toEqual([]);
  });

  it("returns the last answer or rethrows the last error after the last retry", async () => {
    expect((await setup([res(500)], 2).wrapped("http://x/", {})).status).toBe(500);
    const { fetch, wrapped } = setup([new NianbaoError("E_FETCH_TIMEOUT", "slow")], 2);
    await expect(wrapped("http://x/", {})).rejects.toMatchObject({ code: "E_FETCH_TIMEOUT" });
    expect(fetch.calls).toBe(3);
  });

  it("never retries 404, oversized bodies or off-host redirects", async () => {
    const a = setup([res(404), res(200)]);
    expect((await a.wrapped("http://x/", {})).status).toBe(404);
    for (const code of ["E_FETCH_TOO_LARGE", "E_OFF_HOST_REDIRECT"] as const) {
      const b = setup([new NianbaoError(code, "no"), res(200)]);
      await expect(b.wrapped("http://x/", {})).rejects.toMatchObject({ code });
      expect(b.fetch.calls).toBe(1);
    }
  });
});
