import { TEMPLATES } from "./registry.js";
import type { Template } from "./template.js";

/**
 * The key dictionary: every value key of every national format with its Chinese labels and the
 * order it is printed in. Built from the template declarations (the single source), stored in the
 * database (`key_dictionary`, view `value_labels`) and written out as docs/keys.md.
 */
export interface KeyEntry {
  template: string;
  /** SQL section: active, applications, review_litigation. */
  section: "active" | "applications" | "review_litigation";
  row_key: string;
  col_key: string;
  row_label: string;
  col_label: string;
  /** 0-based: table (表二, 表三, 表四), row within the table, column within the row. */
  table_ord: number;
  row_ord: number;
  col_ord: number;
}

const SECTION_OF: Record<string, KeyEntry["section"]> = { active: "active", applications: "applications", reviewLitigation: "review_litigation" };

export function keyDictionary(templates: readonly Template[] = TEMPLATES): KeyEntry[] {
  const out: KeyEntry[] = [];
  for (const t of templates) {
    t.tables.forEach((table, tableOrd) => {
      const rowOrd = new Map<string, number>();
      const colOrd = new Map<string, number>();
      for (const row of table.rows) {
        row.fields.forEach((path, i) => {
          const [field, rowKey, colKey] = path.split(".") as [string, string, string];
          const section = SECTION_OF[field];
          if (!section) return;
          if (!rowOrd.has(rowKey)) rowOrd.set(rowKey, rowOrd.size);
          const c = colOrd.get(rowKey) ?? 0;
          colOrd.set(rowKey, c + 1);
          // 表四's one printed row carries "group·outcome" labels.
          const label = row.fieldLabels[i] ?? colKey;
          const [rowLabel, colLabel] = label.includes("·") ? (label.split("·") as [string, string]) : [row.label, label];
          out.push({ template: t.id, section, row_key: rowKey, col_key: colKey, row_label: rowLabel, col_label: colLabel, table_ord: tableOrd, row_ord: rowOrd.get(rowKey) as number, col_ord: c });
        });
      }
    });
  }
  return out;
}

/**
 * Keys of the two formats that answer (nearly) the same question, for comparisons across 2020/2021.
 * Hand-written: the formats do not say it themselves.
 */
export const CORRESPONDENCES: readonly { y2019: string; y2021: string; note: string }[] = [
  { y2019: "active.rules.made, active.normative_docs.made (本年新制作数量)", y2021: "active.rules.issued, active.normative_docs.issued (本年制发件数)", note: "documents made in the year; comparable" },
  { y2019: "active.rules.published, active.normative_docs.published (本年新公开数量)", y2021: "—", note: "no 2021 counterpart" },
  { y2019: "—", y2021: "active.rules.repealed, active.normative_docs.repealed (本年废止件数)", note: "new in 2021" },
  { y2019: "active.rules.total, active.normative_docs.total (对外公开总数量)", y2021: "active.rules.in_force, active.normative_docs.in_force (现行有效件数)", note: "a stock, not a flow; close but not the same question (published in total vs currently in force)" },
  { y2019: "active.{licensing,penalty,coercion}.decisions (处理决定数量)", y2021: "active.{licensing,penalty,coercion}.decisions (本年处理决定数量)", note: "comparable" },
  { y2019: "active.{licensing,penalty,coercion,other_services,fees}.previous / .change (上一年项目数量, 本年增/减)", y2021: "—", note: "2019 only" },
  { y2019: "active.other_services.*, active.procurement.* (其他对外管理服务事项, 政府集中采购)", y2021: "—", note: "2019 only" },
  { y2019: "—", y2021: "active.fees.amount (本年收费金额, 万元)", note: "2021 only; 2019 counts fee items, not amounts" },
  { y2019: "applications.other.* (（六）其他处理)", y2021: "applications.other_no_correction.* + applications.other_unpaid_fee.* + applications.other_other.* (（六）1–3)", note: "the 2021 sum equals the 2019 row" },
  { y2019: "every other applications.* and reviewLitigation.* key", y2021: "the same key", note: "identical rows and columns in both formats" },
];

/** docs/keys.md, generated (test/docs/keys.test.ts keeps the committed file equal to this). */
export function renderKeysMarkdown(templates: readonly Template[] = TEMPLATES): string {
  const entries = keyDictionary(templates);
  const lines: string[] = [
    "# Value keys",
    "",
    "<!-- Generated from src/templates/*.ts by src/templates/dictionary.ts; do not edit by hand.",
    "     Regenerate: UPDATE_DOCS=1 npx vitest run test/docs/keys.test.ts -->",
    "",
    "Every value nianbao stores has a key: a section (表二 `active`, 表三 `applications`, 表四",
    "`review_litigation`; in the record `reviewLitigation`), a row key and a column key. The record's",
    "value path is `section.row.column` (e.g. `applications.new_received.total`). The same list is in",
    "the database as the view `value_labels`, with the printed order, so a query can show a report's",
    "rows as printed:",
    "",
    "```sql",
    "SELECT l.row_label, a.natural_person, a.total",
    "FROM applications a",
    "JOIN reports_latest r USING (report_id)",
    "JOIN (SELECT DISTINCT template, row_key, row_label, row_ord FROM value_labels WHERE section = 'applications') l",
    "  ON l.template = r.template AND l.row_key = a.row_key",
    "WHERE a.report_id = 1",
    "ORDER BY l.row_ord;",
    "```",
    "",
    "## 2019 ↔ 2021",
    "",
    "The 2019 format (国办公开办函〔2019〕60号, statistical years 2019–2020) and the 2021 format (国办公开办函〔2021〕30号,",
    "2021 onward) share 表三 and 表四 except for the （六） rows; 表二 differs.",
    "",
    "| 2019 | 2021 | note |",
    "|---|---|---|",
    ...CORRESPONDENCES.map((c) => `| ${c.y2019} | ${c.y2021} | ${c.note} |`),
    "",
  ];
  for (const t of templates) {
    lines.push(`## ${t.id}: ${t.name}`, "");
    t.tables.forEach((table, tableOrd) => {
      const rows = entries.filter((e) => e.template === t.id && e.table_ord === tableOrd);
      if (!rows.length) return;
      lines.push(`### ${table.title} — section \`${rows[0]?.section}\``, "", "| # | row key | row (as printed) | column keys (as printed, in order) |", "|---|---|---|---|");
      const byRow = new Map<string, KeyEntry[]>();
      for (const e of rows) byRow.set(e.row_key, [...(byRow.get(e.row_key) ?? []), e]);
      for (const [rowKey, cols] of byRow) {
        const first = cols[0] as KeyEntry;
        lines.push(`| ${first.row_ord + 1} | \`${rowKey}\` | ${first.row_label} | ${cols.map((c) => `\`${c.col_key}\` ${c.col_label}`).join(", ")} |`);
      }
      const groups = table.groups ?? [];
      if (groups.length) {
        lines.push("", `Groups printed as headings (no values of their own): ${groups.map((g) => `${g.label} = ${g.rows.map((r) => `\`${r}\``).join(", ")}`).join("; ")}.`);
      }
      lines.push("");
    });
  }
  return lines.join("\n");
}
