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
export { parseReport, extractDocument } from "./pipeline.js";
export type { ParseOptions } from "./pipeline.js";
export type { ReportRecord, Provenance } from "./schema/record.js";
