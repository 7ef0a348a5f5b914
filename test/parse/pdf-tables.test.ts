/**
 * The PDF table rebuild on rules drawn the way Chromium's --print-to-pdf draws them: a merged
 * cell's border in one piece per column of the table, and no top rule on the row that opens a page
 * after a break (the collapsed border is drawn once, with the row above it, on the page before).
 */
import { describe, expect, it } from "vitest";
import type { Grid } from "../../src/parse/grid.js";
import { docFromPages, type Item, type PdfPage, type Seg } from "../../src/parse/pdf.js";

/** 3 label columns, then 7 value columns. */
const XS = [70, 135, 190, 310, 340, 370, 400, 430, 460, 500, 540];
const H = 9;

interface Cell {
  r0: number;
  r1?: number;
  c0: number;
  c1?: number;
  text: string;
}

/**
 * One page holding a table: rows from `top` down, `rowH` each. Each cell draws its own borders,
 * one piece per column or row it spans (as Chromium does); `openTop` / `openBottom` leave out the
 * rules at the table's top / bottom (the page-break cut).
 */
function page(cells: Cell[], rows: number, opts: { top?: number; rowH?: number; openTop?: boolean; openBottom?: boolean; lines?: { y: number; text: string }[] } = {}): PdfPage {
  const top = opts.top ?? 764;
  const rowH = opts.rowH ?? 44;
  const ys = Array.from({ length: rows + 1 }, (_, r) => top - r * rowH);
  const segs: Seg[] = [];
  const items: Item[] = [];
  const hRule = (y: number, c: number) => segs.push({ x0: XS[c]!, x1: XS[c + 1]!, y0: y, y1: y });
  const vRule = (x: number, r: number) => segs.push({ x0: x, x1: x, y0: ys[r + 1]!, y1: ys[r]! });
  for (const cell of cells) {
    const r1 = cell.r1 ?? cell.r0;
    const c1 = cell.c1 ?? cell.c0;
    for (let c = cell.c0; c <= c1; c++) {
      if (!(opts.openTop && cell.r0 === 0)) hRule(ys[cell.r0]!, c);
      if (!(opts.openBottom && r1 === rows - 1)) hRule(ys[r1 + 1]!, c);
    }
    for (let r = cell.r0; r <= r1; r++) {
      vRule(XS[cell.c0]!, r);
      vRule(XS[c1 + 1]!, r);
    }
    if (cell.text) {
      const x0 = XS[cell.c0]! + 2;
      items.push({ str: cell.text, x0, x1: x0 + H * [...cell.text].length * (/^[\d]+$/.test(cell.text) ? 0.5 : 1), y: (ys[cell.r0]! + ys[r1 + 1]!) / 2 - 3, h: H });
    }
  }
  for (const l of opts.lines ?? []) items.push({ str: l.text, x0: 70, x1: 70 + H * [...l.text].length, y: l.y, h: H });
  return { items, segs, height: 792 };
}

const HEADER: Cell[] = [
  { r0: 0, c0: 0, c1: 2, text: "项目" },
  ...["自然人", "商业", "科研", "公益", "法律", "其他", "总计"].map((text, i) => ({ r0: 0, c0: 3 + i, text })),
];
const row = (r: number, label: string, values: (number | "")[]): Cell[] => [{ r0: r, c0: 0, c1: 2, text: label }, ...values.map((v, i) => ({ r0: r, c0: 3 + i, text: String(v) }))];

/** A row whose label is a group label (column 0) beside an item label (columns 1–2): rules at 135 and 190 below. */
const GROUPED = (r: number): Cell[] => [{ r0: r, c0: 0, text: "三、办理结果" }, { r0: r, c0: 1, c1: 2, text: "(一)予以公开" }, ...[2, 1, 0, 0, 0, 0, 3].map((v, i) => ({ r0: r, c0: 3 + i, text: String(v) }))];

function onlyTable(pages: PdfPage[]): Grid {
  const tables = docFromPages(pages).blocks.flatMap((b) => (b.kind === "table" ? [b.grid] : []));
  expect(tables.length).toBe(1);
  return tables[0]!;
}
const texts = (g: Grid) => g.rows.map((r) => r.map((c) => c.text));

describe("PDF tables as Chromium prints them", () => {
  it("two label rows spanning three columns after a page break stay two rows, each with its own numbers", () => {
    const grid = onlyTable([
      page(HEADER, 1, { top: 120, lines: [{ y: 140, text: "三、收到和处理政府信息公开申请情况" }] }),
      page([...row(0, "一、本年新收申请数量", [60, 9, 0, 0, 0, 0, 69]), ...row(1, "二、上年结转申请数量", [5, 1, 0, 0, 0, 0, 6]), ...row(2, "四、结转下年度继续办理", [0, 0, 0, 0, 0, 0, 0]), ...GROUPED(3)], 4, { openTop: true }),
    ]);
    expect(texts(grid)).toEqual([
      ["项目", "自然人", "商业", "科研", "公益", "法律", "其他", "总计"],
      ["一、本年新收申请数量", "60", "9", "0", "0", "0", "0", "69"],
      ["二、上年结转申请数量", "5", "1", "0", "0", "0", "0", "6"],
      ["四、结转下年度继续办理", "0", "0", "0", "0", "0", "0", "0"],
      ["三、办理结果", "(一)予以公开", "2", "1", "0", "0", "0", "0", "3"],
    ]);
    expect(grid.rows.flat().map((c) => c.rowSpan)).toEqual(grid.rows.flat().map(() => 1));
    expect(grid.rows.slice(1).map((r) => r[0]!.page)).toEqual([2, 2, 2, 2]);
  });

  it("a row cut by the page break (no rule at the cut on either page) is one row again", () => {
    // The label wraps: its first line ends page 1, its second line and the numbers open page 2.
    const p1 = page([...HEADER, ...row(1, "一、本年新收", ["", "", "", "", "", "", ""])], 2, { top: 200, openBottom: true });
    const p2 = page([...row(0, "申请数量", [3, 0, 0, 0, 0, 0, 3]), ...row(1, "二、上年结转申请数量", [0, 0, 0, 0, 0, 0, 0])], 2, { openTop: true });
    expect(texts(onlyTable([p1, p2]))).toEqual([
      ["项目", "自然人", "商业", "科研", "公益", "法律", "其他", "总计"],
      ["一、本年新收申请数量", "3", "0", "0", "0", "0", "0", "3"],
      ["二、上年结转申请数量", "0", "0", "0", "0", "0", "0", "0"],
    ]);
  });
});
