import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createParsePool, parsingAhead } from "../../src/crawl/parse-pool.js";
import { parsePage, parseReport } from "../../src/pipeline.js";

const FIX = join(import.meta.dirname, "..", "..", "fixtures", "reports");
// The TypeScript worker, loaded through a tsx bootstrap (production runs the built parse-worker.js).
const pool = createParsePool({
  size: 1,
  workerUrl: new URL("../helpers/ts-worker.mjs", import.meta.url),
  workerData: { tsWorker: new URL("../../src/crawl/parse-worker.ts", import.meta.url).href },
})!;
afterAll(() => pool.close());
const opts: { sourceUrl: string | null; contentType: string | null; provenance: true } = { sourceUrl: "http://example.gov.cn/nb.html", contentType: "text/html; charset=utf-8", provenance: true };

describe("parse pool", () => {
  it("parses in a worker to the same record as in-thread", async () => {
    const body = new Uint8Array(readFileSync(join(FIX, "html-2021-pingtan-zrz", "input.html")));
    const out = await pool.parse(body, opts);
    expect(out.ok).toBe(true);
    expect(out.ok && out.record).toEqual(parseReport(body, opts));
    expect(out.ok && out.searchText).toBe(parsePage(body, opts).searchText);
  });

  it("returns not-a-report errors with their code", async () => {
    const out = await pool.parse(new TextEncoder().encode("<html><body><p>天气</p></body></html>"), opts);
    expect(out).toMatchObject({ ok: false, error: { code: "E_NOT_REPORT" } });
  });

  it("hands the sink the result parsed ahead, rethrows rejections, and falls back in-thread", async () => {
    let fallbackCalls = 0;
    const fallback = (b: Uint8Array, o: typeof opts) => (fallbackCalls++, parsePage(b, o));
    const a = parsingAhead(pool, fallback);
    const report = new Uint8Array(readFileSync(join(FIX, "seed", "input.txt")));
    const junk = new TextEncoder().encode("<html><body><p>天气</p></body></html>");
    await a.ahead(report, opts);
    await a.ahead(junk, opts);
    const ahead = a.parseWithText(report, opts);
    expect(ahead.record.agency).toBe("乌海市财政局");
    expect(ahead.searchText).toBe(parsePage(report, opts).searchText);
    expect(() => a.parse(junk, opts)).toThrow(/not a readable annual report/);
    expect(fallbackCalls).toBe(0);
    // Nothing parsed ahead (or forgotten): parsed in-thread.
    a.parse(report, opts);
    expect(fallbackCalls).toBe(1);
  });

  it("rejects instead of hanging when its worker is dead, so callers parse in-thread", async () => {
    const broken = createParsePool({ size: 1, workerUrl: new URL("../helpers/ts-worker.mjs", import.meta.url), workerData: { tsWorker: "file:///no/such/worker.ts" } })!;
    const body = new TextEncoder().encode("x");
    await expect(broken.parse(body, opts)).rejects.toThrow();
    await expect(broken.parse(body, opts)).rejects.toThrow(/no live worker/);
    const a = parsingAhead(broken, (b, o) => parsePage(readFileSync(join(FIX, "seed", "input.txt")), o));
    await a.ahead(body, opts);
    expect(a.parse(body, opts).agency).toBe("乌海市财政局");
    await broken.close();
  });

  it("is null when there is no built worker (running from source)", () => {
    expect(createParsePool({ workerUrl: new URL("./no-such-worker.js", import.meta.url) })).toBeNull();
  });
});
