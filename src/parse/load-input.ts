/**
 * What `nianbao parse <file|url|->` reads: raw bytes plus what is known about them. Decoding is
 * left to `decodeBytes`, which needs the Content-Type a URL came with.
 */
import { Buffer } from "node:buffer";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { DEFAULT_MAX_BYTES, fetchUrl, httpError } from "../crawl/http.js";
import { NianbaoError } from "../errors.js";

export interface LoadedInput {
  bytes: Uint8Array;
  /** The HTTP Content-Type for URLs; `null` for files and stdin. */
  contentType: string | null;
  /** The final URL (after redirects) for URLs; `null` otherwise. */
  sourceUrl: string | null;
}

export interface LoadInputOptions {
  /** Per-request budget for URLs (fetchUrl's default when absent). */
  timeoutMs?: number;
  /** Largest input accepted, default 20 MiB. */
  maxBytes?: number;
}

/**
 * Read `-` (stdin), an http(s) URL, or a file path (a `file:` URL also works).
 *
 * Throws NianbaoError: E_FILE_NOT_FOUND, E_BAD_ARGS (a directory, an unsupported URL scheme, an
 * unreadable file), E_INPUT_TOO_LARGE (file or stdin over maxBytes), and for URLs whatever
 * `fetchUrl` throws plus `httpError` for a non-2xx answer.
 *
 * @example
 * const { bytes, contentType, sourceUrl } = await loadInput(arg, { stdin: process.stdin });
 */
export async function loadInput(
  arg: string,
  io: { stdin: NodeJS.ReadableStream },
  opts: LoadInputOptions = {},
): Promise<LoadedInput> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (arg === "-") {
    return { bytes: await readCapped(io.stdin, maxBytes, "stdin"), contentType: null, sourceUrl: null };
  }
  if (/^https?:\/\//i.test(arg)) {
    const res = await fetchUrl(arg, { timeoutMs: opts.timeoutMs, maxBytes });
    if (res.status < 200 || res.status > 299) throw httpError(res);
    return { bytes: res.body, contentType: res.headers["content-type"] ?? null, sourceUrl: res.finalUrl };
  }
  let path = arg;
  if (/^file:\/\//i.test(arg)) {
    path = fileURLToPath(arg);
  } else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(arg)) {
    throw new NianbaoError("E_BAD_ARGS", `cannot read ${arg}: only http(s) URLs, file paths and - (stdin) are supported`, { arg });
  }
  return { bytes: await readFileCapped(path, maxBytes), contentType: null, sourceUrl: null };
}

async function readFileCapped(path: string, maxBytes: number): Promise<Uint8Array> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw fileError(e, path);
  }
  if (info.isDirectory()) {
    throw new NianbaoError("E_BAD_ARGS", `${path} is a directory; give one page's file (use ingest for a directory)`, { path });
  }
  if (!info.isFile()) return readCapped(createReadStream(path), maxBytes, path); // a FIFO, /dev/stdin…
  if (info.size > maxBytes) throw tooLarge(path, maxBytes, info.size);
  try {
    return await readFile(path);
  } catch (e) {
    throw fileError(e, path);
  }
}

function fileError(e: unknown, path: string): NianbaoError {
  const code = (e as { code?: unknown }).code;
  if (code === "ENOENT" || code === "ENOTDIR") {
    return new NianbaoError("E_FILE_NOT_FOUND", `${path} does not exist; check the path`, { path }, { cause: e });
  }
  const what = e instanceof Error ? e.message : String(e);
  return new NianbaoError("E_BAD_ARGS", `cannot read ${path} (${what}); check its permissions`, { path, code }, { cause: e });
}

function tooLarge(what: string, maxBytes: number, size?: number): NianbaoError {
  const seen = size === undefined ? `more than ${maxBytes} bytes` : `${size} bytes, over the ${maxBytes}-byte limit`;
  return new NianbaoError("E_INPUT_TOO_LARGE", `${what} is ${seen}; a report page is far smaller: check the input or raise the limit`, {
    path: what,
    maxBytes,
    ...(size === undefined ? {} : { size }),
  });
}

/** Read a stream to its end, failing as soon as it passes maxBytes. */
async function readCapped(stream: NodeJS.ReadableStream, maxBytes: number, what: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    total += buf.length;
    // Leaving the loop early stops reading (the iterator's return destroys the stream).
    if (total > maxBytes) throw tooLarge(what, maxBytes);
    chunks.push(buf);
  }
  return Buffer.concat(chunks, total);
}
