import { decodeBytes, looksLikeHtml } from "./decode.js";

/**
 * Input → text for the parser. Strings pass through; bytes are decoded by decodeBytes
 * (BOM > HTTP charset > <meta> > sniffing; GB18030 for every GB label; lying labels detected).
 */
export interface InputText {
  text: string;
  encoding: string;
  mislabelled: boolean;
}

export function decodeInput(input: string | Uint8Array, contentType: string | null): InputText {
  if (typeof input === "string") return { text: input, encoding: "utf-16", mislabelled: false };
  const d = decodeBytes(input, { contentType });
  return { text: d.text, encoding: d.encoding, mislabelled: d.mislabelled };
}

export { looksLikeHtml };
