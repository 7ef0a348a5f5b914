import type { Doc } from "./grid.js";

/**
 * Report files recognised by their bytes (never by a file name or a Content-Type):
 * `%PDF-` (within the first KB, as readers allow), a ZIP whose entries include
 * `word/document.xml` (DOCX), an OLE compound file `D0 CF 11 E0 A1 B1 1A E1` (DOC, and WPS's .wps,
 * which uses the same container).
 */
export type FileKind = "pdf" | "docx" | "doc";

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function sniffFile(bytes: Uint8Array): FileKind | null {
  if (bytes.length < 8) return null;
  if (OLE_MAGIC.every((b, i) => bytes[i] === b)) return "doc";
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06)) {
    // Any OOXML file is a ZIP; a Word one names word/document.xml (in its local headers and directory).
    return includesAscii(bytes, "word/document.xml") ? "docx" : null;
  }
  // Readers accept junk before the header within the first KB; a page that merely mentions
  // "%PDF-" (after markup) is not a PDF.
  const head = bytes.subarray(0, Math.min(bytes.length, 1024));
  const at = indexOfAscii(head, "%PDF-");
  return at !== -1 && !head.subarray(0, at).includes(0x3c) ? "pdf" : null;
}

function indexOfAscii(bytes: Uint8Array, needle: string): number {
  const first = needle.charCodeAt(0);
  outer: for (let i = bytes.indexOf(first); i !== -1 && i <= bytes.length - needle.length; i = bytes.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

function includesAscii(bytes: Uint8Array, needle: string): boolean {
  return indexOfAscii(bytes, needle) !== -1;
}

/** A human name for messages. */
export function fileKindName(kind: FileKind): string {
  return kind === "pdf" ? "PDF" : kind === "docx" ? "DOCX" : "DOC/WPS";
}

export type { Doc };

const TITLE_LINE_RE = /(?:19|20)\d{2}\s*年度?.{0,30}(?:年度报告|年报)|(?:年度报告|年报).{0,4}$/;

/**
 * A file has no <title>: its title is printed on page 1. Take the lines before the first table that
 * read like an annual report's title (a year and 年度报告), joining a title broken over two lines.
 * The PDF's Title field is not used: producers fill it with a generic name or the file name.
 */
export function titleLines(blocks: Doc["blocks"]): string[] {
  const lines: string[] = [];
  for (const b of blocks) {
    if (b.kind === "table") break;
    for (const l of b.lines) lines.push(l.text);
    if (lines.length > 40) break;
  }
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.length > 80) continue;
    if (/(?:19|20)\d{2}\s*年/.test(l) && TITLE_LINE_RE.test(l)) out.push(l);
    else if (i + 1 < lines.length && (l + lines[i + 1]!).length <= 80 && /(?:19|20)\d{2}\s*年/.test(l + lines[i + 1]!) && TITLE_LINE_RE.test(l + lines[i + 1]!) && !TITLE_LINE_RE.test(lines[i + 1]!)) out.push(l + lines[i + 1]!);
  }
  return out;
}

/**
 * The closing signature: the agency line and the date line (2024年1月20日) that end a report,
 * after its last table. The date becomes the document's 成文日期 (its publication date).
 */
export function signatureMeta(blocks: Doc["blocks"]): Record<string, string> {
  const tail: string[] = [];
  for (let i = blocks.length - 1; i >= 0 && tail.length < 12; i--) {
    const b = blocks[i]!;
    if (b.kind === "table") break;
    for (let j = b.lines.length - 1; j >= 0 && tail.length < 12; j--) tail.push(b.lines[j]!.text);
  }
  for (const l of tail) {
    const m = /^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/.exec(l.replace(/\s+/g, ""));
    if (m) return { 成文日期: `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}` };
  }
  return {};
}
