import type Database from "better-sqlite3";

export type RunKind = "crawl" | "ingest" | "reparse";
export type RunStatus = "completed" | "interrupted" | "failed";

/**
 * Record the start of a crawl, ingest or reparse in `crawl_runs`; returns its id, which
 * `createReportSink({ runId })` stamps on every page it stores.
 */
export function startRun(db: Database.Database, kind: RunKind, options: unknown, now: Date = new Date()): number {
  const info = db
    .prepare("INSERT INTO crawl_runs (kind, started_at, options_json) VALUES (?, ?, ?)")
    .run(kind, now.toISOString(), JSON.stringify(options ?? null));
  return Number(info.lastInsertRowid);
}

/** Record how a run ended and its summary. */
export function finishRun(db: Database.Database, runId: number, status: RunStatus, summary: unknown, now: Date = new Date()): void {
  db.prepare("UPDATE crawl_runs SET finished_at = ?, status = ?, summary_json = ? WHERE id = ?").run(
    now.toISOString(),
    status,
    JSON.stringify(summary ?? null),
    runId,
  );
}

/** A source as the sources file declares it (only the fields the store keeps apart). */
export interface SourceRow {
  id: string;
  name?: string | null;
  region?: string | null;
  [key: string]: unknown;
}

/** Insert or update the sources of a sources file (the whole entry is kept as JSON too). */
export function upsertSources(db: Database.Database, sources: readonly SourceRow[], now: Date = new Date()): void {
  const stmt = db.prepare(
    `INSERT INTO sources (id, name, region, config_json, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, region = excluded.region,
       config_json = excluded.config_json, updated_at = excluded.updated_at`,
  );
  db.transaction(() => {
    for (const s of sources) stmt.run(s.id, s.name ?? null, s.region ?? null, JSON.stringify(s), now.toISOString());
  })();
}
