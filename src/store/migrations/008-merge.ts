import type { Migration } from "../migrate.js";

/**
 * `nianbao merge` (shards crawled on several machines, unioned into one database):
 * `crawl_runs.merged_from` names a run copied from another database — a digest of that run's kind,
 * start and options, which are unique per run (the options hold the crawl's holder id) — so
 * merging the same database again copies no run twice. NULL for runs made in this database.
 */
export const merge008: Migration = {
  name: "008-merge",
  up(db) {
    db.exec(`
      ALTER TABLE crawl_runs ADD COLUMN merged_from TEXT;
      CREATE UNIQUE INDEX crawl_runs_merged_from ON crawl_runs (merged_from);
    `);
  },
};
