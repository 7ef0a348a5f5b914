import { isUtf8 } from "node:buffer";
import { sniffFile } from "../parse/files.js";

/**
 * The encoding of a page's bytes, for the search text and the pages.encoding column. Order: a BOM;
 * then valid UTF-8 (a GBK page of any length is never valid UTF-8, so this beats a wrong
 * declaration, which real portals have); then the declared charset (HTTP header, then <meta>);
 * then GB18030, which is what undeclared Chinese pages that are not UTF-8 nearly always are.
 * GB2312/GBK labels decode as GB18030, their superset.
 */
export function detectEncoding(bytes: Uint8Array, contentType: string | null): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (isUtf8(bytes)) return "utf-8";
  const declared = charsetOf(contentType) ?? metaCharset(bytes);
  return normalizeLabel(declared) ?? "gb18030";
}

function charsetOf(contentType: string | null): string | null {
  return contentType ? (/charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1] ?? null) : null;
}

function metaCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString("latin1");
  return /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ?? null;
}

/** A label TextDecoder accepts, GB-family labels widened to GB18030; null when unknown or UTF-8. */
function normalizeLabel(label: string | null): string | null {
  if (!label) return null;
  const l = label.toLowerCase();
  if (/^(gb2312|gbk|x-gbk|gb_2312-80|cp936|gb18030)$/.test(l)) return "gb18030";
  if (l === "utf-8" || l === "utf8") return null;
  try {
    return new TextDecoder(l).encoding;
  } catch {
    return null;
  }
}

const ENTITIES: Record<string, string> = { nbsp: " ", amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", ldquo: "“", rdquo: "”", mdash: "—", middot: "·" };
const HTML_HINT = /<(?:!doctype|html|head|body|table|div|p|br|td|span)\b/i;
const TAGS = /<(script|style|noscript)\b[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->|<[^>]*>/gi;

/**
 * The page's readable text for full-text search: decoded, tags, scripts and styles removed (when it
 * is HTML), table pipes and runs of whitespace collapsed to one space. A cheap approximation of what
 * a reader sees; the parser does the real extraction.
 */
export function pageText(bytes: Uint8Array, encoding: string): string {
  // A report file (PDF, DOCX/ZIP, DOC/WPS OLE) is not text: decoding it would index binary junk.
  // Its text comes from the parser (crawl, ingest and reparse pass it); here it has none.
  if (sniffFile(bytes) !== null) return "";
  let text: string;
  try {
    text = new TextDecoder(encoding).decode(bytes);
  } catch {
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  }
  if (HTML_HINT.test(text.slice(0, 4096))) {
    text = text.replace(TAGS, " ").replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, name: string) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[name.toLowerCase()] ?? m;
    });
  }
  return text.replace(/(?:[\s|\u3000]|-{3,})+/g, " ").trim();
}
