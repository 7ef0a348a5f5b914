import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, resolvePolicy, userAgent } from "../../src/crawl/policy.js";
import { uniqueKey } from "../../src/crawl/url.js";

describe("crawl policy", () => {
  it("has polite defaults", () => {
    expect(DEFAULT_POLICY).toMatchObject({ perHost: 1, delayMs: 1000, concurrency: 8, retries: 3, robots: true });
  });
  it("takes flag over environment over default, coercing strings", () => {
    const p = resolvePolicy({ delayMs: "250" }, { NIANBAO_DELAY_MS: "5000", NIANBAO_PER_HOST: "2", NIANBAO_CONTACT: "ops@example.org" });
    expect(p.delayMs).toBe(250);
    expect(p.perHost).toBe(2);
    expect(userAgent(p)).toMatch(/^nianbao\/\d+\.\d+\.\d+ \(\+ops@example\.org\)$/);
  });
  it("rejects a bad value naming the flag or variable", () => {
    expect(() => resolvePolicy({ concurrency: "0" })).toThrow(/--concurrency/);
    expect(() => resolvePolicy({}, { NIANBAO_DELAY_MS: "soon" })).toThrow(/\$NIANBAO_DELAY_MS/);
  });
});

describe("uniqueKey", () => {
  it("normalises what does not change the page", () => {
    expect(uniqueKey("http://A.gov.cn:80/nb/index.html#x")).toBe("http://a.gov.cn/nb/");
    expect(uniqueKey("http://a.gov.cn/p?b=1&a=2")).toBe(uniqueKey("http://a.gov.cn/p?a=2&b=1"));
    expect(uniqueKey("http://a.gov.cn/nb/index_1.html")).not.toBe(uniqueKey("http://a.gov.cn/nb/"));
  });
});
