import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { afterAll, describe, expect, it } from "vitest";
import { writeParquet } from "../../src/report/parquet.js";

const dir = mkdtempSync(join(tmpdir(), "nianbao-parquet-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function read(file: string) {
  const buf = readFileSync(file);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  return { ab, rows: parquetReadObjects({ file: ab }) as Promise<Record<string, unknown>[]> };
}

describe("writeParquet", () => {
  it("types columns from their values and writes row groups of the given size", async () => {
    const rows = Array.from({ length: 250 }, (_, i) => [i, i === 200 ? 0.5 : i, null, i % 3 === 0 ? null : `行${i}`]);
    const file = join(dir, "t.parquet");
    expect(writeParquet(file, ["id", "mixed", "blank", "label"], () => rows, { rowGroup: 100 })).toBe(250);
    const { ab, rows: got } = read(file);
    const meta = parquetMetadata(ab);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([100, 100, 50]);
    expect(meta.schema.slice(1).map((s) => s.type)).toEqual(["INT64", "DOUBLE", "BYTE_ARRAY", "BYTE_ARRAY"]);
    const back = await got;
    expect(back).toHaveLength(250);
    expect(back[200]).toEqual({ id: 200n, mixed: 0.5, blank: null, label: "行200" });
    expect(back[3]).toEqual({ id: 3n, mixed: 3, blank: null, label: null });
  });

  it("writes a readable file with no rows", async () => {
    const file = join(dir, "empty.parquet");
    expect(writeParquet(file, ["a"], () => [])).toBe(0);
    expect(await read(file).rows).toEqual([]);
  });
});
