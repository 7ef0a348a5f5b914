import { z } from "zod";

/**
 * A finding about a report: an identity it breaks, a cell that could not be read, a row that is
 * missing, a split of glued digits that is ambiguous… Findings are data; the parser never throws
 * for them and never rewrites a printed number because of them.
 */
export const SeveritySchema = z.enum(["error", "warning", "info"]);
export type Severity = z.infer<typeof SeveritySchema>;

export const IssueSchema = z.object({
  /** Stable, dotted code, e.g. `identity.applications.balance`, `cell.unreadable`. */
  code: z.string(),
  severity: SeveritySchema,
  /** One readable sentence naming the rows and columns in Chinese. */
  message: z.string(),
  /** Record paths of the cells involved, e.g. `applications.total.natural_person`. */
  paths: z.array(z.string()).default([]),
  expected: z.union([z.number(), z.string(), z.null()]).optional(),
  actual: z.union([z.number(), z.string(), z.null()]).optional(),
  /** The identity's id when the issue is an identity violation. */
  identity: z.string().optional(),
  /** Anything else worth keeping (candidate splits, raw text…). */
  data: z.record(z.string(), z.unknown()).optional(),
});
export type Issue = z.infer<typeof IssueSchema>;

/** Render issues for a terminal, one line each. */
export function renderIssues(issues: readonly Issue[]): string {
  return issues.map((i) => `${i.severity.padEnd(7)} ${i.code}: ${i.message}`).join("\n");
}
