import type Database from "better-sqlite3";
import { resolve } from "node:path";
import { parseReport } from "../pipeline.js";
import { resolveDbPath } from "../store/db.js";
import type { ParsePage } from "../store/ports.js";
import type { CliIo } from "./context.js";

/** The database path for a command: --db, else $NIANBAO_DB, else data/nianbao.db, from io.cwd. */
export function dbPathFor(opts: Record<string, unknown>, io: CliIo): string {
  const p = resolveDbPath(opts["db"] as string | undefined, io.env);
  return p === ":memory:" ? p : resolve(io.cwd, p);
}

/** Run `f` with an open database and close it on every exit path (also when `f` throws). */
export async function withDb<T>(db: Database.Database, f: (db: Database.Database) => Promise<T> | T): Promise<T> {
  try {
    return await f(db);
  } finally {
    db.close();
  }
}

/** The parser a command uses: the injected one (tests), else the real one. */
export function parserFor(io: CliIo): ParsePage {
  return io.deps?.parse ?? ((body, options) => parseReport(body, options));
}

export function clockFor(io: CliIo): () => Date {
  return io.deps?.now ?? (() => new Date());
}

/**
 * An AbortSignal that fires on SIGINT/SIGTERM (when the bin wires signals), so long loops stop
 * between pages and still close the database and print their summary.
 */
export function interruptSignal(io: CliIo): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const off = io.onSignal?.(() => controller.abort()) ?? (() => {});
  return { signal: controller.signal, dispose: off };
}
