import type { Migration } from "../migrate.js";

/**
 * Reports read from files. A report published as a PDF/Word attachment is stored like a page (its
 * raw bytes, content type, sha256, versions) under the file's URL, which becomes the record's
 * source_url; `pages.linked_from` keeps the page that linked the file (NULL for pages and for
 * files met directly). `reports_all` and `reports_latest` (as 004 made them) gain it as `linked_from`, after `form`.
 * `report_values.prov_place` keeps the page and cell box of a value read from a PDF.
 */
const SQL = /* sql */ `
ALTER TABLE pages ADD COLUMN linked_from TEXT;
-- A value read from a PDF cell: {"page": n, "box": [x0, y0, x1, y1]} (PDF points); NULL otherwise.
ALTER TABLE report_values ADD COLUMN prov_place TEXT;

DROP VIEW reports_latest;
DROP VIEW reports_all;
-- 004's reports_all and reports_latest, each with linked_from after form.
CREATE VIEW reports_all AS
SELECT report_id, agency, year, template, title, published_at, source_url, parser_version, issue_count,
       region, source_id, incomplete, error_count, warning_count, form, linked_from, unreadable_cells,
       identity_key, page_id, fetched_at, pinned, copy_rank, copy_rank = 1 AS is_latest
FROM (
  SELECT r.id AS report_id, r.agency, r.year, r.template, r.title, r.published_at, r.source_url,
         r.parser_version,
         (SELECT count(*) FROM issues i WHERE i.report_id = r.id) AS issue_count,
         s.region, p.source_id, r.incomplete, r.error_count, r.warning_count, r.form, r.unreadable_cells,
         r.identity_key, r.page_id, p.fetched_at, p.linked_from,
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
CREATE VIEW reports_latest AS
SELECT report_id, agency, year, template, title, published_at, source_url, parser_version, issue_count,
       region, source_id, incomplete, error_count, warning_count, form, linked_from
FROM reports_all
WHERE is_latest;
`;

export const linkedFiles005: Migration = {
  name: "005-linked-files",
  up: (db) => db.exec(SQL),
};
