import type Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { NianbaoError } from "../errors.js";
import { openDb } from "./db.js";
import { pending } from "./migrate.js";
import { MIGRATIONS } from "./migrations/index.js";

/**
 * Open the database for reading only. A database made by an older nianbao is first upgraded (its
 * migrations are nianbao's own writes, not the query's), so the current views exist; if the file
 * cannot be written (read-only file system), it is queried as it is.
 */
export function openForQuery(path: string): Database.Database {
  if (path !== ":memory:" && existsSync(path)) {
    const probe = openDb(path, { readOnly: true });
    const outdated = pending(probe, MIGRATIONS).length > 0;
    probe.close();
    if (outdated) {
      try {
        openDb(path).close();
      } catch {
        /* not writable: query the tables it has */
      }
    }
  }
  return openDb(path, { readOnly: true });
}

/** A value bound to a named parameter: text that reads as a number is bound as that number. */
export type ParamValue = string | number | null;

export function coerceParam(value: string): ParamValue {
  return /^-?(?:\d+|\d*\.\d+)(?:e[+-]?\d+)?$/i.test(value.trim()) ? Number(value) : value;
}

export interface QueryRows {
  columns: string[];
  /** Rows as arrays, in column order; iterate once. */
  rows: Iterable<unknown[]>;
}

/**
 * Run one SQL statement that does not write. Two guards: the connection is read-only, and the
 * statement is refused before it runs if SQLite says it would write (E_QUERY_READ_ONLY). Several
 * statements in one string are refused too (E_QUERY_FAILED): each would need its own check, and
 * a script is what the sqlite3 shell is for.
 */
export function runReadOnly(db: Database.Database, sql: string, params: Record<string, ParamValue> = {}): QueryRows {
  let stmt: Database.Statement;
  try {
    stmt = db.prepare(sql);
  } catch (cause) {
    const message = (cause as Error).message;
    if (/more than one statement/i.test(message)) {
      throw new NianbaoError("E_QUERY_FAILED", "query runs one SQL statement at a time (remove the extra ';' statements)", {}, { cause });
    }
    throw new NianbaoError("E_QUERY_FAILED", `invalid SQL: ${message}`, {}, { cause });
  }
  if (!stmt.readonly) throw new NianbaoError("E_QUERY_READ_ONLY", "query is read-only (use ingest, crawl or reparse to change the database)");
  const bind: unknown[] = Object.keys(params).length ? [params] : [];
  if (!stmt.reader) {
    wrapSqlError(() => stmt.run(...bind));
    return { columns: [], rows: [] };
  }
  stmt.raw(true);
  const columns = stmt.columns().map((c) => c.name);
  const iterator = wrapSqlError(() => stmt.iterate(...bind) as IterableIterator<unknown[]>);
  return { columns, rows: guarded(iterator) };
}

function* guarded(it: IterableIterator<unknown[]>): Generator<unknown[]> {
  for (;;) {
    const next = wrapSqlError(() => it.next());
    if (next.done) return;
    yield next.value;
  }
}

function wrapSqlError<T>(f: () => T): T {
  try {
    return f();
  } catch (cause) {
    const message = (cause as Error).message;
    if (/readonly|read-only/i.test(message)) {
      throw new NianbaoError("E_QUERY_READ_ONLY", "query is read-only (use ingest, crawl or reparse to change the database)", {}, { cause });
    }
    throw new NianbaoError("E_QUERY_FAILED", `query failed: ${message}`, {}, { cause });
  }
}
