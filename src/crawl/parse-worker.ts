/**
 * Worker thread for the parse pool: parses pages off the crawler's main thread. Messages in:
 * { id, body, options }; out: { id, ok: true, record, searchText, stored } or { id, ok: false, error, stored }.
 * `stored` is the body compressed for the store: the worker has the bytes, and the thread that
 * fetches and writes is the busier one.
 */
import { parentPort } from "node:worker_threads";
import { isNianbaoError } from "../errors.js";
import { parsePage } from "../pipeline.js";
import { compressBody } from "../store/codec.js";

parentPort?.on("message", (msg: { id: number; body: Uint8Array; options: { sourceUrl: string | null; contentType: string | null; provenance: true; titleHint?: string | null } }) => {
  const stored = compressBody(msg.body);
  try {
    const { record, searchText } = parsePage(msg.body, msg.options);
    parentPort!.postMessage({ id: msg.id, ok: true, record, searchText, stored });
  } catch (e) {
    const error = isNianbaoError(e) ? { code: e.code, message: e.message, details: e.details } : { code: null, message: (e as Error)?.message ?? String(e), details: {} };
    parentPort!.postMessage({ id: msg.id, ok: false, error, stored });
  }
});
