import type Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { NianbaoError } from "../errors.js";
import { openDb } from "./db.js";
import { openForQuery } from "./query.js";
import { indexPending, pendingCount } from "./search-index.js";

/**
 * Open the database for searching, first indexing reports still queued for the search index (left
 * by a crawl that did not flush, or a crash). Falls back to read-only when the file is not writable.
 * Returns how many reports it indexed.
 */
export function openForSearch(path: string): { db: Database.Database; indexed: number } {
  if (path !== ":memory:" && !existsSync(path)) {
    throw new NianbaoError("E_DB_OPEN", `no database at ${path} (run ingest or crawl first, or pass --db)`, { path });
  }
  let db: Database.Database;
  try {
    db = openDb(path);
  } catch {
    return { db: openForQuery(path), indexed: 0 };
  }
  try {
    return { db, indexed: pendingCount(db) > 0 ? indexPending(db) : 0 };
  } catch (e) {
    db.close();
    throw e;
  }
}

export interface SearchHit {
  report_id: number;
  agency: string | null;
  year: number | null;
  title: string | null;
  snippet: string;
}

export interface SearchResult {
  /** fts: the trigram index answered; like: a term was shorter than 3 characters, so a scan did. */
  mode: "fts" | "like";
  hits: SearchHit[];
}

export interface SearchOptions {
  limit?: number;
  /** Include every stored version, not only the latest per agency and year. */
  all?: boolean;
}

/**
 * Full-text search over the stored reports' page text. Whitespace separates terms, all of which must
 * occur. The trigram index needs 3+ characters per term; with a shorter term (一两个字) the search
 * falls back to a substring scan, which is slower on large databases but finds the same things.
 */
export function searchReports(db: Database.Database, text: string, options: SearchOptions = {}): SearchResult {
  const { limit = 20, all = false } = options;
  const terms = text.trim().split(/\s+/).filter(Boolean);
  if (terms.length === 0) throw new NianbaoError("E_BAD_ARGS", "search needs some text to look for");
  const scope = all
    ? "JOIN reports r ON r.id = t.rowid"
    : "JOIN reports_latest l ON l.report_id = t.rowid JOIN reports r ON r.id = l.report_id";
  if (terms.every((t) => [...t].length >= 3)) {
    const match = terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(" AND ");
    const hits = db
      .prepare(
        `SELECT r.id AS report_id, r.agency, r.year, r.title,
                snippet(report_text, 1, '[', ']', '…', 24) AS snippet
         FROM report_text t ${scope}
         WHERE report_text MATCH ? ORDER BY rank LIMIT ?`,
      )
      .all(match, limit) as SearchHit[];
    return { mode: "fts", hits };
  }
  // Same columns as the index: the title and the page text.
  const where = terms.map(() => "instr(t.title || ' ' || t.body, ?) > 0").join(" AND ");
  const rows = db
    .prepare(
      `SELECT r.id AS report_id, r.agency, r.year, r.title,
              substr(t.title || ' ' || t.body, max(1, instr(t.title || ' ' || t.body, ?) - 30), 80) AS snippet
       FROM report_text t ${scope}
       WHERE ${where} ORDER BY r.year DESC, r.agency LIMIT ?`,
    )
    .all(terms[0], ...terms, limit) as SearchHit[];
  const first = terms[0];
  const hits = rows.map((h) => ({ ...h, snippet: `…${h.snippet.replace(first, `[${first}]`)}…` }));
  return { mode: "like", hits };
}
