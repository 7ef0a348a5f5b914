import type Database from "better-sqlite3";

/** A view or table to export, and the SELECT that reads it. */
export interface Relation {
  name: string;
  kind: "view" | "table";
  select: string;
}

/** Columns never exported: raw page bodies are compressed bytes, useless in CSV or JSONL. */
const SKIPPED_COLUMNS: Readonly<Record<string, readonly string[]>> = { pages: ["body"] };

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * What `export` writes: every view, and with `tables` every table too, except SQLite's own tables
 * and the full-text index's internal (shadow) tables. The search index itself is exported as
 * report_text (report_id, title, body). Sorted by name so exports are reproducible.
 */
export function exportableRelations(db: Database.Database, options: { tables?: boolean } = {}): Relation[] {
  const objects = db
    .prepare("SELECT name, type, sql FROM sqlite_master WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string; type: "view" | "table"; sql: string | null }[];
  const virtual = objects.filter((o) => o.type === "table" && /^CREATE VIRTUAL TABLE/i.test(o.sql ?? "")).map((o) => o.name);
  const out: Relation[] = [];
  for (const o of objects) {
    if (o.type === "view") {
      out.push({ name: o.name, kind: "view", select: `SELECT * FROM ${quote(o.name)}` });
      continue;
    }
    if (!options.tables) continue;
    if (virtual.some((v) => o.name.startsWith(`${v}_`))) continue;
    if (virtual.includes(o.name)) {
      out.push({ name: o.name, kind: "table", select: `SELECT rowid AS report_id, * FROM ${quote(o.name)} ORDER BY rowid` });
      continue;
    }
    const skipped = SKIPPED_COLUMNS[o.name] ?? [];
    const cols = (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(o.name) as string[]).filter((c) => !skipped.includes(c));
    out.push({ name: o.name, kind: "table", select: `SELECT ${cols.map(quote).join(", ")} FROM ${quote(o.name)}` });
  }
  return out;
}
