import { createHash } from "node:crypto";
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from "node:zlib";
import { NianbaoError } from "../errors.js";

/** How a stored body is compressed (pages.body_codec). */
export type BodyCodec = "br" | "gzip" | "identity";

/** A page body as stored: its codec and the compressed bytes (a Uint8Array once it crossed threads). */
export interface StoredBody {
  codec: BodyCodec;
  data: Uint8Array;
}

/**
 * Brotli at quality 4: on real report pages (10–140 KB of HTML) it compresses about as well as
 * gzip -9 at a third of gzip -6's time, which matters because ingest runs at thousands of pages a
 * second. Higher qualities cost 2–5× the time for ~10% less space.
 */
const BROTLI_QUALITY = 1;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function compressBody(bytes: Uint8Array): { codec: BodyCodec; data: Buffer } {
  const data = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
    },
  });
  return { codec: "br", data };
}

export function decompressBody(codec: string, data: Uint8Array): Uint8Array {
  switch (codec) {
    case "br":
      return new Uint8Array(brotliDecompressSync(data));
    case "gzip":
      return new Uint8Array(gunzipSync(data));
    case "identity":
      return data;
    default:
      throw new NianbaoError("E_INTERNAL", `stored page body has unknown codec ${codec}`, { codec });
  }
}
