import Database from "better-sqlite3";
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { NianbaoError } from "../errors.js";
import { syncKeyDictionary } from "./dictionary.js";
import { migrate } from "./migrate.js";
import { MIGRATIONS } from "./migrations/index.js";

export const DEFAULT_DB_PATH = "data/nianbao.db";

/** The database path: the flag, else `NIANBAO_DB`, else `data/nianbao.db`. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env["NIANBAO_DB"] ?? DEFAULT_DB_PATH;
}

export interface OpenDbOptions {
  readOnly?: boolean;
}

/**
 * Open (and create) the database: WAL, foreign keys on, every pending migration applied.
 * Read-only handles never migrate or create anything.
 */
export function openDb(path: string, options: OpenDbOptions = {}): Database.Database {
  const memory = path === ":memory:";
  if (options.readOnly) {
    if (!memory && !existsSync(path)) {
      throw new NianbaoError("E_DB_OPEN", `no database at ${path} (run ingest or crawl first, or pass --db)`, { path });
    }
    try {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      db.pragma("foreign_keys = ON");
      // Opening is lazy: read the schema now, so a file that is not a database fails here, as
      // E_DB_OPEN, rather than at the first query as an internal error.
      db.prepare("SELECT count(*) FROM sqlite_master").get();
      return db;
    } catch (cause) {
      throw new NianbaoError("E_DB_OPEN", `cannot open ${path} read-only: ${(cause as Error).message}`, { path }, { cause });
    }
  }
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
  } catch (cause) {
    throw new NianbaoError("E_DB_OPEN", `cannot open database ${path}: ${(cause as Error).message}`, { path }, { cause });
  }
  migrate(db, MIGRATIONS);
  syncKeyDictionary(db);
  return db;
}
