import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitCandidates } from "../../src/interpret/split.js";

describe("splitCandidates", () => {
  it("lists only splits without leading zeros", () => {
    const c = splitCandidates([{ value: 12, digits: "0012" }], 3)!;
    expect(c.map((x) => x.values)).toEqual([[0, 0, 12]]);
  });
  it("lists every split of an ambiguous run", () => {
    const c = splitCandidates([{ value: 0, digits: "2433" }], 3)!;
    expect(c.map((x) => x.values).sort()).toEqual([
      [2, 4, 33],
      [2, 43, 3],
      [24, 3, 3],
    ]);
  });
  it("combines fixed pieces and several runs (表四 '10 0 1 200 … 00')", () => {
    const pieces = ["10", "0", "1", "200", "0", "0", "0", "0", "0", "0", "00"].map((d) => ({ value: Number(d), digits: d.length > 1 ? d : null }));
    const c = splitCandidates(pieces, 15)!;
    expect(c.map((x) => x.values)).toEqual([[1, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
  });
  it("puts the sign of a signed run on its first cell", () => {
    const c = splitCandidates([{ value: 10, digits: "10" }, { value: -30, digits: "30", negative: true }], 3)!;
    expect(c.map((x) => x.values)).toEqual(
      expect.arrayContaining([
        [10, -3, 0],
        [1, 0, -30],
      ]),
    );
  });
  it("returns null past the limit instead of running away", () => {
    expect(splitCandidates([{ value: 0, digits: "1".repeat(40) }], 12, 100)).toBeNull();
  });
  it("always contains the true split of numbers glued together", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(500), { minLength: 1, maxLength: 8 }), (cells) => {
        const digits = cells.join("");
        const c = splitCandidates([{ value: 0, digits }], cells.length, 1_000_000);
        if (c === null) return;
        expect(c.some((x) => x.values.every((v, i) => v === cells[i]))).toBe(true);
      }),
    );
  });
});
