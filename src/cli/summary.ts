import type { ReportRecord } from "../schema/record.js";
import { renderIssues } from "../schema/issues.js";
import { TEMPLATES } from "../templates/registry.js";

/** The human view of a record: metadata, the three tables, then the issues. */
export function renderSummary(r: ReportRecord): string {
  const out: string[] = [];
  out.push(`${r.title ?? "(no title)"}`);
  out.push(`agency: ${r.agency ?? "-"}   year: ${r.year ?? "-"}   template: ${r.template ?? "-"}   published: ${r.publishedAt ?? "-"}`);
  if (r.sourceUrl) out.push(`source: ${r.sourceUrl}`);
  const template = TEMPLATES.find((t) => t.id === r.template);
  const fmt = (v: number | null | undefined, unit?: string) => (v === null || v === undefined ? "—" : `${v}${unit ? ` ${unit}` : ""}`);
  for (const table of template?.tables ?? []) {
    out.push("", table.title);
    for (const row of table.rows) {
      const cells = row.fields.map((p, i) => {
        const [s, k, c] = p.split(".") as ["active" | "applications" | "reviewLitigation", string, string];
        return `${row.fieldLabels[i]} ${fmt(r[s][k]?.[c], r.units[p])}`;
      });
      if (row.unlabelled) {
        for (let i = 0; i < cells.length; i += 5) out.push(`  ${cells.slice(i, i + 5).join(" | ")}`);
      } else out.push(`  ${row.label}: ${cells.join(" | ")}`);
    }
  }
  const shown = r.issues.filter((i) => i.severity !== "info");
  out.push("", shown.length ? `issues (${shown.length}):` : "issues: none");
  if (shown.length) out.push(renderIssues(shown).replace(/^/gm, "  "));
  return out.join("\n") + "\n";
}
