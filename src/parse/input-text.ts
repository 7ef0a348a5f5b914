import iconv from "iconv-lite";

/**
 * Input → text for the parser. Strings pass through; bytes are decoded (see decode.ts once it is
 * wired: BOM > HTTP charset > <meta> > sniffing, GB18030 for every GB label).
 */
export interface InputText {
  text: string;
  encoding: string;
  mislabelled: boolean;
}

export function decodeInput(input: string | Uint8Array, contentType: string | null): InputText {
  void contentType;
  if (typeof input === "string") return { text: input, encoding: "utf-16", mislabelled: false };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(input), encoding: "utf-8", mislabelled: false };
  } catch {
    return { text: iconv.decode(Buffer.from(input), "gb18030"), encoding: "gb18030", mislabelled: false };
  }
}

const HTML_RE = /<(?:!doctype|html|head|body|table|div|p|meta|span|td|tr|br)[\s>/]/i;

export function looksLikeHtml(text: string): boolean {
  return HTML_RE.test(text.slice(0, 8192));
}
