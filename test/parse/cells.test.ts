import { describe, expect, it } from "vitest";
import { readCell, tokenizeText, type Chunk } from "../../src/parse/cells.js";

const brief = (cs: Chunk[]) => cs.map((c) => (c.t === "label" ? `L:${c.text}` : c.t === "num" ? `N:${c.value}${c.unit ?? ""}` : c.t === "null" ? "∅" : "_"));

describe("readCell", () => {
  it("reads numbers as printed: signs, 减, thousands, decimals, units", () => {
    expect(readCell("12")).toMatchObject({ t: "num", value: 12 });
    expect(readCell("+2")).toMatchObject({ t: "num", value: 2 });
    expect(readCell("-1")).toMatchObject({ t: "num", value: -1 });
    expect(readCell("减4")).toMatchObject({ t: "num", value: -4 });
    expect(readCell("1,216,800")).toMatchObject({ t: "num", value: 1216800 });
    expect(readCell("52.15")).toMatchObject({ t: "num", value: 52.15 });
    expect(readCell("984361元")).toMatchObject({ t: "num", value: 984361, unit: "元" });
    expect(readCell("2 笔")).toMatchObject({ t: "num", value: 2, unit: "笔" });
    expect(readCell("0.35万元")).toMatchObject({ t: "num", value: 0.35, unit: "万元" });
  });
  it("reads blank and null markers as null, never 0", () => {
    expect(readCell("").t).toBe("blank");
    expect(readCell(" \u00a0 ").t).toBe("blank");
    for (const m of ["—", "-", "/", "无", "——", "－"]) expect(readCell(m).t, m).toBe("null");
  });
  it("reads digits parted by spaces as one number only when they are thousands (QA: 1 2 was read as 12)", () => {
    expect(readCell("1 308")).toMatchObject({ t: "num", value: 1308 });
    expect(readCell("12 345 678")).toMatchObject({ t: "num", value: 12345678 });
    expect(readCell("1\u00a0308 件")).toMatchObject({ t: "num", value: 1308, unit: "件" });
    for (const c of ["1 2", "4 46", "10\n5", "1 3081"]) expect(readCell(c).t, c).toBe("label");
  });
  it("reads everything else as a label", () => {
    expect(readCell("3.其他").t).toBe("label");
    expect(readCell("第二十条第(一)项").t).toBe("label");
    expect(readCell("见附件").t).toBe("label");
  });
});

describe("tokenizeText", () => {
  it("cuts whitespace-separated cells", () => {
    expect(brief(tokenizeText("规范性文件 6 4 11 行政许可 0 1 0"))).toEqual(["L:规范性文件", "N:6", "N:4", "N:11", "L:行政许可", "N:0", "N:1", "N:0"]);
  });
  it("keeps glued runs whole and gives an item number back to its label", () => {
    expect(brief(tokenizeText("1.属于国家秘密00000002.其他法律行政法规禁止公开0000000"))).toEqual(["L:1.属于国家秘密", "N:0", "L:2.其他法律行政法规禁止公开", "N:0"]);
    const t = tokenizeText("3700000372.没有现成信息需要另行制作");
    expect(t[0]).toMatchObject({ t: "num", digits: "370000037" });
    expect(t[1]).toMatchObject({ t: "label", text: "2.没有现成信息需要另行制作" });
  });
  it("treats dates, ordinals and percentages as text", () => {
    expect(brief(tokenizeText("统计期限为2019年1月1日至2019年12月31日"))).toEqual(["L:统计期限为2019年1月1日至2019年12月31日"]);
    expect(brief(tokenizeText("占34.82%"))).toEqual(["L:占34.82%"]);
  });
  it("reads units and standalone null markers", () => {
    expect(brief(tokenizeText("政府集中采购 2笔 984361元"))).toEqual(["L:政府集中采购", "N:2笔", "N:984361元"]);
    expect(brief(tokenizeText("行政许可 — 3 /"))).toEqual(["L:行政许可", "∅", "N:3", "∅"]);
    expect(brief(tokenizeText("本年增/减处理决定数量"))).toEqual(["L:本年增/减处理决定数量"]);
  });
  it("keeps labels with spaces together", () => {
    expect(brief(tokenizeText("商业 企业 科研 机构 5"))).toEqual(["L:商业 企业 科研 机构", "N:5"]);
  });
});
