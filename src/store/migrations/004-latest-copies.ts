import type { Migration } from "../migrate.js";

/**
 * The contract views show current data only; history and copies get views of their own.
 *
 * - `applications`, `active_disclosure`, `review_litigation` and `report_issues` cover only the
 *   reports in `reports_latest` (before, every stored version was in them and sums counted a report
 *   once per version). Every version and copy stays in `applications_all`, `active_disclosure_all`,
 *   `review_litigation_all`, `report_issues_all`, and in `reports_all` (with `is_latest`).
 * - `page_urls`: every URL a page's bytes were seen at. Identical bytes at another URL are the same
 *   page (deduplicated by sha256), not a new version; the URL is added here.
 * - A report found in several forms (an HTML page, a text rendering, a file) or versions: the
 *   copy shown in `reports_latest` is the best evidence — a copy pinned by the user
 *   (`report_pins`, `nianbao pin`), else the fewest unreadable cells, then the fewest error issues,
 *   then the richest form (an HTML page or a file over text), then the newest. `report_copies`
 *   lists every copy of each report with the URLs it was seen at and its rank.
 * - `reports` gets the counts the ranking and analysts need (`error_count`, `warning_count`,
 *   `unreadable_cells`) and `form`, filled on insert and by reparse; backfilled here.
 * - `reports_latest` gains region, source_id, incomplete, error_count, warning_count, form (after
 *   the contract's columns); `coverage.with_issues` counts errors and warnings only (info items
 *   such as a mislabelled charset are not problems of the data) and `with_errors` is new.
 * - `key_dictionary`: every value key with its Chinese labels, template and printed order, kept in
 *   step with the template declarations by openDb (store/dictionary.ts).
 */
const SQL = /* sql */ `
DROP VIEW reports_latest;
DROP VIEW applications;
DROP VIEW active_disclosure;
DROP VIEW review_litigation;
DROP VIEW report_issues;
DROP VIEW coverage;

CREATE INDEX pages_sha256 ON pages (sha256);

CREATE TABLE page_urls (
  page_id       INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  url           TEXT NOT NULL,
  source_id     TEXT,
  first_seen_at TEXT NOT NULL,
  last_seen_at  TEXT NOT NULL,
  PRIMARY KEY (page_id, url)
) WITHOUT ROWID;
INSERT INTO page_urls (page_id, url, source_id, first_seen_at, last_seen_at)
SELECT id, url, source_id, fetched_at, fetched_at FROM pages;

CREATE TABLE report_pins (
  report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
  pinned_at TEXT NOT NULL,
  note      TEXT
);

ALTER TABLE reports ADD COLUMN error_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN warning_count INTEGER NOT NULL DEFAULT 0;
-- Value cells left null because they could not be read (named by an error or warning issue).
ALTER TABLE reports ADD COLUMN unreadable_cells INTEGER NOT NULL DEFAULT 0;
-- Where the values came from: html, text (pipe, markdown, plain text), a file kind, or unknown.
ALTER TABLE reports ADD COLUMN form TEXT NOT NULL DEFAULT 'unknown';

UPDATE reports SET
  error_count   = (SELECT count(*) FROM issues i WHERE i.report_id = reports.id AND i.severity = 'error'),
  warning_count = (SELECT count(*) FROM issues i WHERE i.report_id = reports.id AND i.severity = 'warning'),
  unreadable_cells = (
    SELECT count(DISTINCT p.value)
    FROM issues i, json_each(i.paths_json) p
    JOIN value_keys k ON p.value = (CASE k.section WHEN 'review_litigation' THEN 'reviewLitigation' ELSE k.section END) || '.' || k.row_key || '.' || k.col_key
    JOIN report_values v ON v.report_id = i.report_id AND v.key_id = k.id AND v.value IS NULL
    WHERE i.report_id = reports.id AND i.severity IN ('error', 'warning')
  ),
  form = coalesce((
    SELECT CASE
      WHEN sum(v.prov_source = 'html') > 0 THEN 'html'
      WHEN sum(v.prov_source NOT IN ('pipe', 'markdown', 'text')) > 0 THEN max(CASE WHEN v.prov_source NOT IN ('pipe', 'markdown', 'text') THEN v.prov_source END)
      ELSE 'text' END
    FROM report_values v WHERE v.report_id = reports.id AND v.prov_source IS NOT NULL
  ), 'unknown');

CREATE TABLE key_dictionary (
  template  TEXT NOT NULL,
  section   TEXT NOT NULL CHECK (section IN ('active', 'applications', 'review_litigation')),
  row_key   TEXT NOT NULL,
  col_key   TEXT NOT NULL,
  row_label TEXT NOT NULL,
  col_label TEXT NOT NULL,
  table_ord INTEGER NOT NULL,
  row_ord   INTEGER NOT NULL,
  col_ord   INTEGER NOT NULL,
  PRIMARY KEY (template, section, row_key, col_key)
) WITHOUT ROWID;

-- ---------------------------------------------------------------- every version and copy

CREATE VIEW reports_all AS
SELECT report_id, agency, year, template, title, published_at, source_url, parser_version, issue_count,
       region, source_id, incomplete, error_count, warning_count, form, unreadable_cells,
       identity_key, page_id, fetched_at, pinned, copy_rank, copy_rank = 1 AS is_latest
FROM (
  SELECT r.id AS report_id, r.agency, r.year, r.template, r.title, r.published_at, r.source_url,
         r.parser_version,
         (SELECT count(*) FROM issues i WHERE i.report_id = r.id) AS issue_count,
         s.region, p.source_id, r.incomplete, r.error_count, r.warning_count, r.form, r.unreadable_cells,
         r.identity_key, r.page_id, p.fetched_at,
         (pin.report_id IS NOT NULL) AS pinned,
         row_number() OVER (
           PARTITION BY r.identity_key
           ORDER BY pin.report_id IS NULL, r.incomplete, r.unreadable_cells, r.error_count,
                    r.form IN ('text', 'unknown'), p.fetched_at DESC, p.id DESC
         ) AS copy_rank
  FROM reports r
  JOIN pages p ON p.id = r.page_id
  LEFT JOIN sources s ON s.id = p.source_id
  LEFT JOIN report_pins pin ON pin.report_id = r.id
);

-- ---------------------------------------------------------------- contract views (PRODUCT.md)

-- One report per identity (agency and year, else the page URL): the best copy (see reports_all).
CREATE VIEW reports_latest AS
SELECT report_id, agency, year, template, title, published_at, source_url, parser_version, issue_count,
       region, source_id, incomplete, error_count, warning_count, form
FROM reports_all
WHERE is_latest;

CREATE VIEW applications_all AS
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

CREATE VIEW applications AS
SELECT * FROM applications_all WHERE report_id IN (SELECT report_id FROM reports_latest);

CREATE VIEW active_disclosure_all AS
SELECT report_id, row_key AS item, col_key AS metric, value, unit
FROM value_details
WHERE section = 'active';

CREATE VIEW active_disclosure AS
SELECT * FROM active_disclosure_all WHERE report_id IN (SELECT report_id FROM reports_latest);

CREATE VIEW review_litigation_all AS
SELECT report_id, row_key AS group_key,
       max(CASE col_key WHEN 'upheld'    THEN value END) AS upheld,
       max(CASE col_key WHEN 'corrected' THEN value END) AS corrected,
       max(CASE col_key WHEN 'other'     THEN value END) AS other,
       max(CASE col_key WHEN 'pending'   THEN value END) AS pending,
       max(CASE col_key WHEN 'total'     THEN value END) AS total
FROM value_details
WHERE section = 'review_litigation'
GROUP BY report_id, row_key;

CREATE VIEW review_litigation AS
SELECT * FROM review_litigation_all WHERE report_id IN (SELECT report_id FROM reports_latest);

CREATE VIEW report_issues_all AS
SELECT report_id, code, severity, message FROM issues;

CREATE VIEW report_issues AS
SELECT * FROM report_issues_all WHERE report_id IN (SELECT report_id FROM reports_latest);

-- ---------------------------------------------------------------- analyst views (extra)

-- Every copy of every report, with each URL its bytes were seen at (one row per copy and URL).
CREATE VIEW report_copies AS
SELECT a.identity_key, a.agency, a.year, a.report_id, a.copy_rank, a.is_latest, a.pinned, a.form,
       a.unreadable_cells, a.error_count, a.warning_count, a.incomplete, a.fetched_at, a.page_id,
       u.url, u.source_id, u.first_seen_at, u.last_seen_at
FROM reports_all a JOIN page_urls u ON u.page_id = a.page_id;

-- How many (latest) reports per statistical year and template; with_issues counts reports with an
-- error or a warning (info items are not problems of the data), with_errors those with an error.
CREATE VIEW coverage AS
SELECT year, template, count(*) AS reports,
       sum(error_count + warning_count > 0) AS with_issues,
       sum(incomplete) AS incomplete,
       sum(error_count > 0) AS with_errors
FROM reports_latest
GROUP BY year, template;

-- The value keys with their Chinese labels and printed order, per template.
CREATE VIEW value_labels AS
SELECT d.template, d.section, d.row_key, d.col_key, d.row_label, d.col_label, d.table_ord, d.row_ord, d.col_ord, k.id AS key_id
FROM key_dictionary d LEFT JOIN value_keys k USING (section, row_key, col_key);
`;

export const latestCopies004: Migration = {
  name: "004-latest-copies",
  up: (db) => db.exec(SQL),
};
