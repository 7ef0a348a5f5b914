import type { AnyNode, Element } from "domhandler";
import { parseDocument } from "htmlparser2";
import { type Attachment, type Block, type Doc, type Grid, type GridCell } from "./grid.js";
import { isPipeLine } from "./pipe-text.js";
import { linesToBlocks } from "./text.js";

/**
 * HTML → Doc in one walk over the DOM. Leaf tables (tables with no table inside) become Grids with
 * rowspan/colspan expanded; layout tables are walked like any other container. Everything else
 * becomes lines of text, one per block element or <br>.
 */

const SKIP = new Set(["script", "style", "noscript", "template", "iframe", "select", "option", "svg", "object", "embed", "head", "button", "textarea", "canvas", "map"]);
const BLOCK = new Set([
  "p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "ul", "ol", "li", "dl", "dt", "dd",
  "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "form", "fieldset", "figure", "figcaption", "address",
  "center", "hr", "table", "tr", "td", "th", "caption", "thead", "tbody", "tfoot", "body", "html",
]);
const ATTACHMENT_RE = /\.(pdf|docx?|xlsx?|wps|rtf|ofd|et|zip|rar)(?:$|[?#])/i;
const MAX_SPAN = 200;

type Node = AnyNode & { type: string; name?: string; data?: string; children?: AnyNode[]; attribs?: Record<string, string> };

function isElement(n: Node): n is Node & Element {
  return n.type === "tag" || n.type === "script" || n.type === "style";
}

function hidden(el: Element): boolean {
  const style = el.attribs["style"];
  return (style !== undefined && style.includes("none") && /display\s*:\s*none/i.test(style)) || el.attribs["hidden"] !== undefined;
}

/** Whether a text node sits inside an <a> (looked up a few levels: link text is rarely deeper). */
function insideLink(node: Node): boolean {
  let p = node.parent as Node | null;
  for (let i = 0; p && i < 6; i++, p = p.parent as Node | null) if (p.type === "tag" && p.name === "a") return true;
  return false;
}

// Every traversal below is iterative: htmlparser2 nests unclosed tags, so a page with thousands of
// unclosed <span>s (Word exports have them) is thousands of levels deep; recursion would overflow.

/** Marker pushed after a block element's children: emit its closing space. */
const CLOSE = Symbol("close");

/** Text of a node's children, with <br> and block boundaries as spaces. */
function childrenText(node: Node): string {
  const children = (node.children as Node[]) ?? [];
  // A cell holding one text node (most table cells): its text, with no walk.
  if (children.length === 1 && children[0]!.type === "text") return children[0]!.data ?? "";
  let out = "";
  const stack: (Node | typeof CLOSE)[] = [];
  for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  while (stack.length) {
    const n = stack.pop()!;
    if (n === CLOSE) {
      out += " ";
      continue;
    }
    if (n.type === "text") {
      out += n.data ?? "";
      continue;
    }
    if (!isElement(n)) continue;
    const name = n.name;
    if (SKIP.has(name) || hidden(n)) continue;
    if (name === "br") {
      out += " ";
      continue;
    }
    if (BLOCK.has(name)) {
      out += " ";
      stack.push(CLOSE);
    }
    const kids = n.children as Node[];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return out;
}

const SPACES_RE = /[\s\u00a0\u3000\u200b\ufeff]+/g;
// Whitespace other than single spaces: a replace copies the string even when it changes nothing.
const SPACES_TO_FOLD_RE = /[\t\n\v\f\r\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]| [\s\u00a0\u3000\u200b\ufeff]/;

function clean(s: string): string {
  const n = s.normalize("NFKC");
  return (SPACES_TO_FOLD_RE.test(n) ? n.replace(SPACES_RE, " ") : n).trim();
}

/** Collect the rows of a table, not descending into nested tables. Returns false when it has one. */
function collectRows(table: Element, rows: Element[]): boolean {
  let leaf = true;
  // Depth-first, in document order; `inRow` marks nodes inside a <tr> (only scanned for tables).
  const stack: { node: Node; inRow: boolean }[] = [];
  const pushKids = (n: Node, inRow: boolean) => {
    const kids = n.children as Node[];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, inRow });
  };
  pushKids(table as Node, false);
  while (stack.length) {
    const { node, inRow } = stack.pop()!;
    if (!isElement(node)) continue;
    if (node.name === "table") {
      // A table inside (a cell of) this one makes it a layout table.
      leaf = false;
      continue;
    }
    if (node.name === "tr" && !inRow) {
      rows.push(node);
      pushKids(node, true);
      continue;
    }
    pushKids(node, inRow);
  }
  return leaf;
}

function span(v: string | undefined): number {
  const n = v === undefined ? 1 : Number.parseInt(v, 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, MAX_SPAN) : 1;
}

/**
 * A <table> → Grid, expanding rowspan/colspan to find each cell's column. Returns null for a layout
 * table (one that holds another table): its cells are walked as ordinary content instead.
 */
export function tableToGrid(table: Element): Grid | null {
  const trs: Element[] = [];
  if (!collectRows(table, trs)) return null;
  const occupied: boolean[][] = [];
  const rows: GridCell[][] = [];
  let width = 0;
  trs.forEach((tr, r) => {
    const row: GridCell[] = [];
    occupied[r] ??= [];
    let col = 0;
    for (const td of tr.children as Node[]) {
      if (!isElement(td) || (td.name !== "td" && td.name !== "th") || hidden(td)) continue;
      while (occupied[r]![col]) col++;
      const rowSpan = Math.min(span(td.attribs["rowspan"]), trs.length - r);
      const colSpan = span(td.attribs["colspan"]);
      row.push({ text: clean(childrenText(td)), row: r, col, rowSpan, colSpan });
      for (let dr = 0; dr < rowSpan; dr++) {
        const occ = (occupied[r + dr] ??= []);
        for (let dc = 0; dc < colSpan; dc++) occ[col + dc] = true;
      }
      col += colSpan;
    }
    width = Math.max(width, occupied[r]!.length);
    rows.push(row);
  });
  return { source: "html", rows, width, line: 0 };
}

export interface HtmlExtractOptions {
  /** Base URL for resolving attachment links. */
  baseUrl?: string | null;
}

/** Extract blocks, titles, meta, attachments and image count from an HTML page. */
export function extractHtml(html: string, options: HtmlExtractOptions = {}): Doc {
  // htmlparser2 (cheerio's forgiving scraper parser) rather than parse5: 2–4× faster on report pages
  // and it keeps malformed markup where it was written. The walk below needs no spec tree-building.
  // Called directly, not through cheerio.load (which parses with the same options): load makes a
  // new Cheerio class per call, and with it ~40 % of a parse's young objects survived each
  // scavenge (promoted garbage holding the young alive until a full GC); without it 3 %.
  const root = parseDocument(html, { xmlMode: false, decodeEntities: true });
  const meta: Record<string, string> = {};
  const titles: string[] = [];
  const attachments: Attachment[] = [];
  const blocks: Block[] = [];
  let images = 0;
  let line = "";
  let lines: { text: string; line: number }[] = [];
  let lineNo = 0;
  const allText: string[] = [];
  // The article's own text for search: lines that are mostly link text (menus, navigation,
  // "related links", footers of links) are portal chrome, not the report.
  const bodyText: string[] = [];
  let linkChars = 0;

  const flushLine = () => {
    if (line === "") return;
    const t = clean(line);
    const chrome = linkChars * 2 >= line.length;
    line = "";
    linkChars = 0;
    if (t) {
      lines.push({ text: t, line: ++lineNo });
      allText.push(t);
      if (!chrome) bodyText.push(t);
    }
  };
  const flushText = () => {
    flushLine();
    // Tables pasted as pipe text in paragraphs become grids like those of text pages.
    if (lines.some((l) => isPipeLine(l.text))) blocks.push(...linesToBlocks(lines));
    else if (lines.length) blocks.push({ kind: "text", lines });
    lines = [];
  };

  /** Handle one node; returns true when its children should be walked. */
  const visit = (node: Node): boolean => {
    if (node.type === "text") {
      const data = node.data ?? "";
      line += data;
      if (insideLink(node)) linkChars += data.length;
      return false;
    }
    if (!isElement(node)) return false;
    const name = node.name;
    if (name === "meta") {
      const key = (node.attribs["name"] ?? node.attribs["property"] ?? "").toLowerCase();
      const content = node.attribs["content"];
      if (key && content !== undefined) meta[key] = content.trim();
      return false;
    }
    if (name === "title") {
      const t = clean(childrenText(node));
      if (t) meta["title"] ??= t;
      return false;
    }
    if (name === "head") {
      // Only <title> and <meta> matter in <head>.
      for (const c of node.children as Node[]) if (isElement(c) && (c.name === "meta" || c.name === "title")) visit(c);
      return false;
    }
    if (SKIP.has(name) || hidden(node)) return false;
    if (name === "img") {
      images++;
      return false;
    }
    if (name === "br") {
      flushLine();
      return false;
    }
    if (name === "a") {
      const href = node.attribs["href"];
      if (href && ATTACHMENT_RE.test(href)) {
        let url = href;
        try {
          url = options.baseUrl ? new URL(href, options.baseUrl).href : href;
        } catch {
          /* keep the href as written */
        }
        const type = (ATTACHMENT_RE.exec(href)?.[1] ?? "").toLowerCase();
        attachments.push({ url, type, text: clean(childrenText(node)) });
      }
    }
    if (name === "table") {
      const grid = tableToGrid(node);
      if (grid) {
        flushText();
        if (grid.rows.some((r) => r.length)) {
          blocks.push({ kind: "table", grid });
          for (const r of grid.rows) {
            const t = r.map((c) => c.text).join(" ");
            allText.push(t);
            bodyText.push(t);
          }
        }
        return false;
      }
    }
    if (name === "h1" || name === "h2" || name === "h3") {
      const t = clean(childrenText(node));
      if (t) titles.push(t);
    }
    if (BLOCK.has(name)) flushLine();
    return true;
  };

  // Iterative depth-first walk (see the note on deep pages above); a block element's line is
  // flushed again after its children.
  const stack: (Node | typeof CLOSE)[] = [...(root.children as Node[])].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (n === CLOSE) {
      flushLine();
      continue;
    }
    if (!visit(n)) continue;
    if (isElement(n) && BLOCK.has(n.name)) stack.push(CLOSE);
    const kids = n.children as Node[];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  flushText();

  const ordered: string[] = [];
  if (meta["articletitle"]) ordered.push(meta["articletitle"]);
  if (meta["title"]) ordered.push(meta["title"]);
  ordered.push(...titles);
  return { kind: "html", blocks, titles: ordered, meta, attachments, images, text: allText.join("\n"), body: bodyText.join("\n") };
}
