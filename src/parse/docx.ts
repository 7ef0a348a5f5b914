import * as cheerio from "cheerio";
import type { AnyNode, Element } from "domhandler";
import { Unzip, UnzipInflate } from "fflate";
import { NianbaoError } from "../errors.js";
import type { Block, Doc, GridCell } from "./grid.js";
import { signatureMeta, titleLines } from "./files.js";
import { linesToBlocks } from "./text.js";

/**
 * DOCX → Doc, straight from `word/document.xml` (no HTML detour: the grid columns are Word's own).
 * Paragraphs become lines; each `w:tbl` becomes a Grid:
 * `gridSpan` is the colspan, a `vMerge` without `restart` continues the cell above in the same grid
 * column (its rowspan), `gridBefore` skips leading grid columns. Blank cells (Word puts a
 * non-breaking space there) read as empty.
 */

/** Largest document.xml inflated: a report's is well under 10 MB; anything bigger is a zip bomb. */
export const MAX_DOCX_XML_BYTES = 32 * 1024 * 1024;

type Node = AnyNode & { type: string; name?: string; data?: string; children?: Node[]; attribs?: Record<string, string> };

function kids(n: Node): Node[] {
  return (n.children as Node[] | undefined) ?? [];
}

function isTag(n: Node, name?: string): n is Node & Element {
  return n.type === "tag" && (name === undefined || n.name === name);
}

function child(n: Node, name: string): Node | undefined {
  return kids(n).find((k) => isTag(k, name));
}

function clean(s: string): string {
  return s.normalize("NFKC").replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, " ").trim();
}

/** Text of a node: w:t runs, w:tab/w:br as spaces, deleted text and field codes left out. Iterative. */
function textOf(n: Node): string {
  let out = "";
  const stack: Node[] = [n];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.type === "text") continue;
    if (!isTag(x)) continue;
    const name = x.name;
    if (name === "w:t") {
      out += kids(x).map((k) => k.data ?? "").join("");
      continue;
    }
    if (name === "w:tab" || name === "w:br" || name === "w:cr") {
      out += " ";
      continue;
    }
    if (name === "w:delText" || name === "w:instrText" || name === "w:rPr" || name === "w:pPr") continue;
    if (name === "w:p") out += " ";
    const k = kids(x);
    for (let i = k.length - 1; i >= 0; i--) stack.push(k[i]!);
  }
  return out;
}

function intAttr(n: Node | undefined, fallback: number): number {
  const v = n?.attribs?.["w:val"];
  const i = v === undefined ? NaN : Number.parseInt(v, 10);
  return Number.isFinite(i) && i >= 1 ? Math.min(i, 200) : fallback;
}

/** Rows of a table, looking through w:sdt / w:customXml wrappers. */
function rowsOf(tbl: Node): Node[] {
  const out: Node[] = [];
  const walk = (n: Node) => {
    for (const k of kids(n)) {
      if (isTag(k, "w:tr")) out.push(k);
      else if (isTag(k, "w:sdt") || isTag(k, "w:sdtContent") || isTag(k, "w:customXml")) walk(k);
    }
  };
  walk(tbl);
  return out;
}

function cellsOf(tr: Node): Node[] {
  const out: Node[] = [];
  const walk = (n: Node) => {
    for (const k of kids(n)) {
      if (isTag(k, "w:tc")) out.push(k);
      else if (isTag(k, "w:sdt") || isTag(k, "w:sdtContent") || isTag(k, "w:customXml")) walk(k);
    }
  };
  walk(tr);
  return out;
}

function tableCells(tbl: Node): { rows: GridCell[][]; width: number } {
  const rows: GridCell[][] = [];
  // For each grid column, the cell that a vMerge continuation extends.
  const above: (GridCell | undefined)[] = [];
  let width = 0;
  rowsOf(tbl).forEach((tr, r) => {
    const row: GridCell[] = [];
    let col = intAttr(child(child(tr, "w:trPr") ?? ({} as Node), "w:gridBefore"), 0);
    for (const tc of cellsOf(tr)) {
      const pr = child(tc, "w:tcPr");
      const colSpan = intAttr(pr && child(pr, "w:gridSpan"), 1);
      const vm = pr && child(pr, "w:vMerge");
      const restart = vm?.attribs?.["w:val"] === "restart";
      const top = above[col];
      if (vm && !restart && top && top.colSpan === colSpan && top.row + top.rowSpan === r) {
        top.rowSpan++;
      } else {
        const cell: GridCell = { text: clean(textOf(tc)), row: r, col, rowSpan: 1, colSpan };
        row.push(cell);
        for (let c = col; c < col + colSpan; c++) above[c] = cell;
      }
      col += colSpan;
    }
    width = Math.max(width, col);
    rows.push(row);
  });
  return { rows, width };
}

/**
 * The XML of word/document.xml, inflated as a stream that stops at the size limit: a zip bomb is
 * refused whether its header declares the real size or lies about it.
 */
function documentXml(bytes: Uint8Array): string {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let found = false;
  let over = false;
  let failure: string | null = null;
  try {
    const unzip = new Unzip((file) => {
      if (file.name !== "word/document.xml" || found) return;
      found = true;
      if (file.originalSize !== undefined && file.originalSize > MAX_DOCX_XML_BYTES) {
        over = true;
        size = file.originalSize;
        return;
      }
      file.ondata = (err, chunk) => {
        if (err) {
          failure = err.message;
          return;
        }
        size += chunk.length;
        if (size > MAX_DOCX_XML_BYTES) {
          over = true;
          file.terminate();
          return;
        }
        chunks.push(chunk);
      };
      file.start();
    });
    unzip.register(UnzipInflate);
    // Small input slices: deflate expands at most ~1032×, so each step inflates at most ~16 MB.
    const STEP = 16 * 1024;
    for (let at = 0; at < bytes.length && !over && failure === null; at += STEP) unzip.push(bytes.subarray(at, at + STEP), at + STEP >= bytes.length);
  } catch (e) {
    if (!over) failure = (e as Error).message ?? String(e);
  }
  if (over) {
    throw new NianbaoError("E_NOT_REPORT", `not a readable annual report: the DOCX's text inflates to over ${MAX_DOCX_XML_BYTES} bytes (${size} seen): a zip bomb, not a report`, { size, reason: "zip_bomb" });
  }
  if (failure !== null) throw new NianbaoError("E_NOT_REPORT", `not a readable annual report: a damaged DOCX file (${failure})`);
  if (!found) throw new NianbaoError("E_NOT_REPORT", "not a readable annual report: a ZIP file without word/document.xml (not a Word document)");
  const xml = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    xml.set(c, at);
    at += c.length;
  }
  return new TextDecoder("utf-8").decode(xml);
}

/** Read a DOCX file into a Doc. */
export function extractDocx(bytes: Uint8Array): Doc {
  const xml = documentXml(bytes);
  const $ = cheerio.load(xml, { xml: { xmlMode: true, decodeEntities: true } });
  const body = $("w\\:body")[0] as Node | undefined;
  if (!body) throw new NianbaoError("E_NOT_REPORT", "not a readable annual report: the DOCX has no document body");
  const blocks: Block[] = [];
  const allText: string[] = [];
  let lines: { text: string; line: number }[] = [];
  let lineNo = 0;
  let images = 0;
  const flush = () => {
    if (lines.length) blocks.push(...linesToBlocks(lines));
    lines = [];
  };
  // Body-level paragraphs and tables, in order (looking through content controls).
  const stack: Node[] = [...kids(body)].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (!isTag(n)) continue;
    if (n.name === "w:p") {
      const drawing = $(n).find("w\\:drawing, w\\:pict").length;
      images += drawing;
      const t = clean(textOf(n));
      if (t) {
        lines.push({ text: t, line: ++lineNo });
        allText.push(t);
      }
    } else if (n.name === "w:tbl") {
      images += $(n).find("w\\:drawing, w\\:pict").length;
      const { rows, width } = tableCells(n);
      if (rows.some((r) => r.some((c) => c.text))) {
        flush();
        blocks.push({ kind: "table", grid: { source: "docx", rows, width, line: 0 } });
        for (const r of rows) allText.push(r.map((c) => c.text).join(" "));
      }
    } else if (n.name === "w:sdt" || n.name === "w:sdtContent" || n.name === "w:customXml") {
      const k = kids(n);
      for (let i = k.length - 1; i >= 0; i--) stack.push(k[i]!);
    }
  }
  flush();
  return { kind: "docx", blocks, titles: titleLines(blocks), meta: signatureMeta(blocks), attachments: [], images, text: allText.join("\n") };
}
