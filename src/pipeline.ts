import { NianbaoError } from "./errors.js";
import type { ReportRecord } from "./schema/record.js";

export interface ParseOptions {
  /** Where the page came from; copied into the record. */
  sourceUrl?: string | null;
  /** The HTTP Content-Type header, when the bytes came from a server (its charset wins over <meta>). */
  contentType?: string | null;
  /** Add, for every value, the table, row, column and raw text it came from. */
  provenance?: boolean;
}

/**
 * Parse one annual-report page (HTML, pipe-flattened text, whitespace or glued text, markdown)
 * into a typed, checked record. Synchronous and pure.
 *
 * Throws `NianbaoError` with code `E_NOT_REPORT` / `E_EMPTY_INPUT` only when the input is not a
 * readable report; everything the parser is unsure about goes into `record.issues` instead.
 */
export function parseReport(input: string | Uint8Array, options: ParseOptions = {}): ReportRecord {
  void input;
  void options;
  throw new NianbaoError("E_INTERNAL", "parser not built yet");
}
