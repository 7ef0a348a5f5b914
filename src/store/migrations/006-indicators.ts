import type { Migration } from "../migrate.js";

/**
 * The `indicators` view: one row per report in `reports_latest`, in the analyst's vocabulary
 * (README "Indicators" defines each column with its formula).
 *
 * Built only on the contract views (`reports_latest`, `applications`, `active_disclosure`,
 * `review_litigation`) joined by report_id, so it keeps working whether those value views cover
 * every stored version or only the latest ones.
 *
 * Rules every column follows:
 * - a count is the printed 总计 (total) cell; a sum of several rows is NULL as soon as one of its
 *   rows is blank or missing (`count(total) = count(*)`, never `sum()` skipping NULLs);
 * - a share is NULL when its numerator or denominator is NULL or the denominator is 0 — never a
 *   division by zero, never a blank taken as 0;
 * - `rankable` is 1 only when the report received at least 10 new applications: rankings of shares
 *   over smaller samples say nothing.
 * - 2019 and 2021 keys are mapped onto one column where they measure the same thing (rules made vs
 *   issued); where they do not (2019 fees count items, 2021 fees are an amount), the other
 *   template's column is NULL.
 */
const SQL = /* sql */ `
CREATE VIEW indicators AS
WITH
a AS (
  SELECT report_id,
    max(CASE row_key WHEN 'new_received'    THEN total END) AS received,
    max(CASE row_key WHEN 'carried_over'    THEN total END) AS carried_over,
    max(CASE row_key WHEN 'total'           THEN total END) AS handled,
    max(CASE row_key WHEN 'carried_forward' THEN total END) AS carried_forward,
    -- (一) + (二): both rows must be printed
    CASE WHEN count(CASE WHEN row_key IN ('granted', 'partially_granted') THEN total END) = 2
         THEN sum(CASE WHEN row_key IN ('granted', 'partially_granted') THEN total END) END AS granted,
    -- (三)…(六): every item row of the group present and printed
    CASE WHEN count(CASE WHEN row_key LIKE 'denied!_%' ESCAPE '!' THEN 1 END) > 0
          AND count(CASE WHEN row_key LIKE 'denied!_%' ESCAPE '!' THEN 1 END)
            = count(CASE WHEN row_key LIKE 'denied!_%' ESCAPE '!' THEN total END)
         THEN sum(CASE WHEN row_key LIKE 'denied!_%' ESCAPE '!' THEN total END) END AS refused,
    CASE WHEN count(CASE WHEN row_key LIKE 'unavailable!_%' ESCAPE '!' THEN 1 END) > 0
          AND count(CASE WHEN row_key LIKE 'unavailable!_%' ESCAPE '!' THEN 1 END)
            = count(CASE WHEN row_key LIKE 'unavailable!_%' ESCAPE '!' THEN total END)
         THEN sum(CASE WHEN row_key LIKE 'unavailable!_%' ESCAPE '!' THEN total END) END AS unable,
    CASE WHEN count(CASE WHEN row_key LIKE 'rejected!_%' ESCAPE '!' THEN 1 END) > 0
          AND count(CASE WHEN row_key LIKE 'rejected!_%' ESCAPE '!' THEN 1 END)
            = count(CASE WHEN row_key LIKE 'rejected!_%' ESCAPE '!' THEN total END)
         THEN sum(CASE WHEN row_key LIKE 'rejected!_%' ESCAPE '!' THEN total END) END AS not_processed,
    CASE WHEN count(CASE WHEN row_key = 'other' OR row_key LIKE 'other!_%' ESCAPE '!' THEN 1 END) > 0
          AND count(CASE WHEN row_key = 'other' OR row_key LIKE 'other!_%' ESCAPE '!' THEN 1 END)
            = count(CASE WHEN row_key = 'other' OR row_key LIKE 'other!_%' ESCAPE '!' THEN total END)
         THEN sum(CASE WHEN row_key = 'other' OR row_key LIKE 'other!_%' ESCAPE '!' THEN total END) END AS other_handling
  FROM applications
  WHERE report_id IN (SELECT report_id FROM reports_latest)
  GROUP BY report_id
),
r AS (
  SELECT report_id,
    max(CASE group_key WHEN 'review' THEN total END)     AS review_total,
    max(CASE group_key WHEN 'review' THEN corrected END) AS review_corrected,
    CASE WHEN count(CASE WHEN group_key LIKE 'litigation!_%' ESCAPE '!' THEN total END) = 2
         THEN sum(CASE WHEN group_key LIKE 'litigation!_%' ESCAPE '!' THEN total END) END AS litigation_total,
    CASE WHEN count(CASE WHEN group_key LIKE 'litigation!_%' ESCAPE '!' THEN corrected END) = 2
         THEN sum(CASE WHEN group_key LIKE 'litigation!_%' ESCAPE '!' THEN corrected END) END AS litigation_corrected
  FROM review_litigation
  WHERE report_id IN (SELECT report_id FROM reports_latest)
  GROUP BY report_id
),
d AS (
  SELECT report_id,
    max(CASE WHEN item = 'rules'          AND metric IN ('made', 'issued')    THEN value END) AS rules_issued,
    max(CASE WHEN item = 'rules'          AND metric IN ('total', 'in_force') THEN value END) AS rules_in_force,
    max(CASE WHEN item = 'normative_docs' AND metric IN ('made', 'issued')    THEN value END) AS normative_docs_issued,
    max(CASE WHEN item = 'normative_docs' AND metric IN ('total', 'in_force') THEN value END) AS normative_docs_in_force,
    max(CASE WHEN item = 'licensing'      AND metric = 'decisions'            THEN value END) AS licensing_decisions,
    max(CASE WHEN item = 'penalty'        AND metric = 'decisions'            THEN value END) AS penalty_decisions,
    max(CASE WHEN item = 'coercion'       AND metric = 'decisions'            THEN value END) AS coercion_decisions,
    -- 2021 行政事业性收费 本年收费金额, in 万元 (the template's unit); a cell printed in 元 is converted,
    -- any other unit is NULL rather than a number in an unknown unit.
    max(CASE WHEN item = 'fees' AND metric = 'amount' THEN
          CASE WHEN unit IS NULL OR unit = '万元' THEN value WHEN unit = '元' THEN value / 10000.0 END END) AS fees_amount_wan
  FROM active_disclosure
  WHERE report_id IN (SELECT report_id FROM reports_latest)
  GROUP BY report_id
)
SELECT l.report_id, l.agency, l.year, l.template,
  a.received        AS applications_received,
  a.carried_over,
  a.handled,
  a.granted,
  CASE WHEN a.handled > 0 THEN 1.0 * a.granted        / a.handled END AS granted_share,
  a.refused,
  CASE WHEN a.handled > 0 THEN 1.0 * a.refused        / a.handled END AS refused_share,
  a.unable,
  CASE WHEN a.handled > 0 THEN 1.0 * a.unable         / a.handled END AS unable_share,
  a.not_processed,
  CASE WHEN a.handled > 0 THEN 1.0 * a.not_processed  / a.handled END AS not_processed_share,
  a.other_handling,
  a.carried_forward,
  r.review_total,
  r.review_corrected,
  CASE WHEN r.review_total > 0 THEN 1.0 * r.review_corrected / r.review_total END AS review_corrected_share,
  r.litigation_total,
  r.litigation_corrected,
  CASE WHEN r.litigation_total > 0 THEN 1.0 * r.litigation_corrected / r.litigation_total END AS litigation_corrected_share,
  d.rules_issued, d.rules_in_force, d.normative_docs_issued, d.normative_docs_in_force,
  d.licensing_decisions, d.penalty_decisions, d.coercion_decisions,
  d.fees_amount_wan,
  CASE WHEN a.received IS NULL THEN NULL WHEN a.received >= 10 THEN 1 ELSE 0 END AS rankable,
  l.issue_count
FROM reports_latest l
LEFT JOIN a ON a.report_id = l.report_id
LEFT JOIN r ON r.report_id = l.report_id
LEFT JOIN d ON d.report_id = l.report_id;
`;

export const indicators006: Migration = {
  name: "006-indicators",
  up: (db) => db.exec(SQL),
};
