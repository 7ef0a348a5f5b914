import { describe, expect, it } from "vitest";
import { foldLabel } from "../../src/parse/normalize.js";

// foldLabel skips its replacements and toLowerCase when a quick test says they would change
// nothing; these checks hold it to the plain definition.
const plain = (s: string) => s.replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, "").replace(/["'“”‘’「」『』《》〈〉]/g, "").toLowerCase();

describe("foldLabel", () => {
  it("drops spaces and quotes and lower-cases, as the plain definition does", () => {
    for (const s of ["（一） 予以公开", "“政府信息” 公开", "ABC 年度报告", "Ｘ县", "ΣΑΣ", "\u3000申请\u200b人\ufeff", ""]) expect(foldLabel(s)).toBe(plain(s));
  });

  it("gives the plain definition's result for every code point, alone and amid CJK text", () => {
    const wrong: string[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      const c = String.fromCodePoint(cp);
      const s = `报${c}告`;
      if (foldLabel(s) !== plain(s) || foldLabel(c) !== plain(c)) wrong.push(cp.toString(16));
    }
    expect(wrong).toEqual([]);
  });
});
