/**
 * The one table type. Whether a table came from HTML (rowspan/colspan), pipe-flattened text or a
 * markdown table, it becomes a Grid: rows of the cells really present in the source, in reading
 * order, each knowing its column position and span.
 */
export type GridSource = "html" | "pipe" | "markdown" | "pdf" | "docx" | "doc";

export interface GridCell {
  /** Cell text, NFKC-normalised, whitespace collapsed. */
  text: string;
  /** Row index in the grid. */
  row: number;
  /** Column index of the cell's left edge (after expanding rowspans and colspans). */
  col: number;
  rowSpan: number;
  colSpan: number;
  /** PDF only: 1-based page the cell is printed on. */
  page?: number;
  /** PDF only: the cell's box on its page, [x0, y0, x1, y1] in PDF points (origin bottom left). */
  box?: [number, number, number, number];
}

export interface Grid {
  source: GridSource;
  /** Rows of cells present in the source; a cell covered by a rowspan from above is not repeated. */
  rows: GridCell[][];
  /** Widest row's sum of colspans. */
  width: number;
  /** 1-based line of the first row (text sources) or 0. */
  line: number;
}

/** A piece of a document in reading order: a run of text lines, or a table. */
export type Block = { kind: "text"; lines: { text: string; line: number }[] } | { kind: "table"; grid: Grid };

export interface Attachment {
  url: string;
  type: string;
  text: string;
}

/** What extraction hands to interpretation. */
export interface Doc {
  kind: "html" | "text" | "pdf" | "docx" | "doc";
  blocks: Block[];
  /** Candidate titles in order of trust (meta ArticleTitle, <title>, h1, "标题:" line, first heading). */
  titles: string[];
  /** `<meta name=…>` values (lower-case names) and text header fields such as 发布时间. */
  meta: Record<string, string>;
  attachments: Attachment[];
  /** Number of <img> elements in the content. */
  images: number;
  /** All text of the document in reading order (for metadata). */
  text: string;
  /**
   * The report's own text, for full-text search: `text` without portal chrome (HTML lines that are
   * mostly link text: menus, navigation, link lists). Absent: the same as `text`.
   */
  body?: string;
}

/** Build a grid from rows of cell texts (no spans), e.g. from text. */
export function gridFromRows(rows: string[][], source: GridSource, line = 0): Grid {
  let width = 0;
  const out: GridCell[][] = rows.map((cells, r) => {
    width = Math.max(width, cells.length);
    return cells.map((text, c) => ({ text, row: r, col: c, rowSpan: 1, colSpan: 1 }));
  });
  return { source, rows: out, width, line };
}

/** Cell texts by row: what survives every text rendering. */
export function gridTexts(grid: Grid): string[][] {
  return grid.rows.map((r) => r.map((c) => c.text));
}
