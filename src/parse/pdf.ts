import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { NianbaoError } from "../errors.js";
import type { Block, Doc, Grid, GridCell } from "./grid.js";
import { signatureMeta, titleLines } from "./files.js";
import { linesToBlocks } from "./text.js";

/**
 * PDF → Doc. Annual reports published as PDF are exported from Word or WPS, so they carry a text
 * layer and draw their tables with ruling lines. The table is rebuilt geometrically:
 *
 * 1. the page's operator list gives the path operators (rectangles, line segments) with the
 *    transformation matrix in force; axis-aligned strokes and thin filled rectangles are rules;
 * 2. rules that touch each other form one table; their distinct x and y positions cut it into
 *    atomic cells, and two neighbouring atomic cells with no rule between them are one merged cell
 *    (that is how rowspan/colspan look on paper);
 * 3. every text item lands in the cell that holds its centre; a cell's lines are joined in reading
 *    order (so a label wrapped inside its cell, or set vertically one glyph per line, is one label);
 * 4. a table that ends a page and one that starts the next with the same column edges are one
 *    table; a repeated header row on the second page is dropped.
 *
 * Text outside tables becomes lines; page numbers (`-3-`, `第 3 页`) and running headers/footers
 * in the page margins are dropped. Lines of a table drawn without rules keep their column gaps as
 * ` | ` so the pipe-table reader rebuilds their rows. All text is NFKC-normalised (Kangxi radicals
 * such as ⼀ U+2F00 become 一).
 */

/** Pages read at most: annual reports run to 5–30 pages; a longer file is not one (or a compilation). */
export const MAX_PDF_PAGES = 120;

export interface Item {
  str: string;
  x0: number;
  x1: number;
  /** Baseline. */
  y: number;
  /** Font size (glyph height). */
  h: number;
}

export interface Seg {
  /** Horizontal: y0 === y1; vertical: x0 === x1. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface Region {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
  items: Item[];
  /** Not enclosed by rules on every side. */
  open?: boolean;
}

interface PageTable {
  xs: number[];
  ys: number[];
  regions: Region[];
  top: number;
  bottom: number;
  page: number;
}

type PageBlock = { kind: "line"; y: number; text: string; plain: string; margin: boolean } | { kind: "table"; y: number; table: PageTable };

type Matrix = [number, number, number, number, number, number];

/**
 * Rules closer than this (points) are one edge: HTML-born tables draw each cell's own border, a
 * couple of points from its neighbour's (border-spacing), and double frames do the same.
 */
const TOL = 4;

function mul(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

function pdfjsPaths(): { module: string; cMapUrl: string; standardFontDataUrl: string } {
  const req = createRequire(import.meta.url);
  const root = dirname(req.resolve("pdfjs-dist/package.json"));
  // In Node, pdfjs reads cMaps and fonts with fs: plain paths with a trailing separator.
  return {
    module: pathToFileURL(join(root, "legacy", "build", "pdf.mjs")).href,
    cMapUrl: join(root, "cmaps") + "/",
    standardFontDataUrl: join(root, "standard_fonts") + "/",
  };
}

/** What the reader thread hands back: per page its text items and its drawing operators. */
interface RawPage {
  height: number;
  items: { str: string; transform: number[]; width: number; height: number }[];
  fn: number[];
  args: unknown[];
}
type RawResult = { ok: true; numPages: number; pages: RawPage[]; ops: Record<string, number> } | { ok: false; kind: "password" | "damaged" | "pages"; message: string; pages?: number };

/**
 * The pdf.js part runs in its own worker thread (plain JavaScript, so it needs no build step and
 * runs the same from source and from dist): pdf.js is asynchronous, and a thread lets the
 * synchronous `parseReport` wait for it (Atomics.wait) while the thread's heap limit bounds what a
 * hostile file can allocate. Only the operators that draw rules or images are sent back.
 */
const READER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { port, flag, paths, maxPages } = workerData;
const lib = import(paths.module);
port.on("message", async ({ bytes }) => {
  let result;
  let pdf = null;
  try {
    const { getDocument, OPS } = await lib;
    const keep = new Set([OPS.save, OPS.restore, OPS.transform, OPS.paintFormXObjectBegin, OPS.paintFormXObjectEnd, OPS.constructPath,
      OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject, OPS.paintImageXObjectRepeat, OPS.paintInlineImageXObjectGroup]);
    const task = getDocument({ data: bytes, cMapUrl: paths.cMapUrl, standardFontDataUrl: paths.standardFontDataUrl, cMapPacked: true,
      isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0, stopAtErrors: false });
    try {
      pdf = await task.promise;
    } catch (e) {
      await task.destroy().catch(() => undefined);
      throw e;
    }
    if (pdf.numPages > maxPages) {
      result = { ok: false, kind: "pages", message: "too many pages", pages: pdf.numPages };
    } else {
      const pages = [];
      for (let p = 1; p <= pdf.numPages; p++) {
        const page = await pdf.getPage(p);
        const content = await page.getTextContent();
        const ops = await page.getOperatorList();
        const fn = [];
        const args = [];
        ops.fnArray.forEach((f, i) => {
          if (!keep.has(f)) return;
          fn.push(f);
          const a = ops.argsArray[i];
          // Image arguments carry the pixels: the count is all that matters.
          args.push(f === OPS.constructPath || f === OPS.transform || f === OPS.paintFormXObjectBegin ? a : null);
        });
        const items = [];
        for (const it of content.items) if ("str" in it && it.str.trim() !== "") items.push({ str: it.str, transform: it.transform, width: it.width, height: it.height });
        pages.push({ height: page.view[3], items, fn, args });
        page.cleanup();
      }
      result = { ok: true, numPages: pdf.numPages, pages, ops: { ...OPS } };
    }
  } catch (e) {
    result = { ok: false, kind: e && e.name === "PasswordException" ? "password" : "damaged", message: String((e && e.message) || e) };
  } finally {
    if (pdf) await pdf.destroy().catch(() => undefined);
  }
  port.postMessage(result);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

/** Longest a PDF may take to read before it is given up (a report takes well under a second). */
export const PDF_TIMEOUT_MS = 120_000;
/** Heap limit of the reader thread. */
const READER_HEAP_MB = 384;

interface Reader {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
}
let reader: Reader | null = null;
let queue: Promise<unknown> = Promise.resolve();

function startReader(): Reader {
  if (reader) return reader;
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(READER_SOURCE, {
    eval: true,
    workerData: { port: port2, flag, paths: pdfjsPaths(), maxPages: MAX_PDF_PAGES },
    transferList: [port2],
    resourceLimits: { maxOldGenerationSizeMb: READER_HEAP_MB },
    stdout: true,
    stderr: true,
  });
  worker.unref();
  port1.unref();
  const r: Reader = { worker, port: port1, flag };
  worker.on("error", () => stopReader(r));
  worker.on("exit", () => stopReader(r));
  reader = r;
  return r;
}

function stopReader(r: Reader) {
  if (reader === r) reader = null;
  r.port.close();
  void r.worker.terminate();
}

function send(r: Reader, bytes: Uint8Array) {
  Atomics.store(r.flag, 0, 0);
  // A copy: pdf.js takes ownership of the buffer it reads.
  const copy = new Uint8Array(bytes);
  r.port.postMessage({ bytes: copy }, [copy.buffer]);
}

function take(r: Reader): RawResult {
  const m = receiveMessageOnPort(r.port);
  if (m) return m.message as RawResult;
  stopReader(r);
  return { ok: false, kind: "damaged", message: `reading it took longer than ${PDF_TIMEOUT_MS / 1000} s or ran out of memory` };
}

/** Read a PDF's raw pages, blocking the calling thread (the synchronous `parseReport`). */
function readRawSync(bytes: Uint8Array): RawResult {
  const r = startReader();
  send(r, bytes);
  const deadline = Date.now() + PDF_TIMEOUT_MS;
  // Short waits, so a reader thread that died (heap limit) is noticed by the deadline at worst.
  while (Atomics.load(r.flag, 0) === 0 && Date.now() < deadline && reader === r) Atomics.wait(r.flag, 0, 0, 200);
  return take(r);
}

/** Read a PDF's raw pages without blocking (parseReportAsync); calls run one at a time. */
function readRawAsync(bytes: Uint8Array): Promise<RawResult> {
  const run = async (): Promise<RawResult> => {
    const r = startReader();
    send(r, bytes);
    // Atomics.waitAsync is in Node 16+, not yet in TypeScript's ES2022 lib.
    const waitAsync = (Atomics as unknown as { waitAsync: (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: Promise<string> | string } }).waitAsync;
    const w = waitAsync(r.flag, 0, 0, PDF_TIMEOUT_MS);
    // A pending waitAsync does not keep Node alive; the busy reader thread must.
    r.worker.ref();
    try {
      if (w.async) await w.value;
    } finally {
      r.worker.unref();
    }
    return take(r);
  };
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}

/** Read a PDF into a Doc, synchronously. Throws E_NOT_REPORT for encrypted, damaged, over-long or scanned files. */
export function extractPdfSync(bytes: Uint8Array): Doc {
  return docFromRaw(readRawSync(bytes));
}

/** Read a PDF into a Doc without blocking the event loop. */
export async function extractPdf(bytes: Uint8Array): Promise<Doc> {
  return docFromRaw(await readRawAsync(bytes));
}

function docFromRaw(raw: RawResult): Doc {
  if (!raw.ok) {
    if (raw.kind === "password") throw new NianbaoError("E_NOT_REPORT", "not a readable annual report: the PDF is encrypted (it needs a password to open)", { reason: "encrypted" });
    if (raw.kind === "pages") {
      throw new NianbaoError("E_NOT_REPORT", `not a readable annual report: the PDF has ${raw.pages} pages, over the ${MAX_PDF_PAGES}-page limit for one report`, { pages: raw.pages, reason: "too_many_pages" });
    }
    throw new NianbaoError("E_NOT_REPORT", `not a readable annual report: a damaged PDF (${raw.message})`, { reason: "damaged" });
  }
  const pages: PdfPage[] = [];
  let images = 0;
  let chars = 0;
  raw.pages.forEach((page) => {
    const items: Item[] = [];
    for (const it of page.items) {
      const t = it.transform;
      const h = Math.hypot(t[2]!, t[3]!) || it.height || 10;
      const str = normalizeGlyphs(it.str);
      chars += str.replace(/\s+/g, "").length;
      pushWords(items, str, t[4]!, t[4]! + (it.width || h * str.length), t[5]!, h);
    }
    const segs: Seg[] = [];
    images += readPaths(page.fn, page.args, raw.ops, segs);
    pages.push({ items, segs, height: page.height });
  });
  if (chars < 20) {
    throw new NianbaoError(
      "E_NOT_REPORT",
      `not a readable annual report: scanned PDF: no text layer (${raw.numPages} page${raw.numPages === 1 ? "" : "s"}, ${images} image${images === 1 ? "" : "s"}; reading it needs OCR)`,
      { pages: raw.numPages, images, reason: "scanned" },
    );
  }
  return docFromPages(pages, images);
}

/** One page as read: its words and its rules, in PDF points (y grows upwards). */
export interface PdfPage {
  items: Item[];
  segs: Seg[];
  height: number;
}

/** Pages (words and rules) → Doc: the geometric part of the reader, without pdf.js. */
export function docFromPages(pages: readonly PdfPage[], images = 0): Doc {
  return assemble(pages.map((p, i) => ({ ...layoutPage(p.items, p.segs, i + 1, p.height), height: p.height })), images);
}

/**
 * pdf.js joins runs printed on one line into one item, even across a cell border ("自然人 法人或其他组织").
 * Split an item at its spaces, placing each word by its share of the item's width (CJK glyphs one
 * em, others half), so each word lands in its own cell.
 */
function pushWords(items: Item[], str: string, x0: number, x1: number, y: number, h: number) {
  const trimmed = str.trim();
  if (!/\s/.test(trimmed)) {
    items.push({ str: trimmed, x0, x1, y, h });
    return;
  }
  const em = (ch: string) => (cjk(ch) ? 1 : 0.5);
  const units = [...str].reduce((sum, ch) => sum + em(ch), 0) || 1;
  const scale = (x1 - x0) / units;
  let at = 0;
  for (const m of str.matchAll(/\S+|\s+/g)) {
    const w = [...m[0]].reduce((sum, ch) => sum + em(ch), 0);
    if (/\S/.test(m[0])) items.push({ str: m[0], x0: x0 + at * scale, x1: x0 + (at + w) * scale, y, h });
    at += w;
  }
}

/** Collect rules from the operator list; returns the number of images painted. */
function readPaths(fnArray: number[], argsArray: unknown[], OPS: Record<string, number>, segs: Seg[]): number {
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  let images = 0;
  const strokeOps = new Set([OPS["stroke"], OPS["closeStroke"], OPS["fillStroke"], OPS["eoFillStroke"], OPS["closeFillStroke"], OPS["closeEOFillStroke"]]);
  const fillOps = new Set([OPS["fill"], OPS["eoFill"]]);
  const imageOps = new Set([OPS["paintImageXObject"], OPS["paintInlineImageXObject"], OPS["paintImageMaskXObject"], OPS["paintImageXObjectRepeat"], OPS["paintInlineImageXObjectGroup"]]);
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i]!;
    const args = argsArray[i] as unknown[];
    if (fn === OPS["save"]) stack.push(ctm);
    else if (fn === OPS["restore"]) ctm = stack.pop() ?? ctm;
    else if (fn === OPS["transform"]) ctm = mul(ctm, args as Matrix);
    else if (fn === OPS["paintFormXObjectBegin"]) {
      stack.push(ctm);
      const m = args[0] as Matrix | null;
      if (m) ctm = mul(ctm, [...m] as Matrix);
    } else if (fn === OPS["paintFormXObjectEnd"]) ctm = stack.pop() ?? ctm;
    else if (imageOps.has(fn)) images++;
    else if (fn === OPS["constructPath"]) {
      const op = args[0] as number;
      const data = (args[1] as (Float32Array | null)[])[0];
      if (!data) continue;
      if (strokeOps.has(op)) strokeSegments(data, ctm, segs);
      else if (fillOps.has(op)) fillRules(data, ctm, segs);
    }
  }
  return images;
}

/** Path data (pdfjs DrawOPS: 0 moveTo, 1 lineTo, 2 curveTo, 3 quadraticCurveTo, 4 closePath) → subpaths of points. */
function subpaths(data: Float32Array, ctm: Matrix): [number, number][][] {
  const out: [number, number][][] = [];
  let cur: [number, number][] = [];
  for (let i = 0; i < data.length; ) {
    const op = data[i++];
    if (op === 0) {
      if (cur.length) out.push(cur);
      cur = [apply(ctm, data[i]!, data[i + 1]!)];
      i += 2;
    } else if (op === 1) {
      cur.push(apply(ctm, data[i]!, data[i + 1]!));
      i += 2;
    } else if (op === 2) {
      // A curve is not a rule: break the subpath there.
      if (cur.length) out.push(cur);
      cur = [apply(ctm, data[i + 4]!, data[i + 5]!)];
      i += 6;
    } else if (op === 3) {
      if (cur.length) out.push(cur);
      cur = [apply(ctm, data[i + 2]!, data[i + 3]!)];
      i += 4;
    } else if (op === 4) {
      if (cur.length > 1) cur.push(cur[0]!);
    } else break;
  }
  if (cur.length) out.push(cur);
  return out;
}

function addSeg(segs: Seg[], ax: number, ay: number, bx: number, by: number) {
  if (Math.abs(ay - by) < 0.5 && Math.abs(ax - bx) >= 3) segs.push({ x0: Math.min(ax, bx), x1: Math.max(ax, bx), y0: (ay + by) / 2, y1: (ay + by) / 2 });
  else if (Math.abs(ax - bx) < 0.5 && Math.abs(ay - by) >= 3) segs.push({ x0: (ax + bx) / 2, x1: (ax + bx) / 2, y0: Math.min(ay, by), y1: Math.max(ay, by) });
}

function strokeSegments(data: Float32Array, ctm: Matrix, segs: Seg[]) {
  for (const sp of subpaths(data, ctm)) for (let i = 1; i < sp.length; i++) addSeg(segs, sp[i - 1]![0], sp[i - 1]![1], sp[i]![0], sp[i]![1]);
}

/**
 * Filled paths: a thin, long quadrilateral is a rule. Word and LibreOffice stroke their borders;
 * Chromium fills each border as a trapezoid with bevelled corners, so only the bounding box counts.
 */
function fillRules(data: Float32Array, ctm: Matrix, segs: Seg[]) {
  for (const sp of subpaths(data, ctm)) {
    if (sp.length < 4 || sp.length > 6) continue;
    const xs = sp.map((p) => p[0]);
    const ys = sp.map((p) => p[1]);
    const x0 = Math.min(...xs);
    const x1 = Math.max(...xs);
    const y0 = Math.min(...ys);
    const y1 = Math.max(...ys);
    const w = x1 - x0;
    const h = y1 - y0;
    if (h <= 2.5 && w >= 3 && w > h * 3) segs.push({ x0, x1, y0: (y0 + y1) / 2, y1: (y0 + y1) / 2 });
    else if (w <= 2.5 && h >= 3 && h > w * 3) segs.push({ x0: (x0 + x1) / 2, x1: (x0 + x1) / 2, y0, y1 });
  }
}

/** Sorted distinct positions, merging those closer than TOL. */
function cluster(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v - last[last.length - 1]! <= TOL) last.push(v);
    else out.push([v]);
  }
  return out.map((g) => g.reduce((s, v) => s + v, 0) / g.length);
}

/**
 * The edges where a page break cut a table. Chromium draws a collapsed border once, with the row
 * above it, so the row that opens a page after a break has no top rule (and a row cut in two has
 * no bottom rule on the first page): its side rules run past the table's last horizontal rule.
 * When both outer side rules do, the cut is an edge of the table there, or that row's text would
 * fall out of the table as loose lines.
 */
function cutEdges(gh: Seg[], gv: Seg[], xs: number[]): Seg[] {
  const left = gv.filter((s) => Math.abs(s.x0 - xs[0]!) <= TOL);
  const right = gv.filter((s) => Math.abs(s.x0 - xs[xs.length - 1]!) <= TOL);
  const hTop = Math.max(...gh.map((s) => s.y0));
  const hBottom = Math.min(...gh.map((s) => s.y0));
  const out: Seg[] = [];
  const edge = (y: number) => out.push({ x0: xs[0]!, x1: xs[xs.length - 1]!, y0: y, y1: y });
  const top = [Math.max(...left.map((s) => s.y1)), Math.max(...right.map((s) => s.y1))];
  if (top[0]! > hTop + TOL && top[1]! > hTop + TOL && Math.abs(top[0]! - top[1]!) <= TOL) edge(Math.min(top[0]!, top[1]!));
  const bottom = [Math.min(...left.map((s) => s.y0)), Math.min(...right.map((s) => s.y0))];
  if (bottom[0]! < hBottom - TOL && bottom[1]! < hBottom - TOL && Math.abs(bottom[0]! - bottom[1]!) <= TOL) edge(Math.max(bottom[0]!, bottom[1]!));
  return out;
}

/** Group rules that touch into tables. */
function tables(segs: Seg[], page: number): PageTable[] {
  const hs = segs.filter((s) => s.y0 === s.y1);
  const vs = segs.filter((s) => s.x0 === s.x1);
  const parent = segs.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const idx = new Map<Seg, number>(segs.map((s, i) => [s, i]));
  for (const h of hs) {
    for (const v of vs) {
      if (v.x0 >= h.x0 - TOL && v.x0 <= h.x1 + TOL && h.y0 >= v.y0 - TOL && h.y0 <= v.y1 + TOL) parent[find(idx.get(h)!)] = find(idx.get(v)!);
    }
  }
  // Pieces of one rule drawn end to end belong together even where no crossing rule touches a
  // piece: Chromium draws each cell's borders apart, so the rule under a merged cell is several
  // pieces, and the middle ones meet no vertical rule (left out, the cells above and below merged).
  const joinCollinear = (list: Seg[], at: (s: Seg) => number, from: (s: Seg) => number, to: (s: Seg) => number) => {
    const sorted = [...list].sort((a, b) => at(a) - at(b) || from(a) - from(b));
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i]!;
      for (let j = i + 1; j < sorted.length && at(sorted[j]!) - at(a) <= TOL; j++) {
        const b = sorted[j]!;
        if (from(b) <= to(a) + TOL && from(a) <= to(b) + TOL) parent[find(idx.get(a)!)] = find(idx.get(b)!);
      }
    }
  };
  joinCollinear(hs, (s) => s.y0, (s) => s.x0, (s) => s.x1);
  joinCollinear(vs, (s) => s.x0, (s) => s.y0, (s) => s.y1);
  const groups = new Map<number, Seg[]>();
  segs.forEach((s, i) => {
    const g = find(i);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(s);
  });
  const out: PageTable[] = [];
  for (const g of groups.values()) {
    const gh = g.filter((s) => s.y0 === s.y1);
    const gv = g.filter((s) => s.x0 === s.x1);
    const xs = cluster(gv.map((s) => s.x0));
    if (xs.length >= 2 && gh.length) gh.push(...cutEdges(gh, gv, xs));
    const ys = cluster(gh.map((s) => s.y0)).reverse(); // top first
    if (xs.length < 2 || ys.length < 2) continue;
    const nr = ys.length - 1;
    const nc = xs.length - 1;
    const covers = (lines: Seg[], vertical: boolean, at: number, mid: number) =>
      lines.some((s) => (vertical ? Math.abs(s.x0 - at) <= TOL && s.y0 <= mid && s.y1 >= mid : Math.abs(s.y0 - at) <= TOL && s.x0 <= mid && s.x1 >= mid));
    // Union atomic cells with no rule between them.
    const cell = (r: number, c: number) => r * nc + c;
    const up = Array.from({ length: nr * nc }, (_, i) => i);
    const f = (i: number): number => {
      while (up[i] !== i) i = up[i] = up[up[i]!]!;
      return i;
    };
    for (let r = 0; r < nr; r++) {
      for (let c = 0; c < nc; c++) {
        const midY = (ys[r]! + ys[r + 1]!) / 2;
        const midX = (xs[c]! + xs[c + 1]!) / 2;
        if (c + 1 < nc && !covers(gv, true, xs[c + 1]!, midY)) up[f(cell(r, c + 1))] = f(cell(r, c));
        if (r + 1 < nr && !covers(gh, false, ys[r + 1]!, midX)) up[f(cell(r + 1, c))] = f(cell(r, c));
      }
    }
    const regions = new Map<number, Region>();
    for (let r = 0; r < nr; r++) {
      for (let c = 0; c < nc; c++) {
        const root = f(cell(r, c));
        const reg = regions.get(root);
        if (!reg) regions.set(root, { r0: r, r1: r, c0: c, c1: c, items: [] });
        else {
          reg.r0 = Math.min(reg.r0, r);
          reg.r1 = Math.max(reg.r1, r);
          reg.c0 = Math.min(reg.c0, c);
          reg.c1 = Math.max(reg.c1, c);
        }
      }
    }
    // A region with a side left open is not a cell but the space where a row has no cell (an HTML
    // row shorter than the table): it is kept only when text lands in it (see layoutPage).
    for (const reg of regions.values()) {
      let closed = true;
      for (let c = reg.c0; c <= reg.c1 && closed; c++) {
        const midX = (xs[c]! + xs[c + 1]!) / 2;
        closed = covers(gh, false, ys[reg.r0]!, midX) && covers(gh, false, ys[reg.r1 + 1]!, midX);
      }
      for (let r = reg.r0; r <= reg.r1 && closed; r++) {
        const midY = (ys[r]! + ys[r + 1]!) / 2;
        closed = covers(gv, true, xs[reg.c0]!, midY) && covers(gv, true, xs[reg.c1 + 1]!, midY);
      }
      reg.open = !closed;
    }
    out.push({ xs, ys, regions: [...regions.values()], top: ys[0]!, bottom: ys[ys.length - 1]!, page });
  }
  // A single ruled box (a frame around text, an underline pair) is not a table: at least 2×2 cells.
  return out.filter((t) => t.xs.length >= 3 && t.ys.length >= 3 || t.regions.length >= 2);
}

const PAGE_NUMBER_RE = /^(?:[-—–－~]\s*\d{1,4}\s*[-—–－~]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*\/\s*\d{1,4}|\d{1,4})$/;

/**
 * NFKC maps the Kangxi radicals (U+2F00…, ⼀ → 一) that some producers emit; the CJK Radicals
 * Supplement (U+2E80…) has no compatibility mapping, yet fonts map 民 见 长 门 to it: map those.
 */
const RADICALS: Record<string, string> = {
  "\u2e8c": "小", "\u2e8d": "小", "\u2e95": "彐", "\u2e9c": "日", "\u2ea0": "民", "\u2ea4": "爫", "\u2ea8": "犭", "\u2eb3": "罒",
  "\u2eb9": "耂", "\u2ebc": "月", "\u2ebe": "艹", "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ec8": "讠", "\u2ec9": "贝",
  "\u2ecb": "车", "\u2ecc": "辶", "\u2ecf": "阝", "\u2ed2": "长", "\u2ed4": "门", "\u2ed6": "阝", "\u2ed8": "青", "\u2eda": "页",
  "\u2edb": "风", "\u2edc": "飞", "\u2ede": "饣", "\u2ee2": "马", "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee9": "黄", "\u2eea": "黾",
  "\u2eed": "齿", "\u2eef": "龙", "\u2ef3": "龟", "\u2eec": "齐", "\u2ee3": "骨",
};

export function normalizeGlyphs(s: string): string {
  return s.normalize("NFKC").replace(/[\u2e80-\u2eff]/g, (c) => RADICALS[c] ?? c);
}

/** Is a glyph CJK (or full-width punctuation)? Then lines join without a space. */
function cjk(ch: string | undefined): boolean {
  return ch !== undefined && /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/.test(ch);
}

/** Items → lines (top first), each line's items left to right. */
function toLines(items: Item[]): Item[][] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x0 - b.x0);
  const lines: Item[][] = [];
  for (const it of sorted) {
    const last = lines[lines.length - 1];
    if (last && Math.abs(last[0]!.y - it.y) <= Math.max(2, Math.min(last[0]!.h, it.h) * 0.4)) last.push(it);
    else lines.push([it]);
  }
  for (const l of lines) l.sort((a, b) => a.x0 - b.x0);
  return lines;
}

function joinLine(line: Item[], gapMark: string | null): string {
  let out = "";
  let prev: Item | null = null;
  for (const it of line) {
    if (prev) {
      const gap = it.x0 - prev.x1;
      if (gapMark !== null && gap > Math.max(it.h, prev.h) * 1.5) out += gapMark;
      else if (gap > Math.min(it.h, prev.h) * 0.25 && !out.endsWith(" ")) out += " ";
    }
    out += it.str;
    prev = it;
  }
  return out.replace(/\s+/g, " ").trim();
}

function joinLines(lines: string[]): string {
  let out = "";
  for (const l of lines) {
    if (!l) continue;
    if (out && !(cjk(out[out.length - 1]) || cjk(l[0]))) out += " ";
    out += l;
  }
  return out;
}

function layoutPage(items: Item[], segs: Seg[], page: number, height: number): { blocks: PageBlock[]; marginLines: { y: number; text: string }[] } {
  const tbls = tables(segs, page);
  const loose: Item[] = [];
  for (const it of items) {
    const cx = (it.x0 + it.x1) / 2;
    const cy = it.y + it.h * 0.3;
    const t = tbls.find((t) => cx >= t.xs[0]! && cx <= t.xs[t.xs.length - 1]! && cy <= t.top && cy >= t.bottom);
    if (!t) {
      loose.push(it);
      continue;
    }
    const c = t.xs.findIndex((x, i) => i + 1 < t.xs.length && cx >= x && cx <= t.xs[i + 1]!);
    const r = t.ys.findIndex((y, i) => i + 1 < t.ys.length && cy <= y && cy >= t.ys[i + 1]!);
    const reg = t.regions.find((g) => r >= g.r0 && r <= g.r1 && c >= g.c0 && c <= g.c1);
    if (reg) reg.items.push(it);
    else loose.push(it);
  }
  const blocks: PageBlock[] = tbls.map((table) => ({ kind: "table", y: table.top, table }));
  const marginLines: { y: number; text: string }[] = [];
  const looseLines = toLines(loose);
  const right = Math.max(...looseLines.map((l) => l[l.length - 1]!.x1));
  let wrapped: PageBlock | null = null;
  for (const line of looseLines) {
    const y = line[0]!.y;
    const plain = joinLine(line, null);
    const h = line[0]!.h;
    // A pipe-text row (a table pasted as text) too long for the page wraps: the next line goes on.
    if (wrapped?.kind === "line" && Math.abs(wrapped.y - y) < h * 2.2) {
      wrapped.plain += plain;
      wrapped.text = wrapped.plain;
      wrapped.y = y;
      wrapped = line[line.length - 1]!.x1 >= right - h * 2 && plain.includes("|") ? wrapped : null;
      continue;
    }
    const inMargin = y < height * 0.1 || y > height * 0.92;
    if (inMargin) {
      marginLines.push({ y, text: plain });
      if (PAGE_NUMBER_RE.test(plain)) continue;
    } else if (PAGE_NUMBER_RE.test(plain) && /[-—–－~第/]/.test(plain)) continue;
    const gapped = joinLine(line, " | ");
    const block: PageBlock = { kind: "line", y, plain, margin: inMargin, text: gapped.includes(" | ") && gapped.split(" | ").length >= 3 ? `${gapped} |` : plain };
    blocks.push(block);
    wrapped = !inMargin && plain.includes("|") && line[line.length - 1]!.x1 >= right - h * 2 ? block : null;
  }
  blocks.sort((a, b) => b.y - a.y);
  return { blocks, marginLines };
}

function regionText(reg: Region): string {
  return joinLines(toLines(reg.items).map((l) => joinLine(l, null)));
}

function tableRows(t: PageTable): { cells: GridCell[][]; texts: string[][] } {
  const byRow: GridCell[][] = Array.from({ length: t.ys.length - 1 }, () => []);
  for (const g of t.regions) {
    if (g.open && g.items.length === 0) continue;
    byRow[g.r0]!.push({
      text: regionText(g),
      row: g.r0,
      col: g.c0,
      rowSpan: g.r1 - g.r0 + 1,
      colSpan: g.c1 - g.c0 + 1,
      page: t.page,
      box: [round(t.xs[g.c0]!), round(t.ys[g.r1 + 1]!), round(t.xs[g.c1 + 1]!), round(t.ys[g.r0]!)],
    });
  }
  for (const r of byRow) r.sort((a, b) => a.col - b.col);
  return { cells: byRow, texts: byRow.map((r) => r.map((c) => c.text)) };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Same outer left and right edges (within a few points): the table may continue. */
function sameFrame(a: PageTable, b: PageTable): boolean {
  return Math.abs(a.xs[0]! - b.xs[0]!) <= TOL && Math.abs(a.xs[a.xs.length - 1]! - b.xs[b.xs.length - 1]!) <= TOL;
}

const NUMBER_RE = /^[-+]?\d[\d,.]*%?$/;
const isNumberText = (t: string) => NUMBER_RE.test(t.replace(/\s+/g, ""));

/** The columns that hold a number in any of these rows: value columns, where a blank is an empty value. */
function numericColumns(rows: readonly (readonly GridCell[])[]): Set<number> {
  const cols = new Set<number>();
  for (const row of rows) for (const c of row) if (isNumberText(c.text)) cols.add(c.col);
  return cols;
}

type OpenTable = { grid: Grid; table: PageTable; header: string[][]; xs: number[] };

/**
 * Append a table's continuation on the next page. The two parts may show different column edges
 * (a column split only in later rows): both are re-cut on the union of edges, through each cell's
 * box. A repeated header is dropped. A merged cell cut by the page break (a group label whose
 * sub-rows go on) is printed again, empty, on the new page: the cell above is extended instead —
 * only for a label or a cell spanning rows, never a blank in a column holding a number on either
 * side (a one-row column header above the break, empty values below it). A row split by the
 * break (its label wrapped across the pages) is one row again when no column holds a number on
 * both sides.
 */
function joinTable(open: OpenTable, cells: GridCell[][], texts: string[][], table: PageTable) {
  const xs = cluster([...open.xs, ...table.xs]);
  const colAt = (x: number) => {
    let best = 0;
    for (let i = 1; i < xs.length; i++) if (Math.abs(xs[i]! - x) < Math.abs(xs[best]! - x)) best = i;
    return best;
  };
  const recut = (c: GridCell) => {
    if (!c.box) return;
    c.col = colAt(c.box[0]);
    c.colSpan = Math.max(1, colAt(c.box[2]) - c.col);
  };
  for (const row of open.grid.rows) for (const c of row) recut(c);
  for (const row of cells) for (const c of row) recut(c);
  open.xs = xs;
  open.grid.width = xs.length - 1;

  let skip = 0;
  while (skip < texts.length && skip < open.header.length && texts[skip]!.join("|") === open.header[skip]!.join("|") && texts[skip]!.some((t) => t)) skip++;
  const base = open.grid.rows.length;
  const reaching = new Map<number, GridCell>();
  for (const row of open.grid.rows) for (const c of row) if (c.row + c.rowSpan === base) reaching.set(c.col, c);
  const rest = cells.slice(skip);
  const first = rest[0] ?? [];
  // The cells above the break that the first row would go on: the last row's cells and the
  // merged cells (a group label's rowspan) that end with it.
  const above = first.map((c) => reaching.get(c.col));
  // A row cut in two: the same cells on both sides, a number on one side only over or under a
  // blank (never under a header's label), and one side blank where the other is not (or labels only on both sides). A cut row under a group
  // label goes on in that label's column too (LibreOffice cuts a row whose label wraps).
  const split =
    first.length > 1 &&
    above.every((u, i) => u !== undefined && u.colSpan === first[i]!.colSpan) &&
    above.length === reaching.size &&
    first.every((c, i) => (!isNumberText(c.text) || above[i]!.text === "") && (!isNumberText(above[i]!.text) || c.text === "")) &&
    (first.some((c, i) => (c.text === "") !== (above[i]!.text === "")) || [...first, ...above].every((c) => c!.text === "" || !isNumberText(c!.text)));
  // A column that holds a number on either side is a value column: a blank there under a label
  // (a one-row header cell above the break) is an empty value, not the label going on.
  const numericCols = numericColumns([...open.grid.rows, ...rest]);
  rest.forEach((row, ri) => {
    const kept: GridCell[] = [];
    for (const c of row) {
      if (ri === 0 && split) {
        const up = reaching.get(c.col)!;
        up.text = joinLines([up.text, c.text]);
        up.rowSpan += c.rowSpan - 1;
        continue;
      }
      const up = ri === 0 && c.text === "" && !numericCols.has(c.col) ? reaching.get(c.col) : undefined;
      if (up && up.colSpan === c.colSpan && (up.rowSpan > 1 || c.rowSpan > 1 || /[\u4e00-\u9fff]/.test(up.text))) up.rowSpan += c.rowSpan;
      else kept.push({ ...c, row: c.row - skip + base - (split ? 1 : 0) });
    }
    if (!(ri === 0 && split)) open.grid.rows.push(kept);
  });
  open.table = table;
}

/**
 * An empty cell under a label cell of the same width, with nothing between them in that column
 * (a cell continued on a new page may be drawn without its top rule, and is then no cell at all),
 * in a column that holds no number, is the label cell going on: browsers draw a rowspan that
 * outlives its rows, and pages cut merged cells, as separate boxes. It becomes part of the label
 * cell; a blank under a value stays a blank.
 */
function absorbEmptyLabelCells(grid: Grid) {
  const numericCols = numericColumns(grid.rows);
  const last = new Map<number, GridCell>();
  const coverEnd = new Map<number, number>();
  grid.rows.forEach((row, r) => {
    grid.rows[r] = row.filter((c) => {
      const up = last.get(c.col);
      let free = up !== undefined;
      for (let k = c.col; free && k < c.col + c.colSpan; k++) free = (coverEnd.get(k) ?? 0) <= r;
      // Only a cell that already spans rows, or one cut off above a gap: a blank label under a
      // one-row label is a row without its label, which the interpreter places on its own.
      const spanning = up !== undefined && (up.rowSpan > 1 || up.row + up.rowSpan < r);
      // A blank between numbers of its own row is an empty value (表四's one row of values with a
      // column left blank), whatever stands above it; labels stand left of a row's values.
      const amidValues = row.some((o) => o.col < c.col && isNumberText(o.text)) && row.some((o) => o.col > c.col && isNumberText(o.text));
      const absorb = c.text === "" && !amidValues && spanning && free && up!.colSpan === c.colSpan && /[\u4e00-\u9fff]/.test(up!.text) && !numericCols.has(c.col);
      const cell = absorb ? up! : c;
      if (absorb) up!.rowSpan = r + c.rowSpan - up!.row;
      last.set(c.col, cell);
      for (let k = c.col; k < c.col + c.colSpan; k++) coverEnd.set(k, cell.row + cell.rowSpan);
      return !absorb;
    });
  });
}

function assemble(pages: { blocks: PageBlock[]; height: number; marginLines: { y: number; text: string }[] }[], images: number): Doc {
  // Running headers/footers: the same margin line (digits ignored) on most pages.
  const seen = new Map<string, number>();
  for (const p of pages) for (const t of new Set(p.marginLines.map((m) => m.text.replace(/\d+/g, "#")))) seen.set(t, (seen.get(t) ?? 0) + 1);
  const running = new Set([...seen].filter(([, n]) => pages.length >= 3 && n >= Math.ceil(pages.length * 0.6)).map(([t]) => t));

  const blocks: Block[] = [];
  const allText: string[] = [];
  let lines: { text: string; line: number }[] = [];
  let lineNo = 0;
  let open: OpenTable | null = null;
  const flushLines = () => {
    if (lines.length) blocks.push(...linesToBlocks(lines));
    lines = [];
  };
  for (const p of pages) {
    for (const b of p.blocks) {
      if (b.kind === "line") {
        if (b.margin && running.has(b.plain.replace(/\d+/g, "#"))) continue;
        lines.push({ text: b.text, line: ++lineNo });
        allText.push(b.text);
        open = null;
        continue;
      }
      const { cells, texts } = tableRows(b.table);
      for (const r of texts) allText.push(r.join(" "));
      // The first table of a page continues the last table of the previous page when nothing stands between.
      if (open && open.table.page === b.table.page - 1 && sameFrame(open.table, b.table)) {
        joinTable(open, cells, texts, b.table);
        continue;
      }
      flushLines();
      const grid: Grid = { source: "pdf", rows: cells, width: b.table.xs.length - 1, line: 0 };
      blocks.push({ kind: "table", grid });
      open = { grid, table: b.table, header: texts.slice(0, Math.min(3, texts.length)), xs: b.table.xs };
    }
  }
  flushLines();
  for (const b of blocks) if (b.kind === "table" && b.grid.source === "pdf") absorbEmptyLabelCells(b.grid);
  return { kind: "pdf", blocks, titles: titleLines(blocks), meta: signatureMeta(blocks), attachments: [], images, text: allText.join("\n") };
}
