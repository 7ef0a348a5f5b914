import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkIdentities } from "../../src/validate/check.js";
import type { Identity } from "../../src/templates/template.js";

const id: Identity = { id: "t", code: "identity.test", label: "总计 = 甲 + 乙", lhs: ["x.total"], rhs: ["x.a", "x.b"] };
const run = (vals: Record<string, number | null>, unknown: string[] = []) => checkIdentities([id], new Map(Object.entries(vals)), new Set(unknown), (p) => p);

describe("checkIdentities", () => {
  it("passes a holding identity and reports a broken one with expected and actual", () => {
    expect(run({ "x.total": 3, "x.a": 1, "x.b": 2 })).toEqual([]);
    const [i] = run({ "x.total": 4, "x.a": 1, "x.b": 2 });
    expect(i).toMatchObject({ code: "identity.test", severity: "error", expected: 4, actual: 3, identity: "t" });
    expect(i!.paths).toEqual(["x.total", "x.a", "x.b"]);
  });
  it("counts a blank as 0 and says so", () => {
    const [i] = run({ "x.total": null, "x.a": 1, "x.b": 0 });
    expect(i?.message).toContain("为空");
  });
  it("skips all-blank identities and identities touching unreadable cells", () => {
    expect(run({ "x.total": null, "x.a": null, "x.b": null })).toEqual([]);
    expect(run({ "x.total": 9, "x.a": null, "x.b": 2 }, ["x.a"])).toEqual([]);
  });
  it("tolerates decimals and never throws", () => {
    expect(run({ "x.total": 0.3, "x.a": 0.1, "x.b": 0.2 })).toEqual([]);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("x.total", "x.a", "x.b", "y"), fc.option(fc.double({ noNaN: true }), { nil: null })), (vals) => {
        expect(Array.isArray(run(vals))).toBe(true);
      }),
    );
  });
});
