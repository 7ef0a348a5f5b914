import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NianbaoError } from "../../src/errors.js";
import { loadSources, parseSources } from "../../src/crawl/sources.js";

function err(f: () => unknown): NianbaoError {
  try {
    f();
  } catch (e) {
    return e as NianbaoError;
  }
  throw new Error("did not throw");
}

describe("sources file", () => {
  it("fills defaults: allowHosts are the hosts of start, name is the id", () => {
    const [s] = parseSources({ sources: [{ id: "wuhai-czj", start: ["http://czj.wuhai.gov.cn:8080/xxgk/"] }] });
    expect(s).toEqual({ id: "wuhai-czj", name: "wuhai-czj", region: null, start: ["http://czj.wuhai.gov.cn:8080/xxgk/"], allowHosts: ["czj.wuhai.gov.cn:8080"] });
  });

  it("names the bad field in a one-line E_BAD_SOURCES message", () => {
    const e = err(() => parseSources({ sources: [{ id: "a", start: ["ftp://x/"] }] }, "sources.json"));
    expect(e.code).toBe("E_BAD_SOURCES");
    expect(e.message).toBe("sources.json: sources[0].start[0]: must be an http(s) URL");
    expect(err(() => parseSources({ sources: [{ id: "a", start: [] }] })).message).toMatch(/sources\[0\]\.start: /);
    expect(err(() => parseSources({ sources: [{ id: "a", start: ["http://x/"], alowHosts: [] }] })).message).toMatch(/sources\[0\]: .*alowHosts/);
    expect(err(() => parseSources({ sources: [{ id: "a", start: ["http://x/"] }, { id: "a", start: ["http://y/"] }] })).message).toMatch(/sources\[1\]\.id: duplicate id "a"/);
    expect(err(() => parseSources({})).message).toMatch(/sources: /);
    expect(e.message).not.toContain("\n");
  });

  it("accepts a file saved with a UTF-8 byte-order mark", () => {
    const dir = mkdtempSync(join(tmpdir(), "nianbao-src-"));
    const path = join(dir, "bom.json");
    writeFileSync(path, `\uFEFF${JSON.stringify({ sources: [{ id: "a", region: "某省", start: ["http://a.gov.cn/"] }] })}`);
    try {
      expect(loadSources(path)).toEqual([{ id: "a", name: "a", region: "某省", start: ["http://a.gov.cn/"], allowHosts: ["a.gov.cn"] }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the example sources file in docs/ is valid", () => {
    const sources = loadSources(join(import.meta.dirname, "../../docs/sources.example.json"));
    expect(sources.length).toBeGreaterThanOrEqual(2);
    for (const s of sources) expect(s.region).not.toBeNull();
  });

  it("reports unreadable and non-JSON files", () => {
    const dir = mkdtempSync(join(tmpdir(), "nianbao-src-"));
    try {
      expect(err(() => loadSources(join(dir, "missing.json"))).message).toMatch(/cannot read sources file .*ENOENT/);
      writeFileSync(join(dir, "bad.json"), "{ nope");
      expect(err(() => loadSources(join(dir, "bad.json"))).code).toBe("E_BAD_SOURCES");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
