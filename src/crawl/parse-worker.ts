/**
 * Worker thread for the parse pool: parses pages off the crawler's main thread. Messages in:
 * { id, body, options }; out: { id, ok: true, record, searchText } or { id, ok: false, error }.
 */
import { parentPort } from "node:worker_threads";
import { isNianbaoError } from "../errors.js";
import { parsePage } from "../pipeline.js";

parentPort?.on("message", (msg: { id: number; body: Uint8Array; options: { sourceUrl: string | null; contentType: string | null; provenance: true; titleHint?: string | null } }) => {
  try {
    const { record, searchText } = parsePage(msg.body, msg.options);
    parentPort!.postMessage({ id: msg.id, ok: true, record, searchText });
  } catch (e) {
    const error = isNianbaoError(e) ? { code: e.code, message: e.message, details: e.details } : { code: null, message: (e as Error)?.message ?? String(e), details: {} };
    parentPort!.postMessage({ id: msg.id, ok: false, error });
  }
});
