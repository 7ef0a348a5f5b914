import type { Migration } from "../migrate.js";

/**
 * The core schema: raw pages, the reports parsed from them, their values and issues, rejections,
 * sources, runs, the search index and the analyst views.
 *
 * Shape of the data (see README "Storing and querying"):
 * - `pages` holds every distinct (url, sha256) ever received, with its body compressed, so any page
 *   can be parsed again without fetching it. A changed page for the same URL is a new row.
 * - Every page has exactly one of: a row in `reports` (the current parser's reading of it) or a row
 *   in `rejections` (why it is not a report). `reparse` replaces that row in place.
 * - `report_values` is the long form of the record: one row per cell, with unit, raw text and
 *   provenance. The contract views pivot it back into the shapes of PRODUCT.md.
 *
 * Never edit this migration once shipped: add 003-… instead.
 */
const SQL = /* sql */ `
CREATE TABLE sources (
  id          TEXT PRIMARY KEY,           -- the sources file's id
  name        TEXT,
  region      TEXT,
  config_json TEXT,                       -- the whole entry as given
  updated_at  TEXT
);

-- One row per crawl, ingest or reparse run: what was asked and what came of it.
CREATE TABLE crawl_runs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('crawl', 'ingest', 'reparse')),
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  status       TEXT NOT NULL DEFAULT 'running'
               CHECK (status IN ('running', 'completed', 'interrupted', 'failed')),
  options_json TEXT,
  summary_json TEXT
);

CREATE TABLE pages (
  id           INTEGER PRIMARY KEY,
  url          TEXT NOT NULL,              -- as asked for (file:// URL for local files)
  final_url    TEXT NOT NULL,              -- after redirects
  fetched_at   TEXT NOT NULL,              -- ISO 8601; ingest uses the time of ingest
  status       INTEGER NOT NULL,
  headers_json TEXT NOT NULL,              -- the headers that matter, lower-case keys
  encoding     TEXT,                       -- as declared by the fetcher, else detected on ingest
  sha256       TEXT NOT NULL,              -- of the body as received (uncompressed)
  size         INTEGER NOT NULL,           -- bytes, uncompressed
  body_codec   TEXT NOT NULL CHECK (body_codec IN ('br', 'gzip', 'identity')),
  body         BLOB NOT NULL,
  source_id    TEXT REFERENCES sources(id),
  run_id       INTEGER REFERENCES crawl_runs(id),
  UNIQUE (url, sha256)
);

CREATE TABLE reports (
  id             INTEGER PRIMARY KEY,
  page_id        INTEGER NOT NULL UNIQUE REFERENCES pages(id) ON DELETE CASCADE,
  -- What makes two page versions "the same report": agency and year when both are known, else
  -- the page URL. reports_latest keeps the newest page per identity_key.
  identity_key   TEXT NOT NULL,
  agency         TEXT,
  year           INTEGER,
  template       TEXT,
  title          TEXT,
  published_at   TEXT,
  source_url     TEXT,
  incomplete     INTEGER NOT NULL CHECK (incomplete IN (0, 1)),
  has_provenance INTEGER NOT NULL CHECK (has_provenance IN (0, 1)),
  -- Units and provenance whose path names no stored value (rare); kept so the record round-trips.
  extra_json     TEXT,
  parser_version TEXT NOT NULL,
  -- sha256 of the record's canonical JSON without parserVersion: reparse compares it.
  fingerprint    TEXT NOT NULL,
  parsed_at      TEXT NOT NULL
);
CREATE INDEX reports_identity ON reports (identity_key);
CREATE INDEX reports_agency_year ON reports (agency, year);

-- A rowid table (not WITHOUT ROWID): rows append in record order, which keeps inserts cheap and lets
-- the record be rebuilt with its keys in the original order. (report_id, section, row_key, col_key)
-- is unique by construction (the record's maps cannot repeat a key).
CREATE TABLE report_values (
  report_id   INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  section     TEXT NOT NULL CHECK (section IN ('active', 'applications', 'review_litigation')),
  row_key     TEXT NOT NULL,               -- 表二 item, 表三 row, 表四 group
  col_key     TEXT NOT NULL,               -- 表二 metric, 表三 column, 表四 outcome
  value       NUMERIC,                     -- NUMERIC affinity: 3.0 is stored as the integer 3
  unit        TEXT,
  raw         TEXT,                        -- the cell's text as printed
  prov_table  INTEGER,
  prov_row    INTEGER,
  prov_col    INTEGER,
  prov_source TEXT                         -- html | pipe | markdown | text
);
CREATE INDEX report_values_report ON report_values (report_id, section, row_key);

-- Named "issues" because the contract view is report_issues.
CREATE TABLE issues (
  report_id     INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  ord           INTEGER NOT NULL,
  code          TEXT NOT NULL,
  severity      TEXT NOT NULL,
  message       TEXT NOT NULL,
  paths_json    TEXT NOT NULL,
  -- JSON so that "absent" (SQL NULL) and "null" (the JSON text null) stay apart.
  expected_json TEXT,
  actual_json   TEXT,
  identity      TEXT,
  data_json     TEXT,
  PRIMARY KEY (report_id, ord)
) WITHOUT ROWID;

CREATE TABLE rejections (
  page_id        INTEGER PRIMARY KEY REFERENCES pages(id) ON DELETE CASCADE,
  code           TEXT NOT NULL,            -- E_NOT_REPORT, E_EMPTY_INPUT, … or E_INTERNAL (parser bug)
  reason         TEXT NOT NULL,
  parser_version TEXT NOT NULL,
  rejected_at    TEXT NOT NULL
);

-- Full-text search over each report's page text. rowid = reports.id. The trigram tokenizer matches
-- any substring of 3+ characters, which is what Chinese needs (the default tokenizer splits on
-- spaces and finds nothing in unsegmented text).
CREATE VIRTUAL TABLE report_text USING fts5 (title, body, tokenize = 'trigram');

-- ---------------------------------------------------------------- contract views (PRODUCT.md)

-- The newest page version per report identity. "Parsed by the newest parser" holds by construction:
-- a page has one report row, which reparse keeps current.
CREATE VIEW reports_latest AS
SELECT report_id, agency, year, template, title, published_at, source_url, parser_version, issue_count
FROM (
  SELECT r.id AS report_id, r.agency, r.year, r.template, r.title, r.published_at, r.source_url,
         r.parser_version,
         (SELECT count(*) FROM issues i WHERE i.report_id = r.id) AS issue_count,
         row_number() OVER (PARTITION BY r.identity_key ORDER BY p.fetched_at DESC, p.id DESC) AS rn
  FROM reports r JOIN pages p ON p.id = r.page_id
)
WHERE rn = 1;

-- The value views cover every stored report (every page version); join reports_latest for the
-- newest only.
CREATE VIEW applications AS
SELECT report_id, row_key,
       max(CASE col_key WHEN 'natural_person' THEN value END) AS natural_person,
       max(CASE col_key WHEN 'commercial'     THEN value END) AS commercial,
       max(CASE col_key WHEN 'research'       THEN value END) AS research,
       max(CASE col_key WHEN 'social_org'     THEN value END) AS social_org,
       max(CASE col_key WHEN 'legal_service'  THEN value END) AS legal_service,
       max(CASE col_key WHEN 'other_org'      THEN value END) AS other_org,
       max(CASE col_key WHEN 'total'          THEN value END) AS total
FROM report_values
WHERE section = 'applications'
GROUP BY report_id, row_key;

CREATE VIEW active_disclosure AS
SELECT report_id, row_key AS item, col_key AS metric, value, unit
FROM report_values
WHERE section = 'active';

CREATE VIEW review_litigation AS
SELECT report_id, row_key AS group_key,
       max(CASE col_key WHEN 'upheld'    THEN value END) AS upheld,
       max(CASE col_key WHEN 'corrected' THEN value END) AS corrected,
       max(CASE col_key WHEN 'other'     THEN value END) AS other,
       max(CASE col_key WHEN 'pending'   THEN value END) AS pending,
       max(CASE col_key WHEN 'total'     THEN value END) AS total
FROM report_values
WHERE section = 'review_litigation'
GROUP BY report_id, row_key;

CREATE VIEW report_issues AS
SELECT report_id, code, severity, message FROM issues;

-- ---------------------------------------------------------------- analyst views (extra)

CREATE VIEW issue_details AS
SELECT report_id, ord, code, severity, message, paths_json AS paths,
       json_extract(expected_json, '$') AS expected,
       json_extract(actual_json, '$') AS actual,
       identity
FROM issues;

-- How many (latest) reports per statistical year and template, and how many have issues.
CREATE VIEW coverage AS
SELECT l.year, l.template, count(*) AS reports,
       sum(l.issue_count > 0) AS with_issues,
       sum(r.incomplete) AS incomplete
FROM reports_latest l JOIN reports r ON r.id = l.report_id
GROUP BY l.year, l.template;

-- Arithmetic identities the latest reports break.
CREATE VIEW identity_failures AS
SELECT l.report_id, l.agency, l.year, l.template, i.code, i.identity, i.message,
       json_extract(i.expected_json, '$') AS expected,
       json_extract(i.actual_json, '$') AS actual,
       i.paths_json AS paths
FROM reports_latest l JOIN issues i ON i.report_id = l.report_id
WHERE i.identity IS NOT NULL OR i.code LIKE 'identity.%';

-- 四、结转下年度继续办理 (carried_forward, total column) of year Y−1 against 二、上年结转 (carried_over)
-- of year Y, for the same agency, latest versions only. matches is NULL when either side is blank.
CREATE VIEW carry_over_check AS
SELECT cur.agency, cur.year,
       cf.value AS carried_forward_prev,
       co.value AS carried_over,
       CASE WHEN cf.value IS NULL OR co.value IS NULL THEN NULL ELSE cf.value = co.value END AS matches
FROM reports_latest cur
JOIN reports_latest prev ON prev.agency = cur.agency AND prev.year = cur.year - 1
LEFT JOIN report_values co
  ON co.report_id = cur.report_id AND co.section = 'applications'
 AND co.row_key = 'carried_over' AND co.col_key = 'total'
LEFT JOIN report_values cf
  ON cf.report_id = prev.report_id AND cf.section = 'applications'
 AND cf.row_key = 'carried_forward' AND cf.col_key = 'total'
WHERE cur.agency IS NOT NULL AND cur.year IS NOT NULL;

-- Pages that are not reports, and why.
CREATE VIEW rejected_pages AS
SELECT p.id AS page_id, p.url, p.fetched_at, j.code, j.reason, j.parser_version
FROM rejections j JOIN pages p ON p.id = j.page_id;
`;

export const core001: Migration = {
  name: "001-core",
  up: (db) => db.exec(SQL),
};
