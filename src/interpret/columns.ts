import type { Issue } from "../schema/issues.js";
import type { Template } from "../templates/template.js";

/**
 * The column headers of 表三 and 表四 as printed. Values are read by position, so a header that
 * prints the columns in another order (科研机构 before 商业企业, 结果纠正 before 结果维持) would put
 * every number of those columns under the wrong key. Such columns are left null with an error: the
 * data row may follow the header or the template, and nothing on the page says which.
 */

// 表三's applicant columns with a name found nowhere else in the table (其他 and 总计 are).
const APPLICANT_HEADS: [string, string][] = [
  ["natural_person", "自然人"],
  ["commercial", "商业企业"],
  ["research", "科研机构"],
  ["social_org", "社会公益组织"],
  ["legal_service", "法律服务机构"],
];
const OUTCOME_HEADS: [string, string][] = [
  ["upheld", "结果维持"],
  ["corrected", "结果纠正"],
  ["other", "其他结果"],
  ["pending", "尚未审结"],
  ["total", "总计"],
];
const GROUPS = ["review", "litigation_direct", "litigation_after_review"];

export interface ColumnCheck {
  issues: Issue[];
  /** Value paths whose column the header places elsewhere: to be left null. */
  paths: string[];
}

/** Keys whose printed position differs from the expected order (all of them, when any differ). */
function moved(heads: [string, string][], printed: string[]): string[] {
  if (printed.length !== heads.length || printed.every((p, i) => p === heads[i]![1])) return [];
  return heads.filter(([, label], i) => printed[i] !== label).map(([key]) => key);
}

const APPLICANT_HEADS_RE = new RegExp(APPLICANT_HEADS.map(([, l]) => l).join("|"), "g");

const fieldLists = new WeakMap<Template, string[]>();
/** Every value path of a template, listed once per template rather than once per page. */
function templateFields(template: Template): string[] {
  let f = fieldLists.get(template);
  if (!f) fieldLists.set(template, (f = template.tables.flatMap((t) => t.rows.flatMap((r) => r.fields))));
  return f;
}

/** The column order of 表三 and 表四 headers in the page's label text (`normText`: labels, `#` for a number). */
export function checkColumnOrder(normText: string, template: Template): ColumnCheck {
  const issues: Issue[] = [];
  const paths: string[] = [];
  const fields = templateFields(template);

  // 表三: the header runs from 申请人情况 to the first row (blank header cells are `#` too).
  const start = normText.indexOf("申请人情况");
  if (start >= 0) {
    const end = normText.indexOf("本年新收", start);
    const head = normText.slice(start, end < 0 ? start + 200 : end);
    const printed = [...head.matchAll(APPLICANT_HEADS_RE)].map((m) => m[0]);
    const keys = moved(APPLICANT_HEADS, printed);
    if (keys.length) {
      const ps = fields.filter((p) => p.startsWith("applications.") && keys.includes(p.slice(p.lastIndexOf(".") + 1)));
      paths.push(...ps);
      issues.push({
        code: "table.columns_reordered",
        severity: "error",
        message: `表三 表头的列序为“${printed.join("、")}”，与全国格式（${APPLICANT_HEADS.map(([, l]) => l).join("、")}）不同；数据可能按任一顺序排列，${keys.length} 列记为空`,
        paths: ps,
        data: { printed },
      });
    }
  }

  // 表四: a run of header labels (行政复议, 行政诉讼, the outcomes…), blank cells between them.
  for (const m of normText.matchAll(/(?:(?:行政复议|行政诉讼|未经复议直接起诉|复议后起诉|结果维持|结果纠正|其他结果|尚未审结|总计)#*)+/g)) {
    const printed = [...m[0].matchAll(/结果维持|结果纠正|其他结果|尚未审结|总计/g)].map((x) => x[0]);
    if (printed.length !== 15) continue;
    GROUPS.forEach((g, gi) => {
      const group = printed.slice(gi * 5, gi * 5 + 5);
      const keys = moved(OUTCOME_HEADS, group);
      if (!keys.length) return;
      const ps = keys.map((k) => `reviewLitigation.${g}.${k}`).filter((p) => fields.includes(p));
      paths.push(...ps);
      issues.push({
        code: "table.columns_reordered",
        severity: "error",
        message: `表四 第 ${gi + 1} 组表头的列序为“${group.join("、")}”，与全国格式（${OUTCOME_HEADS.map(([, l]) => l).join("、")}）不同；数据可能按任一顺序排列，${ps.length} 列记为空`,
        paths: ps,
        data: { printed: group },
      });
    });
    break;
  }
  return { issues, paths };
}
