import { z } from "zod";
import { IssueSchema } from "./issues.js";

/** A cell value: the number printed, or null for a blank / — / - / / / 无 cell. */
export const CellValueSchema = z.number().nullable();

/** item → metric → value (表二). */
export const ActiveSchema = z.record(z.string(), z.record(z.string(), CellValueSchema));
/** row → column → value (表三). */
export const ApplicationsSchema = z.record(z.string(), z.record(z.string(), CellValueSchema));
/** group → outcome → value (表四). */
export const ReviewLitigationSchema = z.record(z.string(), z.record(z.string(), CellValueSchema));

/** Where one value came from: which table, row and column, and the raw cell text. */
export const ProvenanceSchema = z.object({
  table: z.number().int(),
  row: z.number().int(),
  col: z.number().int(),
  raw: z.string(),
  /** html | pipe | markdown | text: how the table was written. */
  source: z.string(),
  /** PDF only: the 1-based page the cell is printed on. */
  page: z.number().int().optional(),
  /** PDF only: the cell's box on that page, [x0, y0, x1, y1] in PDF points from the bottom left. */
  box: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const ReportRecordSchema = z.object({
  title: z.string().nullable(),
  agency: z.string().nullable(),
  year: z.number().int().nullable(),
  template: z.string().nullable(),
  publishedAt: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  active: ActiveSchema,
  applications: ApplicationsSchema,
  reviewLitigation: ReviewLitigationSchema,
  /** Units stated by the report, keyed by value path (e.g. `active.fees.amount` → `万元`). */
  units: z.record(z.string(), z.string()),
  /** True when the tables are missing in part (images, attachments) and the record is partial. */
  incomplete: z.boolean(),
  issues: z.array(IssueSchema),
  parserVersion: z.string(),
  /** Only with `provenance: true`: value path → where it came from. */
  provenance: z.record(z.string(), ProvenanceSchema).optional(),
});
export type ReportRecord = z.infer<typeof ReportRecordSchema>;
