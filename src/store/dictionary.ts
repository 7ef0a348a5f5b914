import type Database from "better-sqlite3";
import { keyDictionary } from "../templates/dictionary.js";

/**
 * Keep `key_dictionary` equal to the template declarations. Cheap when nothing changed (one count
 * and one comparison); rewritten in one transaction when a template gained or changed a key.
 */
export function syncKeyDictionary(db: Database.Database): void {
  const entries = keyDictionary();
  const stored = db.prepare("SELECT template, section, row_key, col_key, row_label, col_label, table_ord, row_ord, col_ord FROM key_dictionary ORDER BY template, table_ord, row_ord, col_ord").all();
  const wanted = [...entries].sort((a, b) => (a.template < b.template ? -1 : a.template > b.template ? 1 : a.table_ord - b.table_ord || a.row_ord - b.row_ord || a.col_ord - b.col_ord));
  if (JSON.stringify(stored) === JSON.stringify(wanted)) return;
  const insert = db.prepare(
    "INSERT INTO key_dictionary (template, section, row_key, col_key, row_label, col_label, table_ord, row_ord, col_ord) VALUES (@template, @section, @row_key, @col_key, @row_label, @col_label, @table_ord, @row_ord, @col_ord)",
  );
  db.transaction(() => {
    db.prepare("DELETE FROM key_dictionary").run();
    for (const e of entries) insert.run(e);
  }).immediate();
}
