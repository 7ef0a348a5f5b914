/**
 * One HTTP GET, safely: a whole-request time budget, a cap on the decoded body (so a gzip bomb
 * stops early), manual redirects checked hop by hop against `allowHosts`, and errors with stable
 * codes. Retry and politeness are deliberately not here: they wrap `fetchUrl` (STYLE.md §13).
 *
 * Non-2xx answers are data, not errors: a crawler needs 304, 404 and 429 to decide what to do
 * next. Callers that want to throw use `httpError(result)`.
 */
import { Buffer } from "node:buffer";
import { STATUS_CODES } from "node:http";
import { Readable, Writable, type Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from "node:zlib";
import { request, type Dispatcher } from "undici";
import { NianbaoError } from "../errors.js";
import { PACKAGE_VERSION } from "../version.js";

/** Names the tool and where to reach its operators, as polite crawlers do. */
export const DEFAULT_USER_AGENT = `nianbao/${PACKAGE_VERSION}`;

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

export interface FetchOptions {
  /** Whole-request budget including the body (default 30000); past it → E_FETCH_TIMEOUT. */
  timeoutMs?: number;
  /** Largest decoded body kept (default 20 MiB); past it → E_FETCH_TOO_LARGE, counted while streaming. */
  maxBytes?: number;
  /** Redirects followed before failing with E_FETCH_HTTP (default 5). */
  maxRedirects?: number;
  /**
   * When set, a redirect to a host not listed is not followed: E_OFF_HOST_REDIRECT. As for links
   * (`isAllowedHost`): an entry with a port allows that port only, one without allows any port.
   */
  allowHosts?: readonly string[] | null;
  /** Extra request headers (If-None-Match, If-Modified-Since…); they override the defaults. */
  headers?: Record<string, string>;
  /** Default `DEFAULT_USER_AGENT`. */
  userAgent?: string;
  /** Injectable dispatcher (tests, keep-alive tuning); default undici's global one. */
  dispatcher?: Dispatcher;
  /** Aborting it rejects with the signal's reason (not a NianbaoError). */
  signal?: AbortSignal;
  /** Default GET. A POST sends `body` (set its content-type in `headers`). */
  method?: "GET" | "POST";
  body?: string;
}

export interface FetchResult {
  /** The URL asked for. */
  url: string;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  status: number;
  /** The final response's headers as received, with lower-case keys; repeated headers joined by ", ". */
  headers: Record<string, string>;
  /** The body, decompressed (so `content-encoding` / `content-length` describe the wire, not this). */
  body: Uint8Array;
  /** Every URL redirected to, in order; the last one is `finalUrl`. */
  redirects: string[];
  /** ISO time the final response's headers arrived. */
  fetchedAt: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers a browser drops when a redirect leaves the origin. */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/**
 * Fetch one URL with GET (or POST with a body, as a list page's own script does), following up to
 * `maxRedirects` redirects by hand: a POST redirected with 301/302/303 continues as a GET without
 * its body, as browsers do; 307/308 repeat the POST.
 *
 * Throws NianbaoError: E_BAD_ARGS (not an http(s) URL), E_FETCH_TIMEOUT, E_FETCH_NETWORK (reset,
 * refused, DNS, truncated or undecodable body), E_FETCH_TOO_LARGE, E_OFF_HOST_REDIRECT, E_FETCH_HTTP
 * (too many redirects, unusable Location). Any status, including 4xx/5xx, is returned as data.
 *
 * @example
 * const res = await fetchUrl("https://www.example.gov.cn/xxgk/ndbg/", { timeoutMs: 10_000 });
 * if (res.status !== 200) throw httpError(res);
 */
export async function fetchUrl(url: string, opts: FetchOptions = {}): Promise<FetchResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const allowHosts = opts.allowHosts ? new Set(opts.allowHosts.map(normaliseHost)) : null;
  let current = parseHttpUrl(url);
  const headers = requestHeaders(opts);
  const redirects: string[] = [];
  let method = opts.method ?? "GET";
  let reqBody = method === "POST" ? (opts.body ?? "") : undefined;

  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error("nianbao fetch timeout")), timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout.signal]) : timeout.signal;
  try {
    for (;;) {
      const res = await request(current, {
        method,
        headers,
        ...(reqBody !== undefined ? { body: reqBody } : {}),
        signal,
        dispatcher: opts.dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const resHeaders = flattenHeaders(res.headers);
      const location = resHeaders["location"];
      if (REDIRECT_STATUSES.has(res.statusCode) && location !== undefined) {
        // Free the connection for reuse; a redirect's body is never wanted.
        await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
        const next = resolveRedirect(current, location, res.statusCode, url, redirects, maxRedirects, allowHosts);
        if (next.origin !== current.origin) for (const h of CREDENTIAL_HEADERS) delete headers[h];
        if (method === "POST" && res.statusCode !== 307 && res.statusCode !== 308) {
          method = "GET";
          reqBody = undefined;
          delete headers["content-type"];
        }
        redirects.push(next.href);
        current = next;
        continue;
      }
      const fetchedAt = new Date().toISOString();
      const body = await readBody(res, resHeaders, current.href, maxBytes);
      return { url, finalUrl: current.href, status: res.statusCode, headers: resHeaders, body, redirects, fetchedAt };
    }
  } catch (e) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    // Once the budget is spent, the abort surfaces as a reset or truncated body: call it a timeout.
    const deterministic = e instanceof NianbaoError && e.code !== "E_FETCH_NETWORK";
    throw classify(e, current.href, timeout.signal.aborted && !deterministic, timeoutMs);
  } finally {
    clearTimeout(timer);
  }
}

function parseHttpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new NianbaoError("E_BAD_ARGS", `not a URL: ${JSON.stringify(url)}; give an absolute http:// or https:// URL`, { url });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new NianbaoError("E_BAD_ARGS", `cannot fetch ${parsed.protocol} URL ${url}; only http:// and https:// are supported`, { url });
  }
  return parsed;
}

function requestHeaders(opts: FetchOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "user-agent": opts.userAgent ?? DEFAULT_USER_AGENT,
    accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "accept-language": "zh-CN,zh;q=0.9",
    "accept-encoding": "gzip, deflate, br",
  };
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
  return headers;
}

function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
}

function resolveRedirect(
  current: URL,
  location: string,
  status: number,
  startUrl: string,
  redirects: readonly string[],
  maxRedirects: number,
  allowHosts: ReadonlySet<string> | null,
): URL {
  if (redirects.length >= maxRedirects) {
    throw new NianbaoError(
      "E_FETCH_HTTP",
      `${startUrl} redirected more than ${maxRedirects} times (last to ${current.href}); the site may loop: check the URL in a browser or raise maxRedirects`,
      { url: startUrl, status, redirects: [...redirects], location },
    );
  }
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    throw new NianbaoError("E_FETCH_HTTP", `${current.href} answered ${status} with an unusable Location ${JSON.stringify(location)}; the server is misconfigured`, {
      url: startUrl,
      status,
      location,
    });
  }
  if (next.protocol !== "http:" && next.protocol !== "https:") {
    throw new NianbaoError("E_OFF_HOST_REDIRECT", `${current.href} redirected to ${next.href}; only http(s) redirects are followed`, {
      url: startUrl,
      location: next.href,
    });
  }
  const host = normaliseHost(next.hostname);
  if (allowHosts && !allowHosts.has(host) && !(next.port !== "" && allowHosts.has(`${host}:${next.port}`))) {
    throw new NianbaoError(
      "E_OFF_HOST_REDIRECT",
      `${current.href} redirected to ${next.href}, outside the allowed hosts (${[...allowHosts].join(", ")}); add the host to the source if it belongs to the portal`,
      { url: startUrl, location: next.href },
    );
  }
  return next;
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

/** Thrown inside the body pipeline; recognised by identity so no other error is mistaken for it. */
class TooLarge extends Error {}

async function readBody(
  res: Dispatcher.ResponseData,
  headers: Record<string, string>,
  url: string,
  maxBytes: number,
): Promise<Uint8Array> {
  const encodings = (headers["content-encoding"] ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "" && s !== "identity");
  const declaredLength = /^\d+$/.test(headers["content-length"] ?? "") ? Number(headers["content-length"]) : null;
  const tooLarge = (): NianbaoError =>
    new NianbaoError("E_FETCH_TOO_LARGE", `${url} has a body over ${maxBytes} bytes; raise maxBytes if the page is genuine`, { url, maxBytes });

  if (encodings.length === 0 && declaredLength !== null && declaredLength > maxBytes) {
    res.body.destroy();
    throw tooLarge();
  }

  let rawBytes = 0;
  let keptBytes = 0;
  const chunks: Buffer[] = [];
  if (encodings.length === 0) {
    // Plain bodies (the usual case) need no decoder pipeline: read the chunks with the same cap.
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        rawBytes += chunk.length;
        if (rawBytes > maxBytes) {
          res.body.destroy();
          throw new TooLarge();
        }
        chunks.push(chunk);
      }
    } catch (e) {
      res.body.destroy();
      if (e instanceof TooLarge) throw tooLarge();
      throw truncatedOr(e, url, rawBytes, declaredLength);
    }
    if (declaredLength !== null && rawBytes < declaredLength && res.statusCode !== 204 && res.statusCode !== 304) {
      throw truncatedOr(null, url, rawBytes, declaredLength);
    }
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, rawBytes);
    return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  }
  const source = res.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    // The first chunk is read before the pipeline is built: raw vs zlib deflate is decided from it.
    const first = await source.next();
    const counted = async function* (): AsyncGenerator<Buffer> {
      for (let r = first; !r.done; r = await source.next()) {
        rawBytes += r.value.length;
        yield r.value;
      }
    };
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        keptBytes += chunk.length;
        if (keptBytes > maxBytes) return cb(new TooLarge());
        chunks.push(chunk);
        cb();
      },
    });
    // Encodings we never ask for (and so do not know) are kept as received.
    const decoders = [...encodings]
      .reverse()
      .map((enc, i) => decoderFor(enc, i === 0 && !first.done ? first.value : null))
      .filter((d): d is Transform => d !== null);
    await pipeline([Readable.from(counted(), { objectMode: false }), ...decoders, sink]);
  } catch (e) {
    await source.return?.().catch(() => undefined);
    res.body.destroy();
    if (e instanceof TooLarge) throw tooLarge();
    if (isZlibError(e)) {
      throw new NianbaoError(
        "E_FETCH_NETWORK",
        `${url} sent a body that does not decompress as ${encodings.join(", ")} (${rawBytes} bytes received); it is probably truncated: retry later`,
        { url, contentEncoding: headers["content-encoding"], receivedBytes: rawBytes },
        { cause: e },
      );
    }
    throw truncatedOr(e, url, rawBytes, declaredLength);
  }
  if (declaredLength !== null && rawBytes < declaredLength && res.statusCode !== 204 && res.statusCode !== 304) {
    throw truncatedOr(null, url, rawBytes, declaredLength);
  }
  const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, keptBytes);
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}

function decoderFor(encoding: string, firstChunk: Buffer | null): Transform | null {
  switch (encoding) {
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "br":
      return createBrotliDecompress();
    case "deflate":
      // "deflate" should be zlib-wrapped, but old IIS servers send raw deflate: look at the header.
      return firstChunk && !hasZlibHeader(firstChunk) ? createInflateRaw() : createInflate();
    default:
      return null;
  }
}

function hasZlibHeader(chunk: Buffer): boolean {
  if (chunk.length < 2) return true;
  return (chunk[0] & 0x0f) === 8 && ((chunk[0] << 8) | chunk[1]) % 31 === 0;
}

function errorCode(e: unknown): string | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const o = e as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof o.code === "string") return o.code;
  // Happy-eyeballs connect failures arrive as an AggregateError of per-address errors.
  if (Array.isArray(o.errors) && o.errors.length > 0) return errorCode(o.errors[0]);
  if (o.cause !== undefined && o.cause !== e) return errorCode(o.cause);
  return undefined;
}

function isZlibError(e: unknown): boolean {
  const code = errorCode(e) ?? "";
  // zlib errors are Z_DATA_ERROR, Z_BUF_ERROR…; brotli's are ERR__ERROR_FORMAT_…, ERR__ERROR_UNREACHABLE…
  return code.startsWith("Z_") || code.startsWith("ERR__ERROR_");
}

function truncatedOr(e: unknown, url: string, received: number, expected: number | null): NianbaoError {
  if (expected !== null && received < expected) {
    return new NianbaoError(
      "E_FETCH_NETWORK",
      `${url} closed the connection after ${received} of ${expected} bytes; the body is truncated: retry later`,
      { url, receivedBytes: received, expectedBytes: expected },
      e === null ? undefined : { cause: e },
    );
  }
  return classify(e, url, false, 0);
}

function classify(e: unknown, url: string, timedOut: boolean, timeoutMs: number): NianbaoError {
  if (e instanceof NianbaoError && !timedOut) return e;
  const code = errorCode(e);
  const what = e instanceof Error ? e.message : String(e);
  if (timedOut || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return new NianbaoError(
      "E_FETCH_TIMEOUT",
      timedOut ? `${url} did not finish within ${timeoutMs} ms; retry later or raise the timeout` : `${url} timed out (${code}); retry later or raise the timeout`,
      { url, timeoutMs, code },
      { cause: e },
    );
  }
  if (code === "UND_ERR_INVALID_ARG" || code === "ERR_INVALID_ARG_TYPE" || code === "ERR_INVALID_CHAR" || code === "ERR_INVALID_URL") {
    return new NianbaoError("E_BAD_ARGS", `cannot request ${url}: ${what}; check the URL and headers`, { url, code }, { cause: e });
  }
  const hint = code === "ENOTFOUND" || code === "EAI_AGAIN" ? "the host name does not resolve: check it" : "retry later";
  return new NianbaoError("E_FETCH_NETWORK", `fetching ${url} failed (${code ?? what}); ${hint}`, { url, code }, { cause: e });
}

/**
 * The delay a `Retry-After` value asks for, in ms: delta-seconds or an HTTP-date (relative to
 * `nowMs`). `null` when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | null {
  if (value === null || value === undefined) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return null; // "-5", "1.5": not valid delta-seconds, and not a date
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/**
 * The error to throw for a non-2xx result: E_FETCH_THROTTLED for 429 and 503 (with
 * `details.retryAfterMs`, or `null` when the server gave no usable Retry-After), E_FETCH_HTTP
 * otherwise. An HTTP-date Retry-After is measured against the response's own `Date` header when
 * present, so clock skew does not matter.
 */
export function httpError(result: FetchResult, nowMs: number = Date.now()): NianbaoError {
  const { status, finalUrl } = result;
  const reason = STATUS_CODES[status] ?? "Unknown";
  const base = { url: result.url, finalUrl, status };
  if (status === 429 || status === 503) {
    const serverNow = Date.parse(result.headers["date"] ?? "");
    const retryAfterMs = parseRetryAfter(result.headers["retry-after"], Number.isNaN(serverNow) ? nowMs : serverNow);
    const wait = retryAfterMs === null ? "slow down and retry later" : `wait ${Math.ceil(retryAfterMs / 1000)} s before retrying (Retry-After)`;
    return new NianbaoError("E_FETCH_THROTTLED", `${finalUrl} answered ${status} ${reason}; ${wait}`, { ...base, retryAfterMs });
  }
  const hint =
    status >= 500 ? "the server failed: retry later" : status === 403 ? "the server refused: the site may block crawlers" : "check the URL";
  return new NianbaoError("E_FETCH_HTTP", `${finalUrl} answered ${status} ${reason}; ${hint}`, base);
}
