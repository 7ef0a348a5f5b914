import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseReport } from "../../src/pipeline.js";

// A 2021 pipe report (表三 新收 自然人 100, 商业企业 142, 科研机构 159; 表四 复议后起诉 0/0/3/0/3).
const PAGE = readFileSync(new URL("../../fixtures/reports/syn-pipe-2021-rows/input.txt", import.meta.url), "utf8");
const reordered = (r: ReturnType<typeof parseReport>) => r.issues.filter((i) => i.code === "table.columns_reordered");

describe("column headers printed in another order (values are read by position)", () => {
  it("the national order raises nothing", () => {
    expect(reordered(parseReport(PAGE))).toEqual([]);
  });

  it("表三 科研机构 before 商业企业: both columns null in every row, with an error naming them", () => {
    const r = parseReport(PAGE.replace("商业企业 | 科研机构", "科研机构 | 商业企业"));
    expect(r.applications["new_received"]).toMatchObject({ natural_person: 100, commercial: null, research: null });
    expect(r.applications["total"]?.["commercial"]).toBeNull();
    const [issue] = reordered(r);
    expect(issue?.severity).toBe("error");
    expect(issue?.paths).toContain("applications.carried_forward.research");
    expect(issue?.paths.some((p) => p.endsWith(".social_org"))).toBe(false);
  });

  it("表四's third group 其他结果 before 结果维持: only that group's two columns are null", () => {
    const lines = PAGE.split("\n");
    const i = lines.findIndex((l) => l.startsWith("结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持"));
    lines[i] = "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 其他结果 | 结果纠正 | 结果维持 | 尚未审结 | 总计 | | | | | |";
    const r = parseReport(lines.join("\n"));
    expect(r.reviewLitigation["litigation_after_review"]).toEqual({ upheld: null, corrected: 0, other: null, pending: 0, total: 3 });
    expect(r.reviewLitigation["review"]?.["upheld"]).toBe(3);
    expect(reordered(r).map((x) => x.paths)).toEqual([["reviewLitigation.litigation_after_review.upheld", "reviewLitigation.litigation_after_review.other"]]);
  });
});
