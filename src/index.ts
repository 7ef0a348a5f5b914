/**
 * nianbao's public library surface. Everything a script needs is exported here by name; nothing
 * else is part of the API.
 *
 * @example
 * ```ts
 * import { parseReport } from "nianbao";
 * const record = parseReport(readFileSync("report.html"));
 * console.log(record.applications.new_received?.total, record.issues);
 * ```
 */
export { NianbaoError, ERROR_CODES, exitCodeFor, isNianbaoError } from "./errors.js";
export type { ErrorCode, ErrorGroup } from "./errors.js";
export { IssueSchema, renderIssues } from "./schema/issues.js";
export type { Issue, Severity } from "./schema/issues.js";
export { ReportRecordSchema } from "./schema/record.js";
export { parseReport, parseReportAsync, extractDocument, templateValuePaths } from "./pipeline.js";
// The national formats, as data: pass your own list in ParseOptions.templates to add one.
export { TEMPLATES, detectTemplate } from "./templates/registry.js";
export { TEMPLATE_2019 } from "./templates/template-2019.js";
export { TEMPLATE_2021 } from "./templates/template-2021.js";
export type { Template, TableDecl, RowDecl, GroupDecl, Identity } from "./templates/template.js";
export type { ParseOptions } from "./pipeline.js";
export type { ReportRecord, Provenance } from "./schema/record.js";

// The store: one SQLite file; see README "Storing and querying".
export { openDb, resolveDbPath, DEFAULT_DB_PATH } from "./store/db.js";
export { createReportSink } from "./store/sink.js";
export type { ReportSinkOptions } from "./store/sink.js";
export type { RawPage, IngestOutcome, IngestStatus, ReportSink, ParsePage } from "./store/ports.js";
export { ingestInputs, collectFiles } from "./store/ingest.js";
export type { IngestInput, IngestSummary } from "./store/ingest.js";
export { reparseAll } from "./store/reparse.js";
export type { ReparseSummary, ReparseChange } from "./store/reparse.js";
export { openForQuery, runReadOnly } from "./store/query.js";
export { searchReports, openForSearch } from "./store/search.js";
export type { SearchHit, SearchResult } from "./store/search.js";
export { indexPending } from "./store/search-index.js";
export { loadRecord } from "./store/records.js";
export { startRun, finishRun, upsertSources } from "./store/runs.js";
