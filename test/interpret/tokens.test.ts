/**
 * Where the token stream starts reading values: the first table, or the first text line where a
 * table anchor ends (with the two lines before it). Everything before is one label token, so
 * chrome and narrative are never cut into numbers.
 */
import { describe, expect, it } from "vitest";
import { buildStream } from "../../src/interpret/tokens.js";
import type { Doc } from "../../src/parse/grid.js";
import { foldLabel } from "../../src/parse/normalize.js";

const ANCHOR = foldLabel("收到和处理政府信息公开申请情况");

function docOf(lines: string[]): Doc {
  return { kind: "text", blocks: [{ kind: "text", lines: lines.map((text, i) => ({ text, line: i + 1 })) }], titles: [], meta: {}, attachments: [], images: 0, text: lines.join("\n") };
}
const menu = Array.from({ length: 300 }, (_, i) => `栏目${i} 2023 ${i}`);

describe("buildStream: where values may start", () => {
  for (const [name, anchorLines] of [
    ["in one line", ["三、收到和处理政府信息公开申请情况"]],
    ["broken over two lines", ["三、收到和处理政府", "信息公开申请情况"]],
    ["broken over three lines", ["三、收到和处", "理政府信息", "公开申请情况"]],
    ["at a line's start", ["收到和处理政府信息公开申请情况（续）"]],
  ] as const) {
    it(`an anchor ${name} after 300 lines of chrome: everything up to two lines before where it ends is one label`, () => {
      const lines = [...menu, ...anchorLines, "1 | 2 | 3 |"];
      const { tokens } = buildStream(docOf(lines), [ANCHOR]);
      const end = menu.length + anchorLines.length - 1; // the line where the anchor ends
      const skipped = lines.slice(0, end - 2).join("\n");
      expect(tokens[0]!.chunk).toMatchObject({ t: "label", text: skipped });
      // No number of the skipped chrome became a token (lines are 1-based); the table's did.
      const numberRows = tokens.filter((t) => t.chunk.t !== "label").map((t) => t.row);
      expect(Math.min(...numberRows)).toBeGreaterThanOrEqual(end - 1);
      expect(numberRows).toContain(lines.length);
    });
  }
  it("without an anchor anywhere, nothing is skipped", () => {
    const { tokens } = buildStream(docOf(menu.slice(0, 5)), [ANCHOR]);
    expect(tokens.some((t) => t.chunk.t !== "label")).toBe(true);
  });
});
