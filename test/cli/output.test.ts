import { describe, expect, it } from "vitest";
import { displayWidth, writeRows, type OutputFormat } from "../../src/cli/output.js";

const render = (format: OutputFormat, rows: unknown[][], options = {}) => {
  let out = "";
  const n = writeRows((s) => (out += s), ["a", "b"], rows, format, options);
  return { out, n };
};

describe("writeRows", () => {
  const rows = [[1, 'x,"y"\nz'], [null, new Uint8Array([1, 2])]];

  it("csv quotes what needs quoting, leaves NULL empty, writes BLOBs as base64", () => {
    expect(render("csv", rows)).toEqual({ out: 'a,b\n1,"x,""y""\nz"\n,AQI=\n', n: 2 });
    expect(render("csv", rows, { headers: false }).out).toBe('1,"x,""y""\nz"\n,AQI=\n');
  });

  it("json is an array of objects (also when empty); jsonl one object a line", () => {
    expect(JSON.parse(render("json", rows).out)).toEqual([{ a: 1, b: 'x,"y"\nz' }, { a: null, b: "AQI=" }]);
    expect(render("json", []).out).toBe("[]\n");
    expect(render("jsonl", rows).out.split("\n")).toHaveLength(3);
  });

  it("table pads by display width (CJK counts 2) and cuts long cells", () => {
    expect(render("table", [["财政局", 1], ["x", 22]]).out).toBe("a       b\n------  --\n财政局  1\nx       22\n");
    expect(render("table", [["一二三四五六", 1]], { maxCellWidth: 5, headers: false }).out).toBe("一二…  1\n");
    expect(displayWidth("ab财政")).toBe(6);
  });
});
