import { ParquetWriter, fileWriter, schemaFromColumnData, type BasicType } from "hyparquet-writer";

/**
 * Parquet output for `nianbao export --format parquet`, written with hyparquet-writer.
 *
 * SQLite columns have no fixed type (a view's `max(CASE …)` column has none at all), so each
 * column's Parquet type is read off its values in a first pass: integers → INT64, any decimal →
 * DOUBLE, text → STRING, bytes → BYTE_ARRAY, nothing but NULLs → STRING. Every column is OPTIONAL:
 * SQL NULL stays null, never 0 or "". A column mixing text and numbers (none of the contract views
 * does) is written as text. Rows are then written in row groups of ROW_GROUP rows, so a table of
 * millions of values never sits in memory whole.
 */
const ROW_GROUP = 100_000;

type Kind = "null" | "int" | "double" | "text" | "bytes";

function widen(a: Kind, v: unknown): Kind {
  if (v === null || v === undefined) return a;
  let b: Kind;
  if (typeof v === "bigint") b = "int";
  else if (typeof v === "number") b = Number.isInteger(v) ? "int" : "double";
  else if (v instanceof Uint8Array) b = "bytes";
  else b = "text";
  if (a === "null" || a === b) return b;
  if ((a === "int" && b === "double") || (a === "double" && b === "int")) return "double";
  return "text";
}

const TYPE: Record<Kind, BasicType> = { null: "STRING", int: "INT64", double: "DOUBLE", text: "STRING", bytes: "BYTE_ARRAY" };

function convert(kind: Kind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case "int":
      return typeof v === "bigint" ? v : BigInt(v as number);
    case "double":
      return Number(v);
    case "bytes":
      return v;
    default:
      return v instanceof Uint8Array ? Buffer.from(v).toString("base64") : String(v);
  }
}

/**
 * Write `rows()` (called twice: once to type the columns, once to write) to `file` as Parquet.
 * Returns the number of rows written.
 */
export function writeParquet(file: string, columns: readonly string[], rows: () => Iterable<readonly unknown[]>, options: { rowGroup?: number } = {}): number {
  const rowGroup = options.rowGroup ?? ROW_GROUP;
  const kinds: Kind[] = columns.map(() => "null");
  for (const row of rows()) for (let i = 0; i < columns.length; i++) kinds[i] = widen(kinds[i] as Kind, row[i]);
  const schema = schemaFromColumnData({ columnData: columns.map((name, i) => ({ name, data: [], type: TYPE[kinds[i] as Kind] })) });
  const writer = new ParquetWriter({ writer: fileWriter(file), schema, createdBy: "nianbao" });
  let count = 0;
  let chunk: unknown[][] = columns.map(() => []);
  const flush = () => {
    // hyparquet-writer's column data type is a union of typed arrays and plain arrays; ours are plain.
    void writer.write({ columnData: columns.map((name, i) => ({ name, data: chunk[i] as never, type: TYPE[kinds[i] as Kind] })), rowGroupSize: rowGroup });
    chunk = columns.map(() => []);
  };
  for (const row of rows()) {
    for (let i = 0; i < columns.length; i++) (chunk[i] as unknown[]).push(convert(kinds[i] as Kind, row[i]));
    count++;
    if ((chunk[0] as unknown[]).length === rowGroup) flush();
  }
  if ((chunk[0] as unknown[]).length > 0) flush();
  void writer.finish();
  return count;
}
