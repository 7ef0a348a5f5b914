/**
 * Where the token stream starts reading values: the first table, or the first text line where a
 * table anchor ends (with the two lines before it). Everything before is one label token, so
 * chrome and narrative are never cut into numbers.
 */
import { describe, expect, it } from "vitest";
import { buildStream } from "../../src/interpret/tokens.js";
import type { Doc } from "../../src/parse/grid.js";
import { foldLabel } from "../../src/parse/normalize.js";

const textDoc = (lines: string[]): Doc => ({
  kind: "text",
  blocks: [{ kind: "text", lines: lines.map((text, i) => ({ text, line: i + 1 })) }],
  titles: [],
  meta: {},
  attachments: [],
  images: 0,
  text: lines.join("\n"),
});

/** The stream's tokens as their text: labels as written, numbers as digits. */
const texts = (doc: Doc, anchors: string[]) => buildStream(doc, anchors).tokens.map((t) => (t.chunk.t === "label" ? t.chunk.text : t.chunk.t === "num" ? t.chunk.digits : t.chunk.t));

describe("buildStream: text before the first anchor", () => {
  // Menu lines of portal chrome (with numbers in them), then the report.
  const chrome = Array.from({ length: 40 }, (_, i) => `栏目名称${i} 12 34`);

  it("keeps the text before the anchor as one label and cuts the rest into cells", () => {
    const doc = textDoc([...chrome, "甲", "乙", "主动公开政府信息情况", "规章 5 6 7"]);
    const toks = texts(doc, ["主动公开政府信息情况"]);
    // The two lines before the anchor's line are cut too (an anchor may be broken over lines).
    expect(toks[0]).toBe(chrome.join("\n"));
    expect(toks.slice(1)).toEqual(["甲 乙 主动公开政府信息情况 规章", "5", "6", "7"]);
  });

  it("finds an anchor broken over two lines, however long the text before it", () => {
    const doc = textDoc([...chrome, "一、主动公开政府", "信息情况", "规章 5 6 7"]);
    const toks = texts(doc, ["主动公开政府信息情况"]);
    expect(toks[0]).toBe(chrome.slice(0, -1).join("\n"));
    expect(toks.slice(1)).toEqual(["栏目名称", "39", "12", "34", "一、主动公开政府 信息情况 规章", "5", "6", "7"]);
  });

  it("finds an anchor broken over three lines", () => {
    const doc = textDoc([...chrome, "主动公", "开政府信", "息情况", "规章 5"]);
    const toks = texts(doc, ["第二十条第", "主动公开政府信息情况"]);
    expect(toks[0]).toBe(chrome.join("\n"));
    expect(toks.slice(1)).toEqual(["主动公 开政府信 息情况 规章", "5"]);
  });

  it("finds an anchor whose last character alone is on the next line", () => {
    const doc = textDoc([...chrome, "主动公开政府信息情", "况", "规章 5"]);
    const toks = texts(doc, ["主动公开政府信息情况"]);
    expect(toks[0]).toBe(chrome.slice(0, -1).join("\n"));
    expect(toks.slice(1)).toEqual(["栏目名称", "39", "12", "34", "主动公开政府信息情 况 规章", "5"]);
  });

  it("cuts every line into cells when no anchor occurs", () => {
    const doc = textDoc(["栏目 12", "规章 5"]);
    expect(texts(doc, ["主动公开政府信息情况"])).toEqual(["栏目", "12", "规章", "5"]);
  });

  it("gives each cell of a text run the line it is on", () => {
    const doc = textDoc(["主动公开政府信息情况", "规章 5", "规范性文件 6 7", "", "行政许可 8"]);
    const stream = buildStream(doc, ["主动公开政府信息情况"]);
    expect(stream.tokens.map((t) => [t.chunk.t === "label" ? t.chunk.text : t.raw, t.row])).toEqual([
      ["主动公开政府信息情况 规章", 1],
      ["5", 2],
      ["规范性文件", 3],
      ["6", 3],
      ["7", 3],
      ["行政许可", 5],
      ["8", 5],
    ]);
  });
});

const ANCHOR = foldLabel("收到和处理政府信息公开申请情况");

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
      const { tokens } = buildStream(textDoc(lines), [ANCHOR]);
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
    const { tokens } = buildStream(textDoc(menu.slice(0, 5)), [ANCHOR]);
    expect(tokens.some((t) => t.chunk.t !== "label")).toBe(true);
  });
});
