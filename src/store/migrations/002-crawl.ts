import type { Migration } from "../migrate.js";

/**
 * The crawler's state: the frontier, HTTP validators for conditional GET, a fetch log,
 * attachments linked from reports, host pauses and the crawl lease. Runs are recorded in the
 * store's crawl_runs (001-core); run_id columns here refer to it by value, without foreign keys, so
 * this migration does not depend on the store's table layout.
 */
export const migration002Crawl: Migration = {
  name: "002-crawl",
  up(db) {
    db.exec(`
CREATE TABLE crawl_frontier (
  id              INTEGER PRIMARY KEY,
  unique_key      TEXT NOT NULL UNIQUE,
  url             TEXT NOT NULL,
  host            TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('home','list','report','attachment','api')),
  source_id       TEXT NOT NULL,
  depth           INTEGER NOT NULL DEFAULT 0,
  parent_url      TEXT,
  title           TEXT,
  state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','in_progress','done','failed','skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  last_error_code TEXT,
  added_at        TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
-- next(): walk queued rows in id order and take the first ready one (no sort per call).
CREATE INDEX crawl_frontier_ready ON crawl_frontier (state, id);
CREATE INDEX crawl_frontier_source ON crawl_frontier (source_id, state);

CREATE TABLE crawl_validators (
  url           TEXT PRIMARY KEY,
  etag          TEXT,
  last_modified TEXT,
  sha256        TEXT,
  updated_at    TEXT NOT NULL
);

CREATE TABLE crawl_fetches (
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL,
  source_id  TEXT NOT NULL,
  url        TEXT NOT NULL,
  kind       TEXT NOT NULL,
  status     INTEGER,
  bytes      INTEGER NOT NULL DEFAULT 0,
  sha256     TEXT,
  ms         INTEGER NOT NULL DEFAULT 0,
  error_code TEXT,
  error      TEXT,
  fetched_at TEXT NOT NULL
);
CREATE INDEX crawl_fetches_run ON crawl_fetches (run_id);
CREATE INDEX crawl_fetches_url ON crawl_fetches (url);

CREATE TABLE crawl_attachments (
  id                   INTEGER PRIMARY KEY,
  source_id            TEXT NOT NULL,
  page_url             TEXT NOT NULL,
  url                  TEXT NOT NULL,
  type                 TEXT NOT NULL,
  title                TEXT,
  tables_in_attachment INTEGER NOT NULL DEFAULT 0,
  found_at             TEXT NOT NULL,
  UNIQUE (page_url, url)
);

CREATE TABLE crawl_host_pauses (
  id        INTEGER PRIMARY KEY,
  host      TEXT NOT NULL,
  run_id    INTEGER NOT NULL,
  reason    TEXT NOT NULL,
  paused_at TEXT NOT NULL
);

CREATE TABLE crawl_lease (
  name        TEXT PRIMARY KEY,
  holder      TEXT NOT NULL,
  pid         INTEGER NOT NULL,
  hostname    TEXT NOT NULL,
  acquired_at TEXT NOT NULL,
  expires_at  INTEGER NOT NULL
);
`);
  },
};
