import type Database from "better-sqlite3";
import { NianbaoError } from "../errors.js";

/**
 * A named schema step. Never edit one that has shipped: add a new one. `up` runs inside a
 * transaction together with the row that records it, so a failed step leaves nothing behind.
 */
export interface Migration {
  readonly name: string;
  readonly up: (db: Database.Database) => void;
}

const LEDGER = `CREATE TABLE IF NOT EXISTS _migrations (
  name TEXT PRIMARY KEY,
  applied_at TEXT NOT NULL
)`;

/** Names of the migrations already applied, in order. Read-only when the ledger is absent. */
export function applied(db: Database.Database): string[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='_migrations'").get();
  if (!exists) return [];
  return (db.prepare("SELECT name FROM _migrations ORDER BY rowid").all() as { name: string }[]).map((r) => r.name);
}

/** The migrations of `list` not yet applied to `db`. */
export function pending(db: Database.Database, list: readonly Migration[]): Migration[] {
  const done = new Set(applied(db));
  return list.filter((m) => !done.has(m.name));
}

/** Apply every pending migration, each in its own transaction with its ledger row. Idempotent. */
export function migrate(db: Database.Database, list: readonly Migration[], now: () => Date = () => new Date()): string[] {
  db.exec(LEDGER);
  const ran: string[] = [];
  for (const m of pending(db, list)) {
    const step = db.transaction(() => {
      m.up(db);
      db.prepare("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)").run(m.name, now().toISOString());
    });
    try {
      step.immediate();
    } catch (cause) {
      throw new NianbaoError("E_MIGRATION_FAILED", `migration ${m.name} failed: ${(cause as Error).message}`, { migration: m.name }, { cause });
    }
    ran.push(m.name);
  }
  return ran;
}
