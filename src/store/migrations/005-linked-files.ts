import type { Migration } from "../migrate.js";

/**
 * Reports read from files. A report published as a PDF/Word attachment is stored like a page (its
 * raw bytes, content type, sha256, versions) under the file's URL, which becomes the record's
 * source_url; `pages.linked_from` keeps the page that linked the file (NULL for pages and for
 * files met directly). `reports_latest` gains it as `linked_from`, after its existing columns.
 * `report_values.prov_place` keeps the page and cell box of a value read from a PDF.
 */
const SQL = /* sql */ `
ALTER TABLE pages ADD COLUMN linked_from TEXT;
-- A value read from a PDF cell: {"page": n, "box": [x0, y0, x1, y1]} (PDF points); NULL otherwise.
ALTER TABLE report_values ADD COLUMN prov_place TEXT;

DROP VIEW reports_latest;
CREATE VIEW reports_latest AS
SELECT report_id, agency, year, template, title, published_at, source_url, parser_version, issue_count, linked_from
FROM (
  SELECT r.id AS report_id, r.agency, r.year, r.template, r.title, r.published_at, r.source_url,
         r.parser_version,
         (SELECT count(*) FROM issues i WHERE i.report_id = r.id) AS issue_count,
         p.linked_from,
         row_number() OVER (PARTITION BY r.identity_key ORDER BY p.fetched_at DESC, p.id DESC) AS rn
  FROM reports r JOIN pages p ON p.id = r.page_id
)
WHERE rn = 1;
`;

export const linkedFiles005: Migration = {
  name: "005-linked-files",
  up: (db) => db.exec(SQL),
};
