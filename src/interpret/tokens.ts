import { readCell, tokenizeText, type Chunk } from "../parse/cells.js";
import type { Doc, GridSource } from "../parse/grid.js";
import { foldLabel } from "../parse/normalize.js";

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

/** Normalised concatenation of a segment's labels (computed only for segments a table looks at). */
export function segmentLabel(seg: Segment): string {
  let out = "";
  for (const l of seg.labels) if (l.chunk.t === "label") out += foldLabel(l.chunk.text);
  return out;
}

/**
 * Build the token stream. `skipBefore` lists normalised texts (table anchors): text runs that come
 * before the first block mentioning any of them cannot hold table values, so they are kept as one
 * label token each instead of being cut into chunks (most of a page is chrome and narrative).
 */
export function buildStream(doc: Doc, skipBefore: readonly string[] = []): TokenStream {
  // Where values can start: the first table, or the first text line that (with the two lines
  // before it, since an anchor may be broken over lines) mentions an anchor.
  let firstBlock = 0;
  let firstLine = 0;
  if (skipBefore.length) {
    firstBlock = -1;
    // An anchor newly found after adding a line ends in that line's text, so only the folded text
    // of the lines so far, cut to the longest anchor, is kept and searched (searching the whole
    // run again for every line of a page's chrome was quadratic).
    const keep = Math.max(...skipBefore.map((a) => a.length)) - 1;
    for (let b = 0; b < doc.blocks.length && firstBlock < 0; b++) {
      const block = doc.blocks[b]!;
      if (block.kind === "table") {
        firstBlock = b;
        break;
      }
      let tail = "";
      for (let i = 0; i < block.lines.length; i++) {
        const acc = tail + foldLabel(block.lines[i]!.text);
        tail = acc.length > keep ? acc.slice(acc.length - keep) : acc;
        if (skipBefore.some((a) => acc.includes(a))) {
          firstBlock = b;
          firstLine = Math.max(0, i - 2);
          break;
        }
      }
    }
    if (firstBlock < 0) firstBlock = 0;
  }
  const tokens: Tok[] = [];
  const rows: { toks: Tok[]; reliable: boolean }[] = [];
  const skippedText = (b: number, lines: { text: string; line: number }[]) => {
    if (!lines.length) return;
    const text = lines.map((l) => l.text).join("\n");
    const tok: Tok = { chunk: { t: "label", text, start: 0, end: text.length }, block: b, row: lines[0]!.line, col: 0, raw: "", source: "text", structured: false, index: tokens.length };
    tokens.push(tok);
    rows.push({ toks: [tok], reliable: false });
  };
  doc.blocks.forEach((block, b) => {
    if (block.kind === "table") {
      const g = block.grid;
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
        // A table row's boundaries are known (for one-cell-per-line text they were rebuilt from
        // the layout's padding rule), unlike a run of text lines.
        rows.push({ toks, reliable: true });
      }
    } else if (b < firstBlock) {
      skippedText(b, block.lines);
    } else {
      // A run of text lines is one row: cells of whitespace-separated or one-cell-per-line text
      // cross line breaks.
      const lines = b === firstBlock ? block.lines.slice(firstLine) : block.lines;
      if (b === firstBlock) skippedText(b, block.lines.slice(0, firstLine));
      const text = lines.map((l) => l.text).join("\n");
      const lineStarts: number[] = [];
      let pos = 0;
      for (const l of lines) {
        lineStarts.push(pos);
        pos += l.text.length + 1;
      }
      const toks: Tok[] = [];
      // Chunks come in text order: the line of each is found from the previous chunk's line.
      let li = 0;
      tokenizeText(text).forEach((chunk, i) => {
        while (li + 1 < lineStarts.length && lineStarts[li + 1]! <= chunk.start) li++;
        const raw = chunk.t === "label" ? chunk.text : chunk.t === "blank" ? "" : chunk.raw;
        const tok: Tok = { chunk, block: b, row: lines[li]!.line, col: i, raw, source: "text", structured: false, index: tokens.length };
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
    normText += t.chunk.t === "label" ? foldLabel(t.chunk.text) : "#";
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
