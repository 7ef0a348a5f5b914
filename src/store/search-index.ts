import type Database from "better-sqlite3";
import { decompressBody } from "./codec.js";
import { pageText } from "./page-text.js";

/** How many reports await indexing for search. */
export function pendingCount(db: Database.Database): number {
  return db.prepare("SELECT count(*) FROM search_pending").pluck().get() as number;
}

interface PendingRow {
  report_id: number;
  title: string | null;
  body_codec: string;
  body: Buffer;
  encoding: string | null;
}

/**
 * Bring the search index up to date: index every report queued in search_pending, from its stored
 * page, `batchSize` reports per transaction (FTS5 writes its index once per transaction, so batches
 * are several times cheaper than one report at a time). Safe to interrupt and to run concurrently
 * with ingest: a report is taken off the queue in the same transaction that indexes it. Returns how
 * many reports it indexed.
 */
export function indexPending(db: Database.Database, options: { batchSize?: number } = {}): number {
  const { batchSize = 256 } = options;
  const next = db.prepare(
    `SELECT s.report_id, r.title, p.body_codec, p.body, p.encoding
     FROM search_pending s JOIN reports r ON r.id = s.report_id JOIN pages p ON p.id = r.page_id
     WHERE s.report_id > ? ORDER BY s.report_id LIMIT ?`,
  );
  const take = db.prepare("DELETE FROM search_pending WHERE report_id = ?");
  const remove = db.prepare("DELETE FROM report_text WHERE rowid = ?");
  const insert = db.prepare("INSERT INTO report_text (rowid, title, body) VALUES (?, ?, ?)");
  const write = db.transaction((batch: { id: number; title: string; text: string }[]) => {
    let n = 0;
    for (const b of batch) {
      // Gone from the queue since we read it (deleted or indexed by another process): skip.
      if (take.run(b.id).changes === 0) continue;
      remove.run(b.id);
      insert.run(b.id, b.title, b.text);
      n++;
    }
    return n;
  });
  let total = 0;
  let after = 0;
  for (;;) {
    const rows = next.all(after, batchSize) as PendingRow[];
    if (rows.length === 0) return total;
    // Decompress and extract outside the write lock.
    const batch = rows.map((r) => ({
      id: r.report_id,
      title: r.title ?? "",
      text: pageText(decompressBody(r.body_codec, r.body), r.encoding ?? "utf-8"),
    }));
    total += write.immediate(batch);
    after = rows[rows.length - 1]?.report_id ?? after;
  }
}
