import { readCell, tokenizeText, type Chunk } from "../parse/cells.js";
import type { Doc, GridSource } from "../parse/grid.js";
import { normLabel } from "../parse/normalize.js";

/**
 * The document as one stream of tokens (labels, numbers, null markers, blanks) with provenance,
 * grouped into rows, and the rows cut into segments: a run of labels followed by a run of values.
 * A segment is the unit the template maps: "行政许可 | 0 | 1 | 0" is one segment.
 */

export interface Tok {
  chunk: Chunk;
  /** Index of the block (table or text run) in the document. */
  block: number;
  /** Row in the grid, or line number for text. */
  row: number;
  /** Column in the grid, or chunk index in the text run. */
  col: number;
  raw: string;
  source: GridSource | "text";
  /** From a table cell (its boundaries are certain) rather than from running text. */
  structured: boolean;
  /** Global position in the stream. */
  index: number;
}

export interface Segment {
  labels: Tok[];
  values: Tok[];
  /** Normalised concatenation of the labels. */
  norm: string;
  structured: boolean;
  /** Stream index of the first value. */
  start: number;
  /** Non-numeric cells that sat among the values of a table row. */
  unreadable: Tok[];
}

export interface TokenStream {
  tokens: Tok[];
  segments: Segment[];
  /** Normalised labels concatenated, values as `#`, for anchor search. */
  normText: string;
  /** For each token, the offset of its text in `normText`. */
  offsets: number[];
}

const DIGIT_SPACE_RE = /^[\d\s.,+-]+$/;

export function buildStream(doc: Doc): TokenStream {
  const tokens: Tok[] = [];
  const rows: { toks: Tok[]; reliable: boolean }[] = [];
  doc.blocks.forEach((block, b) => {
    if (block.kind === "table") {
      const g = block.grid;
      // Rows of a table have known boundaries (for one-cell-per-line text they were rebuilt from the
      // layout's padding rule).
      const reliable = true;
      for (const row of g.rows) {
        const toks: Tok[] = [];
        for (const cell of row) {
          const chunk = readCell(cell.text);
          if (chunk.t === "label" && DIGIT_SPACE_RE.test(cell.text) && /\d\s+\d/.test(cell.text)) {
            // "0 0 12" in one cell: several numbers that a converter put in one cell.
            for (const c of tokenizeText(cell.text)) {
              toks.push({ chunk: c, block: b, row: g.line + cell.row, col: cell.col, raw: cell.text, source: g.source, structured: true, index: tokens.length });
              tokens.push(toks[toks.length - 1]!);
            }
            continue;
          }
          const tok: Tok = { chunk, block: b, row: g.line + cell.row, col: cell.col, raw: cell.text, source: g.source, structured: true, index: tokens.length };
          tokens.push(tok);
          toks.push(tok);
        }
        rows.push({ toks, reliable });
      }
    } else {
      // A run of text lines is one row: cells of whitespace-separated or one-cell-per-line text
      // cross line breaks.
      const text = block.lines.map((l) => l.text).join("\n");
      const lineStarts: number[] = [];
      let pos = 0;
      for (const l of block.lines) {
        lineStarts.push(pos);
        pos += l.text.length + 1;
      }
      const toks: Tok[] = [];
      tokenizeText(text).forEach((chunk, i) => {
        let li = 0;
        while (li + 1 < lineStarts.length && lineStarts[li + 1]! <= chunk.start) li++;
        const raw = chunk.t === "label" ? chunk.text : chunk.t === "blank" ? "" : chunk.raw;
        const tok: Tok = { chunk, block: b, row: block.lines[li]!.line, col: i, raw, source: "text", structured: false, index: tokens.length };
        tokens.push(tok);
        toks.push(tok);
      });
      rows.push({ toks, reliable: false });
    }
  });

  const offsets: number[] = [];
  let normText = "";
  for (const t of tokens) {
    offsets.push(normText.length);
    normText += t.chunk.t === "label" ? normLabel(t.chunk.text) : "#";
  }

  const segments: Segment[] = [];
  for (const { toks, reliable } of rows) {
    let labels: Tok[] = [];
    let values: Tok[] = [];
    let unreadable: Tok[] = [];
    const close = () => {
      if (values.length) {
        segments.push({
          labels,
          values,
          norm: labels.map((l) => (l.chunk.t === "label" ? normLabel(l.chunk.text) : "")).join(""),
          structured: values[0]!.structured,
          start: values[0]!.index,
          unreadable,
        });
      }
      labels = [];
      values = [];
      unreadable = [];
    };
    for (const t of toks) {
      if (t.chunk.t === "label") {
        if (values.length && reliable) {
          // In a real table row, text after the values is a cell that should have been a number.
          values.push(t);
          unreadable.push(t);
          continue;
        }
        if (values.length) close();
        labels.push(t);
      } else {
        values.push(t);
      }
    }
    close();
  }
  return { tokens, segments, normText, offsets };
}

/** Index of the token containing `normText` offset `off`. */
export function tokenAt(stream: TokenStream, off: number): number {
  let lo = 0;
  let hi = stream.offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (stream.offsets[mid]! <= off) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
