import { describe, expect, it } from "vitest";
import { gridTexts } from "../../src/parse/grid.js";
import { parsePipeLines, parsePipeText } from "../../src/parse/pipe-text.js";

describe("parsePipeText", () => {
  it("rebuilds the rows of the seed's one-cell-per-line layout from its padding", () => {
    const text = ["第二十条第(一)项 |", "|||", "信息内容 |", "本年新 |", "本年新 |", "对外公开总数量 |", "规章 |", "0 |", "0 |", "0 |", "其他对外管理服务事项 |", "|||", "政府集中采购 |", "2 |", "1216800 |"].join("\n");
    const { grid, style } = parsePipeLines(text.split("\n"));
    expect(style).toBe("seed");
    expect(gridTexts(grid)).toEqual([
      ["第二十条第(一)项", "", "", ""],
      ["信息内容", "本年新", "本年新", "对外公开总数量"],
      ["规章", "0", "0", "0"],
      ["其他对外管理服务事项", "", "", ""],
      ["政府集中采购", "2", "1216800"],
    ]);
  });

  it("starts a new table where two flattened tables meet (the first's last row is unpadded)", () => {
    const lines = ["甲 |", "||", "乙 |", "1 |", "2 |", "丙 |", "|", "丁 |", "3 |"];
    expect(gridTexts(parsePipeText(lines.join("\n")))).toEqual([["甲", "", ""], ["乙", "1", "2"], ["丙", ""], ["丁", "3"]]);
  });

  it("reads row-per-line styles with and without padding, leading pipes and markdown", () => {
    expect(gridTexts(parsePipeText("第二十条第(一)项 | |||\n规章 | 0 | 0 | 0 |"))).toEqual([["第二十条第(一)项", "", "", ""], ["规章", "0", "0", "0"]]);
    expect(gridTexts(parsePipeText("| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 | 1 | 2 | 3 |"))).toEqual([["规章", "0", "0", "0"], ["行政规范性文件", "1", "2", "3"]]);
    const md = parsePipeLines(["| 信息内容 | 本年制发件数 |", "|---|---|", "| 规章 | 0 |"]);
    expect(md.style).toBe("markdown");
    expect(gridTexts(md.grid)).toEqual([["信息内容", "本年制发件数"], ["规章", "0"]]);
  });

  it("keeps a trailing blank cell of a markdown row (a blank 总计)", () => {
    expect(gridTexts(parsePipeText("| 四、结转下年度继续办理 | 1 | 0 |  |\n|---|---|---|---|"))).toEqual([["四、结转下年度继续办理", "1", "0", ""]]);
  });
});
