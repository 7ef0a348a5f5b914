import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readNarrative } from "../../src/interpret/narrative.js";
import { extractText } from "../../src/parse/text.js";
import { parseReport } from "../../src/pipeline.js";
import type { ReportRecord } from "../../src/schema/record.js";

// A 2021 report (表三 新收 total 716; 表四 复议 5, 直接起诉 4, 复议后起诉 3) whose prose we write.
const PAGE = readFileSync(new URL("../../fixtures/reports/syn-pipe-2021-rows/input.txt", import.meta.url), "utf8");
const withProse = (page: string, prose: string) => page.replace("本机关依法做好政府信息公开工作。", `本机关依法做好政府信息公开工作。${prose}`);
const codes = (r: ReportRecord, prefix: string) => r.issues.filter((i) => i.code.startsWith(prefix));

describe("the narrative as evidence", () => {
  it("reads the figures the prose states, and only those naming a cell", () => {
    const facts = readNarrative(
      extractText("2023年，本机关共收到政府信息公开申请17件，上年结转政府信息公开申请2件，结转下年度继续办理1件。\n全年发生政府信息公开行政复议3件、行政诉讼0件，主动公开政府信息16条。\n在5件申请中，3件予以公开。"),
    );
    expect(facts.map((f) => [f.paths.join("+"), f.value])).toEqual([
      ["applications.new_received.total", 17],
      ["applications.carried_over.total", 2],
      ["applications.carried_forward.total", 1],
      ["reviewLitigation.review.total", 3],
      ["reviewLitigation.litigation_direct.total+reviewLitigation.litigation_after_review.total", 0],
    ]);
  });

  it("a figure of another period, a running total, a part or a wider count is not the cell's (QA: such prose chose a wrong glued split)", () => {
    const facts = readNarrative(
      extractText("自2019年以来，累计发生政府信息公开行政复议11件。\n上年度收到政府信息公开申请40件。\n本年共收到政府信息公开申请17件，其中通过网站收到政府信息公开申请9件。\n全局共办理各类行政复议6件。\n2022年行政诉讼3件。\n2023年，行政诉讼2件。"),
      2023,
    );
    expect(facts.map((f) => [f.paths.join("+"), f.value])).toEqual([
      ["applications.new_received.total", 17],
      ["reviewLitigation.litigation_direct.total+reviewLitigation.litigation_after_review.total", 2],
    ]);
  });

  it("a sentence that disagrees with the table is a warning with both numbers and the sentence; the table's number stays", () => {
    const r = parseReport(withProse(PAGE, "本年度共受理政府信息公开申请700件，发生行政复议5件、行政诉讼8件。"));
    expect(r.applications["new_received"]?.["total"]).toBe(716);
    const m = codes(r, "narrative.mismatch");
    expect(m.map((i) => [i.paths, i.expected, i.actual, i.severity])).toEqual([
      [["applications.new_received.total"], 700, 716, "warning"],
      [["reviewLitigation.litigation_direct.total", "reviewLitigation.litigation_after_review.total"], 8, 7, "warning"],
    ]);
    expect(m[0]!.message).toContain("本年度共受理政府信息公开申请700件");
    expect(m[0]!.data?.["sentence"]).toContain("700件");
  });

  it("a sentence that agrees is no issue", () => {
    const r = parseReport(withProse(PAGE, "本年度共受理政府信息公开申请716件，行政复议5件，行政诉讼7件。"));
    expect(codes(r, "narrative")).toEqual([]);
  });

  // 表四 glued as "00011110001100000": three splits fit every identity (复议 total 1 or 11).
  const glued = PAGE.replace(/\s*\|\s*/g, "").replace(/(结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计)\d+/, "$100011110001100000");

  it("without a sentence, the ambiguous glued cells stay null", () => {
    const r = parseReport(glued);
    expect(r.reviewLitigation["review"]?.["total"]).toBeNull();
    expect(codes(r, "split.ambiguous").some((i) => i.paths.includes("reviewLitigation.review.total"))).toBe(true);
    expect(codes(r, "split.settled_by_narrative")).toEqual([]);
  });

  it("a glued split that alone agrees with the prose is chosen, with an info issue naming the sentence", () => {
    const r = parseReport(withProse(glued, "本年度发生政府信息公开行政复议11件。"));
    expect(r.reviewLitigation).toEqual({
      review: { upheld: 0, corrected: 0, other: 0, pending: 11, total: 11 },
      litigation_direct: { upheld: 0, corrected: 0, other: 0, pending: 1, total: 1 },
      litigation_after_review: { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 },
    });
    const settled = codes(r, "split.settled_by_narrative");
    expect(settled.map((i) => i.severity)).toEqual(["info"]);
    expect(settled[0]!.message).toContain("行政复议11件");
    expect(codes(r, "split.ambiguous").filter((i) => i.paths.some((p) => p.startsWith("reviewLitigation")))).toEqual([]);
  });

  it("a sentence that leaves several splits narrows them but chooses nothing it does not know", () => {
    const r = parseReport(withProse(glued, "本年度发生政府信息公开行政复议1件。"));
    expect(r.reviewLitigation["review"]).toEqual({ upheld: 0, corrected: 0, other: 0, pending: 1, total: 1 });
    expect(r.reviewLitigation["litigation_direct"]?.["upheld"]).toBeNull();
    const amb = codes(r, "split.ambiguous").find((i) => i.paths.includes("reviewLitigation.litigation_direct.upheld"));
    expect(amb?.message).toContain("与正文所述不符");
  });

  it("prose that states one cell two ways settles nothing", () => {
    const r = parseReport(withProse(glued, "本年度发生政府信息公开行政复议11件。另据统计，行政复议1件。"));
    expect(r.reviewLitigation["review"]?.["total"]).toBeNull();
    expect(codes(r, "split.settled_by_narrative")).toEqual([]);
  });
});
