import { describe, expect, it } from "vitest";
import { buildStream } from "../../src/interpret/tokens.js";
import type { Doc } from "../../src/parse/grid.js";

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
