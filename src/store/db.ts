import Database from "better-sqlite3";
import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { NianbaoError } from "../errors.js";
import { syncKeyDictionary } from "./dictionary.js";
import { migrate } from "./migrate.js";
import { MIGRATIONS } from "./migrations/index.js";

export const DEFAULT_DB_PATH = "data/nianbao.db";

// Let SQLite read `file:…?immutable=1` names: the read-only fallback for a database in a folder the
// user cannot write (see openReadOnly). better-sqlite3 reads this once, when it first opens a file.
process.env["SQLITE_USE_URI"] ??= "1";

/** The database path: the flag, else `NIANBAO_DB`, else `data/nianbao.db`. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env["NIANBAO_DB"] ?? DEFAULT_DB_PATH;
}

export interface OpenDbOptions {
  readOnly?: boolean;
  /** Refuse to create a missing file (every command but crawl and ingest: a typo must not make an empty database). */
  mustExist?: boolean;
}

/**
 * Open (and create) the database: WAL, foreign keys on, every pending migration applied.
 * Read-only handles never migrate or create anything.
 *
 * Whatever keeps a database from being opened as asked is an `E_DB_OPEN` naming the file and the
 * reason, before anything else happens: a missing file (read-only), a file or folder that cannot be
 * written (read-write), a file that is not a database.
 */
export function openDb(path: string, options: OpenDbOptions = {}): Database.Database {
  const memory = path === ":memory:";
  if (options.readOnly) return openReadOnly(path, memory);
  if (!memory && options.mustExist && !existsSync(path)) {
    throw new NianbaoError("E_DB_OPEN", `no database at ${path} (run ingest or crawl first, or pass --db)`, { path });
  }
  if (!memory) checkWritable(path);
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
  try {
    migrate(db, MIGRATIONS);
    syncKeyDictionary(db);
  } catch (e) {
    db.close();
    // A file that became unwritable since the check (or a read-only mount) shows up here.
    if (/readonly|read-only/i.test(String((e as { cause?: Error }).cause?.message ?? (e as Error).message))) {
      throw new NianbaoError("E_DB_OPEN", `cannot write to database ${path}: ${(e as Error).message}`, { path }, { cause: e });
    }
    throw e;
  }
  return db;
}

/**
 * Fail early, with the reason, when a database cannot be written: SQLite would otherwise open it
 * read-only without a word and fail at the first write, deep inside a crawl.
 */
function checkWritable(path: string): void {
  const dir = dirname(resolve(path));
  try {
    mkdirSync(dir, { recursive: true });
  } catch (cause) {
    throw new NianbaoError("E_DB_OPEN", `cannot create the folder ${dir} for database ${path}: ${(cause as Error).message}`, { path }, { cause });
  }
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new NianbaoError("E_DB_OPEN", `cannot open database ${path}: it is a folder`, { path });
    if (!canAccess(path, constants.R_OK | constants.W_OK)) {
      throw new NianbaoError("E_DB_OPEN", `cannot write to database ${path}: permission denied (the file is read-only for this user)`, { path });
    }
  }
  if (!canAccess(dir, constants.W_OK | constants.X_OK)) {
    throw new NianbaoError("E_DB_OPEN", `cannot write to database ${path}: the folder ${dir} is not writable (SQLite keeps its -wal and -shm files beside the database)`, { path });
  }
}

function canAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

/**
 * A read-only handle. A WAL database needs its -shm file, which SQLite creates beside it; in a
 * folder the user cannot write, the file is opened immutable instead (nothing is created, nothing
 * locked), which is right as long as no -wal file holds changes not yet in the database.
 */
function openReadOnly(path: string, memory: boolean): Database.Database {
  if (!memory && !existsSync(path)) {
    throw new NianbaoError("E_DB_OPEN", `no database at ${path} (run ingest or crawl first, or pass --db)`, { path });
  }
  const open = (name: string) => {
    const db = new Database(name, { readonly: true, fileMustExist: true });
    try {
      db.pragma("foreign_keys = ON");
      // Opening is lazy: read the schema now, so a file that is not a database fails here, as
      // E_DB_OPEN, rather than at the first query as an internal error.
      db.prepare("SELECT count(*) FROM sqlite_master").get();
      return db;
    } catch (e) {
      db.close();
      throw e;
    }
  };
  try {
    return open(path);
  } catch (cause) {
    const dir = dirname(resolve(path));
    const folderReadOnly = (cause as { code?: string }).code === "SQLITE_READONLY_DIRECTORY" || !canAccess(dir, constants.W_OK);
    if (!memory && folderReadOnly) {
      const wal = `${path}-wal`;
      if (existsSync(wal) && statSync(wal).size > 0) {
        throw new NianbaoError(
          "E_DB_OPEN",
          `cannot open ${path} read-only: the folder ${dir} is not writable and ${wal} holds changes not yet written into the database; open it once with write access (any nianbao command that writes, or sqlite3) or copy both files to a writable folder`,
          { path },
          { cause },
        );
      }
      try {
        return open(`file:${encodeURI(resolve(path)).replace(/[?#]/g, encodeURIComponent)}?immutable=1`);
      } catch (again) {
        throw new NianbaoError(
          "E_DB_OPEN",
          `cannot open ${path} read-only: the folder ${dir} is not writable (SQLite needs to create ${path}-shm beside a WAL database) and an immutable open failed (${(again as Error).message}); copy the file to a writable folder`,
          { path },
          { cause: again },
        );
      }
    }
    throw new NianbaoError("E_DB_OPEN", `cannot open ${path} read-only: ${(cause as Error).message}`, { path }, { cause });
  }
}
