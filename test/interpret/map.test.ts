import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseReport } from "../../src/pipeline.js";

const T3 = (rows: string) => `标题: 某局2023年政府信息公开工作年度报告
本报告所列数据的统计期限为2023年1月1日至2023年12月31日。
二、主动公开政府信息情况
第二十条第(一)项 | | | |
信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
规章 | 0 | 0 | 0 |
行政规范性文件 | 1 | 0 | 5 |
三、收到和处理政府信息公开申请情况
${rows}
四、政府信息公开行政复议、行政诉讼情况
行政复议 | 行政诉讼 |
0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
`;

describe("mapping segments to rows", () => {
  it("never reads numbers of the narrative, even inside a table's region", () => {
    const text = T3(`(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |
本年共收到政府信息公开申请3项,其中行政许可类7项。
一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |`);
    const r = parseReport(text);
    expect(r.applications["new_received"]).toMatchObject({ natural_person: 3, total: 3 });
    expect(r.active["licensing"]).toEqual({ decisions: null });
    expect(r.issues.some((i) => i.code === "value.stray")).toBe(true);
  });

  it("ignores parenthetical glosses that name other rows' words", () => {
    const r = parseReport(T3(`(二)部分公开(区分处理的,只计这一情形,不计其他情形) | 2 | 0 | 0 | 0 | 0 | 0 | 2 |`));
    expect(r.applications["partially_granted"]?.["total"]).toBe(2);
    expect(r.applications["other_other"]?.["total"]).toBeNull();
  });

  it("prefers the alias nearest the values (其他法律… is not 其他)", () => {
    const r = parseReport(T3(`(三)不予公开 | 2.其他法律行政法规禁止公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
(六)其他处理 | 3.其他 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |`));
    expect(r.applications["denied_law_prohibited"]?.["total"]).toBe(1);
    expect(r.applications["other_other"]?.["total"]).toBe(4);
  });

  it("refuses a row with more values than cells rather than guess which to drop", () => {
    const r = parseReport(T3(`(一)予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 1 |`));
    expect(r.applications["granted"]?.["total"]).toBeNull();
    expect(r.issues.find((i) => i.code === "row.extra_values")?.paths).toContain("applications.granted.total");
  });

  it("reports a non-numeric value cell and keeps the rest of the row", () => {
    const r = parseReport(T3(`(一)予以公开 | 1 | 见附件 | 0 | 0 | 0 | 0 | 1 |`));
    expect(r.applications["granted"]).toMatchObject({ natural_person: 1, commercial: null, total: 1 });
    expect(r.issues.find((i) => i.code === "cell.unreadable")?.paths).toEqual(["applications.granted.commercial"]);
  });

  it("places a row whose label is garbled by its position, with a warning naming the printed label", () => {
    const text = T3(`一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |`).replace("行政规范性文件 | 1 | 0 | 5 |", "行政规范性文件 | 1 | 0 | 5 |\n第二十条第(五)项 | |\n信息内容 | 本年处理决定数量 |\n政许可 | 12 |\n第二十条第(六)项 | |\n行政处罚 | 3 |");
    const r = parseReport(text);
    expect(r.active["licensing"]).toEqual({ decisions: 12 });
    const issue = r.issues.find((i) => i.code === "row.label_inferred" && i.paths.includes("active.licensing.decisions"));
    expect(issue?.severity).toBe("warning");
    expect(issue?.message).toContain("政许可");
  });

  it("never stores a digit run longer than any cell as a number", () => {
    const text = T3(`一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |`).replace("行政规范性文件 | 1 | 0 | 5 |", "行政规范性文件 | 1 | 0 | 5 |\n第二十条第(五)项 | |\n信息内容 | 本年处理决定数量 |\n行政许可 | 1234567890123456789012 |");
    const r = parseReport(text);
    expect(r.active["licensing"]).toEqual({ decisions: null });
    expect(r.issues.some((i) => i.code === "cell.unreadable" && i.paths.includes("active.licensing.decisions"))).toBe(true);
    expect(JSON.stringify(r)).not.toContain("Infinity");
  });

  it("detects the template from the tables' labels, not the year", () => {
    const r = parseReport(T3(`一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |`).replace(/2023/g, "2020"));
    expect(r.year).toBe(2020);
    expect(r.template).toBe("2021");
  });

  // 表二's last row (2021 行政事业性收费: one amount in 万元), then a sentence of the narrative.
  const feesThenNarrative = (feesRow: string, sentence: string) =>
    readFileSync(new URL("../../fixtures/reports/syn-pipe-2021-rows/input.txt", import.meta.url), "utf8").replace("行政事业性收费 | 27 | | |\n", `${feesRow}\n${sentence}\n`);

  it("ends a table's region where its table ends: a number in the narrative after it is never a cell", () => {
    // The label cell carries the glued 0 and no value cell follows: the narrative's number used
    // to be placed into active.fees.amount by position (between 行政强制 and 表三).
    for (const sentence of ["本年度,我局主动公开政府信息395条。", "全年为群众减免各类费用12万元。"]) {
      const r = parseReport(feesThenNarrative("行政事业性收费0 |", sentence));
      expect(r.active["fees"]?.["amount"], sentence).toBeNull();
      expect(r.units["active.fees.amount"]).toBe("万元");
      expect(r.issues.some((i) => i.paths.includes("active.fees.amount") && i.severity === "error")).toBe(true);
      expect(r.active["coercion"]?.["decisions"]).not.toBeNull();
    }
  });

  it("never takes a value whose unit is not the cell's kind (条 for an amount in 万元)", () => {
    // Running text only (no table cells): the region cannot end at a table, the unit decides.
    const glued = "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件0012第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费\n本年度主动公开政府信息395条。\n三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他一、本年新收政府信息公开申请数量5000005";
    const r = parseReport(`某局2021年度政府信息公开工作年度报告\n${glued}`);
    expect(r.active["fees"]?.["amount"]).toBeNull();
    const issue = r.issues.find((i) => i.code === "unit.wrong_kind");
    expect(issue?.paths).toEqual(["active.fees.amount"]);
    expect(issue?.message).toContain("395条");
  });
});

describe("a row read twice", () => {
  const PAGE = readFileSync(new URL("../../fixtures/reports/syn-pipe-2021-rows/input.txt", import.meta.url), "utf8");
  const ROW = "(二)部分公开(区分处理的,只计这一情形,不计其他情形) | 10 | 9 | 8 | 7 | 12 | 1 | 47 | | |";
  it("with other values: neither reading is kept — the row is null with a row.duplicate error holding both", () => {
    const r = parseReport(PAGE.replace(ROW, `${ROW}\n(二)部分公开 | 1 | 2 | 3 | 4 | 5 | 6 | 21 | | |`));
    expect(Object.values(r.applications["partially_granted"] ?? {}).every((v) => v === null)).toBe(true);
    const dup = r.issues.filter((i) => i.code === "row.duplicate");
    expect(dup.map((i) => i.severity)).toEqual(["error"]);
    expect(dup[0]!.data).toEqual({ first: [10, 9, 8, 7, 12, 1, 47], other: [1, 2, 3, 4, 5, 6, 21] });
  });
  it("with the same values: read once, no issue", () => {
    const r = parseReport(PAGE.replace(ROW, `${ROW}\n(二)部分公开 | 10 | 9 | 8 | 7 | 12 | 1 | 47 | | |`));
    expect(r.applications["partially_granted"]?.["total"]).toBe(47);
    expect(r.issues.filter((i) => i.code === "row.duplicate")).toEqual([]);
  });
});
