import { Option } from "commander";

/**
 * The shared output flags and row writers of `query`, `search` and `export`: defined once so the
 * formats behave the same everywhere. Data goes to the writer given (stdout or a file); nothing
 * here writes messages.
 */
export const OUTPUT_FORMATS = ["table", "csv", "json", "jsonl"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function formatOption(defaultFormat: OutputFormat, choices: readonly OutputFormat[] = OUTPUT_FORMATS): Option {
  return new Option("--format <format>", `output format: ${choices.join(", ")}`).choices(choices).default(defaultFormat);
}

export function noHeadersOption(formats = "csv and table"): Option {
  return new Option("--no-headers", `omit the header line (${formats})`);
}

export interface WriteRowsOptions {
  /** Print the header line (csv, table). Default true. */
  headers?: boolean;
  /** Widest cell shown by the table format, in terminal columns; longer cells end in "…". */
  maxCellWidth?: number;
}

/**
 * Write rows (arrays in column order) in one of the formats. Output is buffered into chunks of
 * about 64 KB, so a million-row export does not make a million writes. Returns the row count.
 * BLOBs are written as base64 text.
 */
export function writeRows(
  write: (chunk: string) => void,
  columns: readonly string[],
  rows: Iterable<readonly unknown[]>,
  format: OutputFormat,
  options: WriteRowsOptions = {},
): number {
  const { headers = true, maxCellWidth = 80 } = options;
  let buffer = "";
  const emit = (s: string) => {
    buffer += s;
    if (buffer.length > 65536) {
      write(buffer);
      buffer = "";
    }
  };
  let count = 0;
  switch (format) {
    case "csv":
      if (headers) emit(`${columns.map(csvCell).join(",")}\n`);
      for (const row of rows) {
        emit(`${row.map(csvCell).join(",")}\n`);
        count++;
      }
      break;
    case "jsonl":
      for (const row of rows) {
        emit(`${JSON.stringify(asObject(columns, row))}\n`);
        count++;
      }
      break;
    case "json":
      emit("[");
      for (const row of rows) {
        emit(`${count === 0 ? "\n" : ",\n"}  ${JSON.stringify(asObject(columns, row))}`);
        count++;
      }
      emit(count === 0 ? "]\n" : "\n]\n");
      break;
    case "table": {
      // A table needs every width before its first line, so this format holds the rows in memory.
      const cells = [...rows].map((row) => row.map((v) => truncate(textOf(v), maxCellWidth)));
      count = cells.length;
      const widths = columns.map((c, i) => Math.max(headers ? displayWidth(c) : 0, ...cells.map((r) => displayWidth(r[i] ?? ""))));
      const line = (r: readonly string[]) => `${r.map((c, i) => pad(c, widths[i] ?? 0)).join("  ").trimEnd()}\n`;
      if (headers) {
        emit(line(columns));
        emit(line(widths.map((w) => "-".repeat(w))));
      }
      for (const r of cells) emit(line(r));
      break;
    }
  }
  if (buffer) write(buffer);
  return count;
}

function asObject(columns: readonly string[], row: readonly unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  columns.forEach((c, i) => {
    const v = row[i];
    o[c] = v instanceof Uint8Array ? Buffer.from(v).toString("base64") : typeof v === "bigint" ? Number(v) : v;
  });
  return o;
}

function textOf(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  return String(v);
}

function csvCell(v: unknown): string {
  const s = textOf(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Terminal columns a string takes: CJK and full-width characters count 2. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function pad(s: string, width: number): string {
  return s + " ".repeat(Math.max(0, width - displayWidth(s)));
}

function truncate(s: string, max: number): string {
  const flat = s.replace(/[\r\n\t]+/g, " ");
  if (displayWidth(flat) <= max) return flat;
  let out = "";
  let w = 0;
  for (const ch of flat) {
    const cw = isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
    if (w + cw > max - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}
