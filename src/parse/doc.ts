import CFB from "cfb";
import { NianbaoError } from "../errors.js";
import type { Block, Doc, GridCell } from "./grid.js";
import { signatureMeta, titleLines } from "./files.js";
import { linesToBlocks } from "./text.js";

/**
 * DOC (Word 97–2003 binary) and WPS → Doc. The OLE container is opened with SheetJS's `cfb`; the
 * Word binary inside is read here, only as far as text and tables need ([MS-DOC]):
 *
 * - the FIB gives the table stream (0Table/1Table), the piece table (CLX) and the paragraph
 *   property bin table (PlcBtePapx);
 * - the piece table maps character positions to the bytes of the text (UTF-16LE or cp1252 pieces);
 * - in the text, `\x07` ends a table cell, and ends a row where its paragraph has `sprmPFTtp`;
 *   that row-end paragraph carries `sprmTDefTable`: the cells' x edges (rgdxaCenter) and their
 *   merge flags. Edges give each cell its grid column and colspan; `fVertMerge`/`fVertRestart`
 *   give rowspans — the same Grid as an HTML table.
 *
 * word-extractor (the maintained text reader) turns every `\x07` into a tab, so a row's end and an
 * empty cell look the same; a table has to keep its cells, hence this reader.
 */

/** Largest WordDocument stream read (a report's is well under 5 MB). */
const MAX_STREAM_BYTES = 64 * 1024 * 1024;

function fail(why: string): never {
  throw new NianbaoError("E_NOT_REPORT", `not a readable annual report: a damaged DOC/WPS file (${why})`);
}

function u16(b: Uint8Array, o: number): number {
  if (o + 2 > b.length) fail("a structure points past the end of its stream");
  return b[o]! | (b[o + 1]! << 8);
}
function u32(b: Uint8Array, o: number): number {
  if (o + 4 > b.length) fail("a structure points past the end of its stream");
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000;
}
function i16(b: Uint8Array, o: number): number {
  const v = u16(b, o);
  return v >= 0x8000 ? v - 0x10000 : v;
}

interface Piece {
  cp0: number;
  cp1: number;
  fc: number;
  compressed: boolean;
}

interface TableProps {
  /** Cell edges in twips, itcMac + 1 of them. */
  edges: number[];
  /** Per cell: [vertMerge, vertRestart]. */
  merge: [boolean, boolean][];
}

const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

function streamOf(cfb: CFB.CFB$Container, name: string): Uint8Array | null {
  const e = CFB.find(cfb, name);
  if (!e || !e.content) return null;
  const c = e.content as Uint8Array | number[];
  return c instanceof Uint8Array ? c : Uint8Array.from(c);
}

/** Walk a grpprl; call `on(sprm, operandOffset, operandLength)` for each. */
function eachSprm(b: Uint8Array, from: number, to: number, on: (sprm: number, at: number, len: number) => void) {
  let o = from;
  while (o + 2 <= to) {
    const sprm = u16(b, o);
    o += 2;
    const spra = sprm >> 13;
    let len: number;
    if (spra === 0 || spra === 1) len = 1;
    else if (spra === 2 || spra === 4 || spra === 5) len = 2;
    else if (spra === 3) len = 4;
    else if (spra === 7) len = 3;
    else if (sprm === 0xd608) {
      // sprmTDefTable: a 2-byte size of the rest of the operand, plus one.
      if (o + 2 > to) return;
      const cb = u16(b, o);
      if (cb < 1 || o + 1 + cb > to) return;
      on(sprm, o + 2, cb - 1);
      o += 1 + cb;
      continue;
    } else {
      if (o + 1 > to) return;
      len = b[o]!;
      o += 1;
    }
    if (o + len > to) return;
    on(sprm, o, len);
    o += len;
  }
}

export function extractDoc(bytes: Uint8Array): Doc {
  let cfb: CFB.CFB$Container;
  try {
    cfb = CFB.read(bytes, { type: "buffer" });
  } catch (e) {
    fail(`its OLE container cannot be read: ${(e as Error).message ?? String(e)}`);
  }
  const wd = streamOf(cfb, "WordDocument");
  if (!wd) {
    throw new NianbaoError("E_NOT_REPORT", "not a readable annual report: an OLE file without a WordDocument stream (not a Word or WPS document; an old Excel or PowerPoint file?)");
  }
  if (wd.length > MAX_STREAM_BYTES) fail(`a ${wd.length}-byte text stream, over the limit`);
  if (u16(wd, 0) !== 0xa5ec) fail("no Word document header (FIB)");
  const flags = u16(wd, 0x0a);
  if (flags & 0x0100) throw new NianbaoError("E_NOT_REPORT", "not a readable annual report: the DOC file is encrypted (it needs a password to open)");
  const table = streamOf(cfb, flags & 0x0200 ? "1Table" : "0Table");
  if (!table) fail("its table stream is missing");
  const data = streamOf(cfb, "Data");
  const ccpText = u32(wd, 0x4c);
  const fcClx = u32(wd, 0x1a2);
  const lcbClx = u32(wd, 0x1a6);
  const fcBtePapx = u32(wd, 0x102);
  const lcbBtePapx = u32(wd, 0x106);
  if (fcClx + lcbClx > table.length || fcBtePapx + lcbBtePapx > table.length) fail("its piece table points past the table stream");

  // Piece table.
  let o = fcClx;
  const end = fcClx + lcbClx;
  while (o < end && table[o] === 0x01) o += 3 + u16(table, o + 1);
  if (table[o] !== 0x02) fail("no piece table");
  const lcb = u32(table, o + 1);
  o += 5;
  const n = Math.floor((lcb - 4) / 12);
  if (n <= 0 || o + lcb > table.length) fail("an empty or cut piece table");
  const pieces: Piece[] = [];
  for (let i = 0; i < n; i++) {
    const cp0 = u32(table, o + i * 4);
    const cp1 = u32(table, o + (i + 1) * 4);
    const pcd = o + (n + 1) * 4 + i * 8;
    const raw = u32(table, pcd + 2);
    const compressed = (raw & 0x40000000) !== 0;
    pieces.push({ cp0, cp1, fc: compressed ? (raw & 0x3fffffff) / 2 : raw, compressed });
  }

  // Paragraph property runs: [fcStart, fcEnd, fkp offset, papx offset].
  const runs: { fc0: number; fc1: number; page: number; papx: number }[] = [];
  const nb = Math.floor((lcbBtePapx - 4) / 8);
  for (let i = 0; i < nb; i++) {
    const pn = u32(table, fcBtePapx + (nb + 1) * 4 + i * 4) & 0x3fffff;
    const page = pn * 512;
    if (page + 512 > wd.length) fail("a paragraph property page points past the text stream");
    const crun = wd[page + 511]!;
    for (let j = 0; j < crun; j++) {
      runs.push({ fc0: u32(wd, page + j * 4), fc1: u32(wd, page + (j + 1) * 4), page, papx: wd[page + (crun + 1) * 4 + j * 13]! * 2 });
    }
  }
  runs.sort((a, b) => a.fc0 - b.fc0);

  /** The paragraph grpprl of the paragraph whose mark is at byte `fc`. */
  const grpprlAt = (fc: number): [Uint8Array, number, number] | null => {
    let lo = 0;
    let hi = runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = runs[mid]!;
      if (fc < r.fc0) hi = mid - 1;
      else if (fc >= r.fc1) lo = mid + 1;
      else {
        if (r.papx === 0) return null;
        const at = r.page + r.papx;
        let cb = wd[at]!;
        let start = at + 1;
        let size: number;
        if (cb === 0) {
          cb = wd[at + 1]!;
          start = at + 2;
          size = 2 * cb;
        } else size = 2 * cb - 1;
        // Skip the istd.
        let g: [Uint8Array, number, number] = [wd, start + 2, Math.min(start + size, r.page + 511)];
        // sprmPHugePapx: the grpprl lives in the Data stream (PrcData: a 2-byte size, then the sprms).
        eachSprm(wd, g[1], g[2], (sprm, op) => {
          if (sprm === 0x6646 && data) {
            const off = u32(wd, op);
            if (off + 2 <= data.length) {
              const len = u16(data, off);
              g = [data, off + 2, Math.min(off + 2 + len, data.length)];
            }
          }
        });
        return g;
      }
    }
    return null;
  };

  const rowProps = (fc: number): { ttp: boolean; props: TableProps | null } => {
    const g = grpprlAt(fc);
    if (!g) return { ttp: false, props: null };
    const [b, from, to] = g;
    let ttp = false;
    let props: TableProps | null = null;
    eachSprm(b, from, to, (sprm, at, len) => {
      if ((sprm === 0x2417 || sprm === 0x244c) && b[at] === 1) ttp = true;
      if (sprm === 0xd608 && len >= 1) {
        const itc = b[at]!;
        if (1 + (itc + 1) * 2 > len) return;
        const edges: number[] = [];
        for (let i = 0; i <= itc; i++) edges.push(i16(b, at + 1 + i * 2));
        const merge: [boolean, boolean][] = [];
        const tcs = at + 1 + (itc + 1) * 2;
        for (let i = 0; i < itc; i++) {
          const t = tcs + i * 20;
          const grf = t + 2 <= at + len ? u16(b, t) : 0;
          merge.push([(grf & 0x20) !== 0, (grf & 0x40) !== 0]);
        }
        props = { edges, merge };
      }
    });
    return { ttp, props };
  };

  // Walk the main text.
  const blocks: Block[] = [];
  const allText: string[] = [];
  let lines: { text: string; line: number }[] = [];
  let lineNo = 0;
  let para = "";
  let cells: string[] = [];
  let rows: { cells: string[]; props: TableProps | null }[] = [];
  const fieldDepth: number[] = []; // per open field: 1 while in its code part
  const flushLines = () => {
    if (lines.length) blocks.push(...linesToBlocks(lines));
    lines = [];
  };
  const flushTable = () => {
    if (!rows.length) return;
    const grid = rowsToGrid(rows);
    if (grid.rows.some((r) => r.some((c) => c.text))) {
      flushLines();
      blocks.push({ kind: "table", grid: { source: "doc", rows: grid.rows, width: grid.width, line: 0 } });
      for (const r of grid.rows) allText.push(r.map((c) => c.text).join(" "));
    }
    rows = [];
  };
  let images = 0;
  for (const p of pieces) {
    const from = Math.max(p.cp0, 0);
    const to = Math.min(p.cp1, ccpText);
    for (let cp = from; cp < to; cp++) {
      const fc = p.fc + (cp - p.cp0) * (p.compressed ? 1 : 2);
      if (fc + (p.compressed ? 1 : 2) > wd.length) fail("a text piece points past the text stream");
      let ch = p.compressed ? wd[fc]! : u16(wd, fc);
      if (p.compressed && ch >= 0x80 && ch < 0xa0) ch = CP1252_HIGH.charCodeAt(ch - 0x80);
      if (ch === 0x13) {
        fieldDepth.push(1);
        continue;
      }
      if (ch === 0x14) {
        if (fieldDepth.length) fieldDepth[fieldDepth.length - 1] = 0;
        continue;
      }
      if (ch === 0x15) {
        fieldDepth.pop();
        continue;
      }
      if (fieldDepth.some((d) => d === 1)) continue;
      if (ch === 0x07) {
        const { ttp, props } = rowProps(fc);
        if (ttp) {
          rows.push({ cells, props });
          cells = [];
        } else cells.push(clean(para));
        para = "";
        continue;
      }
      if (ch === 0x0d || ch === 0x0c) {
        // A paragraph inside a cell ends; the cell goes on.
        if (cells.length || isInTable(grpprlAt(fc))) {
          para += " ";
          continue;
        }
        flushTable();
        const t = clean(para);
        para = "";
        if (t) {
          lines.push({ text: t, line: ++lineNo });
          allText.push(t);
        }
        continue;
      }
      if (ch === 0x01 || ch === 0x08) {
        images++;
        continue;
      }
      if (ch === 0x0b || ch === 0x09) para += " ";
      else if (ch === 0x1e) para += "-";
      else if (ch >= 0x20 && ch !== 0x1f) para += String.fromCharCode(ch);
    }
  }
  flushTable();
  const t = clean(para);
  if (t) lines.push({ text: t, line: ++lineNo });
  flushLines();
  return { kind: "doc", blocks, titles: titleLines(blocks), meta: signatureMeta(blocks), attachments: [], images, text: allText.join("\n") };
}

function isInTable(g: [Uint8Array, number, number] | null): boolean {
  if (!g) return false;
  let inTable = false;
  eachSprm(g[0], g[1], g[2], (sprm, at) => {
    if ((sprm === 0x2416 || sprm === 0x6649) && g[0][at] !== 0) inTable = true;
  });
  return inTable;
}

function clean(s: string): string {
  return s.normalize("NFKC").replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, " ").trim();
}

/** Rows with their cell edges → grid cells with colspans (shared edges) and rowspans (vertical merges). */
function rowsToGrid(rows: { cells: string[]; props: TableProps | null }[]): { rows: GridCell[][]; width: number } {
  const all = new Set<number>();
  for (const r of rows) if (r.props && r.props.edges.length === r.cells.length + 1) for (const e of r.props.edges) all.add(e);
  // Edges within 30 twips (1.5 pt) are one.
  const edges: number[] = [];
  for (const e of [...all].sort((a, b) => a - b)) if (!edges.length || e - edges[edges.length - 1]! > 30) edges.push(e);
  const colOf = (x: number) => {
    let best = 0;
    for (let i = 0; i < edges.length; i++) if (Math.abs(edges[i]! - x) < Math.abs(edges[best]! - x)) best = i;
    return best;
  };
  const out: GridCell[][] = [];
  const above = new Map<number, GridCell>();
  let width = 0;
  rows.forEach((r, ri) => {
    const row: GridCell[] = [];
    const usable = r.props && r.props.edges.length === r.cells.length + 1;
    r.cells.forEach((text, ci) => {
      const col = usable ? colOf(r.props!.edges[ci]!) : ci;
      const colSpan = usable ? Math.max(1, colOf(r.props!.edges[ci + 1]!) - col) : 1;
      const [vm, restart] = usable ? r.props!.merge[ci] ?? [false, false] : [false, false];
      const top = above.get(col);
      if (vm && !restart && top && top.colSpan === colSpan && top.row + top.rowSpan === ri) {
        top.rowSpan++;
        if (text && !top.text.includes(text)) top.text = clean(`${top.text} ${text}`);
        return;
      }
      const cell: GridCell = { text, row: ri, col, rowSpan: 1, colSpan };
      row.push(cell);
      above.set(col, cell);
      width = Math.max(width, col + colSpan);
    });
    out.push(row);
  });
  return { rows: out, width };
}
