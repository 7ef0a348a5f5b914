import type { Issue } from "../schema/issues.js";
import type { Identity } from "../templates/template.js";

/**
 * Check arithmetic identities against extracted values. Pure, never throws, never changes a value.
 * A blank (null) cell counts as 0 in a sum; when that makes an identity fail, the message says the
 * cell was blank. Identities are skipped when they touch a row that was not found or a cell the
 * parser could not read (`unknown`: those are issues of their own, and their null is not a printed
 * blank), and when all their cells are blank.
 */
export function checkIdentities(
  identities: readonly Identity[],
  values: ReadonlyMap<string, number | null>,
  unknown: ReadonlySet<string>,
  describe: (path: string) => string,
): Issue[] {
  const issues: Issue[] = [];
  for (const id of identities) {
    const paths = [...id.lhs, ...id.rhs];
    if (paths.some((p) => unknown.has(p) || !values.has(p))) continue;
    if (paths.every((p) => values.get(p) === null)) continue;
    const sum = (ps: string[]) => ps.reduce((s, p) => s + (values.get(p) ?? 0), 0);
    const l = round(sum(id.lhs));
    const r = round(sum(id.rhs));
    if (l === r) continue;
    const show = (ps: string[]) => ps.map((p) => `${describe(p)}(${values.get(p) ?? "空"})`).join(" + ");
    const blanks = paths.filter((p) => values.get(p) === null);
    issues.push({
      code: id.code,
      severity: "error",
      message: `${id.label} 不成立：${show(id.lhs)} = ${l}，${show(id.rhs)} = ${r}${blanks.length ? `（${blanks.map(describe).join("、")} 为空，按 0 计）` : ""}`,
      paths,
      expected: l,
      actual: r,
      identity: id.id,
    });
  }
  return issues;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
