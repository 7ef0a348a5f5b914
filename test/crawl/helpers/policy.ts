import { DEFAULT_POLICY, type CrawlPolicy } from "../../../src/crawl/policy.js";

/** Politeness for loopback tests: short delays and quick retries, same code paths. */
export function testPolicy(over: Partial<CrawlPolicy> = {}): CrawlPolicy {
  return {
    ...DEFAULT_POLICY,
    contact: "tests@nianbao.invalid",
    delayMs: 0,
    timeoutMs: 3000,
    retries: 2,
    retryBaseMs: 20,
    retryMaxMs: 100,
    retryAfterCapMs: 2000,
    ...over,
  };
}
