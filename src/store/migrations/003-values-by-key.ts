import type { Migration } from "../migrate.js";

/**
 * A cheaper layout for values and a batched search index, measured to make storing a report about
 * four times cheaper (bench/ingest.bench.mjs). Data already stored is carried over.
 *
 * - `value_keys`: the (section, row, column) triples values are stored under, a small closed set
 *   (FORMAT.md part A). Each value row now carries its integer id instead of ~40 bytes of repeated
 *   text. Ids follow the order keys were first stored, which is FORMAT order. `value_details` shows
 *   values with their keys spelled out.
 * - `report_values` becomes WITHOUT ROWID with primary key (report_id, key_id): clustered by report,
 *   so a report's values are written together and read with one range scan, and the secondary index
 *   goes away.
 * - `search_pending`: reports whose search text is not indexed yet. Trigram indexing costs as much
 *   as storing the report and is ~3× cheaper in batches, so the page transaction only queues the
 *   report and search-index.ts indexes in batches. Invariant: every report is in report_text or in
 *   search_pending.
 * - `reports.fingerprint` is now filled by reparse (which needs it) rather than by ingest; ingest
 *   stores '' (the column stays NOT NULL: changing that would mean rebuilding `reports`, whose
 *   deletion would cascade to its values).
 * - The (agency, year) index goes: nothing uses it (identity_key serves lookups and reports_latest).
 *
 * The views that read report_values are dropped first and recreated on the new layout with the
 * same names and columns.
 */
const SQL = /* sql */ `
DROP VIEW applications;
DROP VIEW active_disclosure;
DROP VIEW review_litigation;
DROP VIEW carry_over_check;
DROP INDEX reports_agency_year;

CREATE TABLE value_keys (
  id      INTEGER PRIMARY KEY,
  section TEXT NOT NULL CHECK (section IN ('active', 'applications', 'review_litigation')),
  row_key TEXT NOT NULL,                   -- 表二 item, 表三 row, 表四 group
  col_key TEXT NOT NULL,                   -- 表二 metric, 表三 column, 表四 outcome
  UNIQUE (section, row_key, col_key)
);
INSERT INTO value_keys (section, row_key, col_key)
SELECT section, row_key, col_key FROM report_values GROUP BY section, row_key, col_key ORDER BY min(rowid);

CREATE TABLE report_values_by_key (
  report_id   INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  key_id      INTEGER NOT NULL REFERENCES value_keys(id),
  value       NUMERIC,                     -- NUMERIC affinity: 3.0 is stored as the integer 3
  unit        TEXT,
  raw         TEXT,                        -- the cell's text as printed
  prov_table  INTEGER,
  prov_row    INTEGER,
  prov_col    INTEGER,
  prov_source TEXT,                        -- html | pipe | markdown | text
  PRIMARY KEY (report_id, key_id)
) WITHOUT ROWID;
INSERT INTO report_values_by_key (report_id, key_id, value, unit, raw, prov_table, prov_row, prov_col, prov_source)
SELECT v.report_id, k.id, v.value, v.unit, v.raw, v.prov_table, v.prov_row, v.prov_col, v.prov_source
FROM report_values v JOIN value_keys k USING (section, row_key, col_key);
DROP TABLE report_values;
ALTER TABLE report_values_by_key RENAME TO report_values;

CREATE TABLE search_pending (
  report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE
);
-- Reports stored before this migration were indexed as they were stored; queue any that are not.
INSERT INTO search_pending (report_id)
SELECT id FROM reports WHERE id NOT IN (SELECT rowid FROM report_text);

CREATE VIEW value_details AS
SELECT v.report_id, k.section, k.row_key, k.col_key, v.value, v.unit, v.raw,
       v.prov_table, v.prov_row, v.prov_col, v.prov_source
FROM report_values v JOIN value_keys k ON k.id = v.key_id;

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
FROM value_details
WHERE section = 'applications'
GROUP BY report_id, row_key;

CREATE VIEW active_disclosure AS
SELECT report_id, row_key AS item, col_key AS metric, value, unit
FROM value_details
WHERE section = 'active';

CREATE VIEW review_litigation AS
SELECT report_id, row_key AS group_key,
       max(CASE col_key WHEN 'upheld'    THEN value END) AS upheld,
       max(CASE col_key WHEN 'corrected' THEN value END) AS corrected,
       max(CASE col_key WHEN 'other'     THEN value END) AS other,
       max(CASE col_key WHEN 'pending'   THEN value END) AS pending,
       max(CASE col_key WHEN 'total'     THEN value END) AS total
FROM value_details
WHERE section = 'review_litigation'
GROUP BY report_id, row_key;

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
  ON co.report_id = cur.report_id
 AND co.key_id = (SELECT id FROM value_keys WHERE section = 'applications' AND row_key = 'carried_over' AND col_key = 'total')
LEFT JOIN report_values cf
  ON cf.report_id = prev.report_id
 AND cf.key_id = (SELECT id FROM value_keys WHERE section = 'applications' AND row_key = 'carried_forward' AND col_key = 'total')
WHERE cur.agency IS NOT NULL AND cur.year IS NOT NULL;
`;

export const valuesByKey003: Migration = {
  name: "003-values-by-key",
  up: (db) => db.exec(SQL),
};
