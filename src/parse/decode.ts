/**
 * Bytes → text with the right encoding (FORMAT.md §11.3).
 *
 * Precedence: BOM > HTTP `Content-Type` charset > `<meta>` / XML declaration in the first 4 KB >
 * sniff > UTF-8. Declarations are then checked against the bytes, because portals lie: a page
 * labelled UTF-8 whose bytes are GBK, or labelled gb2312 whose bytes are UTF-8, is decoded as what
 * it really is and reported `mislabelled: true`.
 *
 * Every GB label (gb2312, gbk, cp936, euc-cn, gb18030…) decodes as GB18030 through iconv-lite:
 * GB2312-labelled pages routinely contain GBK-only characters, and Node's TextDecoder does not
 * decode GB18030's 4-byte sequences.
 */
import { Buffer } from "node:buffer";
import { TextDecoder } from "node:util";
import iconv from "iconv-lite";

export interface Decoded {
  text: string;
  /** Canonical (WHATWG) name of the encoding used: "utf-8", "gb18030", "utf-16le", "big5", "windows-1252"… */
  encoding: string;
  /** What decided the encoding. */
  source: "bom" | "header" | "meta" | "sniff" | "default";
  /** True when a declared charset (header or meta) was overridden because the bytes disagreed. */
  mislabelled: boolean;
}

/** How many bytes of the document head are scanned for `<meta charset>`. */
const META_SCAN_BYTES = 4096;

const GB_LABELS = new Set([
  "gb2312", "gbk", "x-gbk", "gb18030", "cp936", "ms936", "windows-936", "936", "euc-cn", "x-euc-cn",
  "csgb2312", "chinese", "gb_2312", "gb_2312-80", "iso-ir-58", "csiso58gb231280",
]);

/** Text that appears on nearly every page we care about: a strong sign the decode is right. */
const KNOWN_LABELS = /年度报告|信息公开|申请|年度報告|信息公開|資訊公開|申請/;

const labelCache = new Map<string, string | null>();

/**
 * Map a charset label to the canonical encoding name we decode with, or `null` when the label is
 * unknown or unusable. GB labels all map to "gb18030".
 */
function canonicalEncoding(label: string): string | null {
  const key = label.trim().replace(/^["']|["']$/g, "").trim().toLowerCase();
  if (key === "") return null;
  const cached = labelCache.get(key);
  if (cached !== undefined) return cached;
  let result: string | null;
  if (GB_LABELS.has(key)) {
    result = "gb18030";
  } else {
    try {
      // TextDecoder knows the WHATWG label table (iso-8859-1 → windows-1252, utf8 → utf-8, …).
      const enc = new TextDecoder(key).encoding;
      result = enc === "gbk" || enc === "gb18030" ? "gb18030" : enc;
    } catch {
      result = iconv.encodingExists(key) ? key : null;
    }
  }
  if (labelCache.size < 256) labelCache.set(key, result);
  return result;
}

/**
 * The canonical encoding named by a `Content-Type` header's `charset` parameter, or `null` when
 * there is none or it is not a known encoding.
 *
 * @example charsetFromContentType('text/html; charset="GB2312"') // "gb18030"
 */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*("[^"]*"|'[^']*'|[^;,\s]+)/i.exec(contentType);
  return m ? canonicalEncoding(m[1]) : null;
}

/** The charset declared by `<meta>` (or an XML declaration) in the head of the document. */
function charsetFromMeta(bytes: Uint8Array): string | null {
  const end = Math.min(bytes.length, META_SCAN_BYTES);
  // latin1 maps bytes 1:1, so ASCII markup is readable whatever the real encoding is.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, end).toString("latin1");
  if (!/charset|encoding/i.test(head)) return null;
  const xml = /^\s*<\?xml\b[^>]*\bencoding\s*=\s*["']?\s*([-\w.:]+)/i.exec(head);
  if (xml) {
    const enc = canonicalEncoding(xml[1]);
    if (enc) return enc;
  }
  const uncommented = head.replace(/<!--[\s\S]*?(?:-->|$)/g, "");
  const metaTag = /<meta\b[^>]*>/gi;
  for (let tag = metaTag.exec(uncommented); tag; tag = metaTag.exec(uncommented)) {
    const m = /\bcharset\s*=\s*["']?\s*([-\w.:]+)/i.exec(tag[0]);
    if (!m) continue;
    const enc = canonicalEncoding(m[1]);
    if (!enc) continue;
    // A page that can declare itself in ASCII is not UTF-16 (HTML spec, "prescan a byte stream").
    return enc === "utf-16le" || enc === "utf-16be" ? "utf-8" : enc;
  }
  return null;
}

function bomEncoding(bytes: Uint8Array): string | null {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes.length >= 4 && bytes[0] === 0x84 && bytes[1] === 0x31 && bytes[2] === 0x95 && bytes[3] === 0x33) {
    return "gb18030";
  }
  return null;
}

const decoders = new Map<string, TextDecoder>();
const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Decode leniently (invalid sequences become U+FFFD); never throws. */
function decodeAs(encoding: string, bytes: Uint8Array): string {
  if (encoding === "gb18030") {
    return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), "gb18030");
  }
  let decoder = decoders.get(encoding);
  if (!decoder) {
    try {
      decoder = new TextDecoder(encoding);
    } catch {
      // Only iconv-lite knows this label (canonicalEncoding checked it exists).
      return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
    }
    decoders.set(encoding, decoder);
  }
  return decoder.decode(bytes);
}

/** The bytes as UTF-8, or `null` when they are not valid UTF-8. */
function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return null;
  }
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return true;
  return false;
}

/** A character that took 3+ bytes in UTF-8 (CJK, full-width punctuation…). */
const WIDE_CHAR = /[\u0800-\uffff]/;

/**
 * The 200 most frequent hanzi in government prose. Mojibake (UTF-8 read as GBK and vice versa)
 * is made of rare characters, so the share of these tells a right decode from a wrong one.
 */
const COMMON_HANZI = new Set(
  "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严",
);

/** How plausible a decode is: known labels dominate, then common hanzi, minus replacement chars. */
function plausibility(text: string): number {
  const limit = Math.min(text.length, 32_768);
  let common = 0;
  let bad = 0;
  for (let i = 0; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c === 0xfffd) bad++;
    else if (COMMON_HANZI.has(text[i])) common++;
  }
  return (KNOWN_LABELS.test(text) ? 1_000_000 : 0) + common - 4 * bad;
}

/**
 * Decode a page's bytes. Never throws: empty input gives `""`, junk gives text with U+FFFD.
 *
 * @example
 * const { text, encoding } = decodeBytes(body, { contentType: res.headers["content-type"] });
 */
export function decodeBytes(bytes: Uint8Array, opts: { contentType?: string | null } = {}): Decoded {
  const headerEnc = charsetFromContentType(opts.contentType);

  const bom = bomEncoding(bytes);
  if (bom) {
    const body = bom === "gb18030" ? bytes.subarray(4) : bytes;
    return { text: decodeAs(bom, body), encoding: bom, source: "bom", mislabelled: headerEnc !== null && headerEnc !== bom };
  }

  let declared: string | null = headerEnc;
  let source: Decoded["source"] = "header";
  if (!declared) {
    declared = charsetFromMeta(bytes);
    source = "meta";
  }

  if (!declared) return sniff(bytes);

  if (declared === "utf-8") {
    const text = strictUtf8(bytes);
    if (text !== null) return { text, encoding: "utf-8", source, mislabelled: false };
    // Not UTF-8: GBK served under a UTF-8 header or template is the usual lie.
    return fromInvalidUtf8(bytes, source);
  }

  if (!hasNonAscii(bytes)) return { text: decodeAs(declared, bytes), encoding: declared, source, mislabelled: false };

  if (declared === "gb18030") {
    // Real GBK text is almost never valid UTF-8 with 3-byte sequences; UTF-8 labelled gb2312 is.
    const utf8 = strictUtf8(bytes);
    if (utf8 !== null && WIDE_CHAR.test(utf8)) {
      if (KNOWN_LABELS.test(utf8)) return { text: utf8, encoding: "utf-8", source, mislabelled: true };
      const gb = decodeAs("gb18030", bytes);
      if (KNOWN_LABELS.test(gb)) return { text: gb, encoding: "gb18030", source, mislabelled: false };
      return { text: utf8, encoding: "utf-8", source, mislabelled: true };
    }
    const gb = decodeAs("gb18030", bytes);
    if (!gb.includes("\ufffd") || KNOWN_LABELS.test(gb)) return { text: gb, encoding: "gb18030", source, mislabelled: false };
    // GB decode has errors: maybe damaged UTF-8.
    return chooseText(gb, decodeAs("utf-8", bytes), source);
  }

  // Any other label (big5, windows-1252 on error pages, utf-16 from a header…).
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null && declared !== "utf-16le" && declared !== "utf-16be") {
    return { text: utf8, encoding: "utf-8", source, mislabelled: true };
  }
  const text = decodeAs(declared, bytes);
  if (!KNOWN_LABELS.test(text)) {
    // Only switch away from an exotic label on strong evidence: the known labels appear in GB.
    const gb = decodeAs("gb18030", bytes);
    if (KNOWN_LABELS.test(gb) && !gb.includes("\ufffd")) return { text: gb, encoding: "gb18030", source, mislabelled: true };
  }
  return { text, encoding: declared, source, mislabelled: false };
}

/** No declaration: valid UTF-8 is UTF-8; otherwise GB18030 unless it reads as damaged UTF-8. */
function sniff(bytes: Uint8Array): Decoded {
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) {
    return { text: utf8, encoding: "utf-8", source: hasNonAscii(bytes) ? "sniff" : "default", mislabelled: false };
  }
  const gb = decodeAs("gb18030", bytes);
  if (!gb.includes("\ufffd") || KNOWN_LABELS.test(gb)) return { text: gb, encoding: "gb18030", source: "sniff", mislabelled: false };
  const lenient = decodeAs("utf-8", bytes);
  const useUtf8 = plausibility(lenient) > plausibility(gb);
  return { text: useUtf8 ? lenient : gb, encoding: useUtf8 ? "utf-8" : "gb18030", source: "sniff", mislabelled: false };
}

/**
 * Declared UTF-8 but the bytes are not valid UTF-8: take GB18030 when it decodes cleanly and reads
 * better; keep (lenient) UTF-8 for a UTF-8 page with a few damaged bytes, or for junk.
 */
function fromInvalidUtf8(bytes: Uint8Array, source: Decoded["source"]): Decoded {
  const gb = decodeAs("gb18030", bytes);
  const gbClean = !gb.includes("\ufffd");
  // The common lie, GBK served as UTF-8, settles here with one extra decode.
  if (gbClean && KNOWN_LABELS.test(gb)) return { text: gb, encoding: "gb18030", source, mislabelled: true };
  const utf8 = decodeAs("utf-8", bytes);
  const pu = plausibility(utf8);
  const pg = plausibility(gb);
  // Unclean GB wins only with the known labels; otherwise damaged UTF-8 stays UTF-8.
  if ((gbClean && pg > pu) || pg > pu + 1_000) return { text: gb, encoding: "gb18030", source, mislabelled: true };
  return { text: utf8, encoding: "utf-8", source, mislabelled: false };
}

/** Declared GB but its decode has errors: damaged UTF-8 wins only if it reads clearly better. */
function chooseText(gb: string, utf8: string, source: Decoded["source"]): Decoded {
  if (plausibility(utf8) > plausibility(gb)) return { text: utf8, encoding: "utf-8", source, mislabelled: true };
  return { text: gb, encoding: "gb18030", source, mislabelled: false };
}

const HTML_TAG = /<(?:!doctype\s+html|html|head|body|table|tbody|tr|td|p|div|span|meta|title|br)\b/i;

/**
 * A cheap check that text is HTML rather than plain or pipe-flattened text: looks for common tags in
 * the first 4 KB after what may precede the markup (blank lines from a server template, a long
 * comment, a PHP warning), and anywhere in the first 256 KB for a structural tag. A page read as
 * text would have its attribute digits (colspan="3") taken for cells.
 */
export function looksLikeHtml(text: string): boolean {
  const start = text.search(/\S/);
  if (start < 0) return false;
  const head = text.slice(start, start + 4096);
  if (HTML_TAG.test(head)) return true;
  return STRUCTURAL_TAG.test(text.length > 262_144 ? text.slice(0, 262_144) : text);
}

const STRUCTURAL_TAG = /<(?:!doctype\s+html|html[\s>]|body[\s>]|table[\s>]|tr[\s>]|td[\s>])/i;
