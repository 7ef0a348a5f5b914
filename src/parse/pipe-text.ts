import { readCell } from "./cells.js";
import { gridFromRows, type Grid, type GridSource } from "./grid.js";

/**
 * Pipe-flattened tables, in every style seen in scraped corpora (FORMAT.md part B and C §10):
 *
 * - `seed`: one cell per line, `TEXT |`; empty cells as bare pipes (`|||` = three), each row padded
 *   to the table width, the last row unpadded; row boundaries are not marked.
 * - `rows`: one row per line, ` | ` between cells and a trailing ` |`, padded to the table width.
 * - `rows-unpadded`: the same without padding.
 * - `leading`: `| a | b |`, one row per line.
 * - `markdown`: `| a | b |` with a `|---|` separator after the first row.
 */
export type PipeStyle = "seed" | "rows" | "rows-unpadded" | "leading" | "markdown";

const SEPARATOR_RE = /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/** True for a line that belongs to a pipe table. */
export function isPipeLine(line: string): boolean {
  const t = line.trim();
  return t.length > 0 && (t.endsWith("|") || t.startsWith("|"));
}

/** Split one line into cells, given whether the table uses leading pipes. */
function splitLine(line: string, leading: boolean): string[] {
  let t = line.trim();
  if (leading && t.startsWith("|")) t = t.slice(1);
  if (t.endsWith("|")) t = t.slice(0, -1);
  return t.split("|").map((c) => c.trim());
}

/**
 * Rebuild the rows of a one-cell-per-line table. Each table's first row ends where its padding
 * ends, which gives the width; every row then reads labels first, then values and padding. A row
 * that breaks that shape (a label after a value) is where the previous table's unpadded last row
 * ended and another table began (two tables flattened back to back): the width is inferred anew
 * from there.
 */
function rowsOfCellPerLine(entries: string[]): string[][] {
  const isLabel = (s: string) => readCell(s).t === "label";
  const rows: string[][] = [];
  let pos = 0;
  while (pos < entries.length) {
    let i = pos;
    while (i < entries.length && entries[i] !== "") i++;
    while (i < entries.length && entries[i] === "") i++;
    const width = Math.max(1, i - pos);
    let restart = false;
    while (pos < entries.length && !restart) {
      const chunk = entries.slice(pos, pos + width);
      let seenValue = false;
      let cut = -1;
      for (let k = 0; k < chunk.length; k++) {
        if (isLabel(chunk[k]!)) {
          if (seenValue) {
            cut = k;
            break;
          }
        } else seenValue = true;
      }
      if (cut < 0) {
        rows.push(chunk);
        pos += chunk.length;
      } else {
        rows.push(chunk.slice(0, cut));
        pos += cut;
        restart = true;
      }
    }
  }
  return rows;
}

/** Parse the lines of one pipe table (already known to be one table) into a Grid. */
export function parsePipeLines(lines: string[], line = 0): { grid: Grid; style: PipeStyle } {
  const content = lines.filter((l) => l.trim() !== "");
  const markdown = content.some((l) => SEPARATOR_RE.test(l.trim()) && l.includes("-"));
  // Leading-pipe tables start every row with "|"; a trailing-pipe table starts a row with "|" only
  // when its first cell is empty. Decide by the majority of the rows that have content.
  const withContent = content.filter((l) => splitLine(l, true).some((c) => c !== ""));
  const leading = withContent.filter((l) => l.trim().startsWith("|")).length * 2 > withContent.length;
  const rowsRaw = content.filter((l) => !SEPARATOR_RE.test(l.trim()) || !l.includes("-")).map((l) => splitLine(l, leading));
  const source: GridSource = markdown ? "markdown" : "pipe";
  const oneCellPerLine = !leading && rowsRaw.every((cells) => cells.filter((c) => c !== "").length <= 1 && (cells.length === 1 || cells.every((c) => c === "")));
  if (oneCellPerLine && rowsRaw.length > 1) {
    const rows = rowsOfCellPerLine(rowsRaw.flat());
    // Trailing empty cells may be padding or blank cells; the interpreter knows how many cells a
    // row has, so they are kept here.
    return { grid: gridFromRows(rows, source, line), style: "seed" };
  }
  const style: PipeStyle = markdown ? "markdown" : leading ? "leading" : "rows";
  return { grid: gridFromRows(rowsRaw, source, line), style };
}

/** Parse a text that is one pipe table. */
export function parsePipeText(text: string): Grid {
  return parsePipeLines(text.split(/\r?\n/)).grid;
}

/**
 * Render a grid as pipe text in one of the styles. Rows are padded to the grid width where the
 * style pads, so that `parsePipeText(renderPipeText(g, style))` gives back the cell texts of `g`
 * (trailing empty cells of a row are padding in every style, so they do not survive).
 */
export function renderPipeText(grid: Grid, style: PipeStyle): string {
  const w = grid.width;
  const lines: string[] = [];
  grid.rows.forEach((row, r) => {
    const cells = row.map((c) => c.text);
    const last = r === grid.rows.length - 1;
    const pad = Math.max(0, w - cells.length);
    switch (style) {
      case "seed": {
        let empties = 0;
        const flush = () => {
          if (empties) lines.push("|".repeat(empties));
          empties = 0;
        };
        for (const c of cells) {
          if (c === "") empties++;
          else {
            flush();
            lines.push(`${c} |`);
          }
        }
        if (!last) empties += pad;
        flush();
        break;
      }
      case "rows":
        lines.push([...cells, ...Array(pad).fill("")].map((c) => `${c} |`).join(" ").replace(/ \| (?= \|)/g, " |"));
        break;
      case "rows-unpadded":
        lines.push(cells.map((c) => `${c} |`).join(" "));
        break;
      case "leading":
        lines.push(`| ${[...cells, ...Array(pad).fill("")].join(" | ")} |`);
        break;
      case "markdown":
        lines.push(`| ${[...cells, ...Array(pad).fill("")].join(" | ")} |`);
        if (r === 0) lines.push(`|${Array(Math.max(1, w)).fill("---").join("|")}|`);
        break;
    }
  });
  return lines.join("\n");
}
