import type { Dispatcher } from "undici";

/**
 * The contract of `fetchUrl` in ./http.ts (owned by the decode branch), restated here so the
 * crawler's wrappers (retry, politeness, robots) can be written and tested against it before that
 * file lands. Keep in step with http.ts.
 */
export interface FetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Hosts (host or host:port) a redirect may go to; one that leaves is an E_OFF_HOST_REDIRECT. */
  allowHosts?: readonly string[];
  headers?: Record<string, string>;
  userAgent?: string;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
}

export interface FetchResult {
  url: string;
  finalUrl: string;
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Uint8Array;
  redirects: string[];
  fetchedAt: string;
}

/**
 * One HTTP request. Non-2xx statuses are returned, not thrown; network failures, timeouts,
 * oversized bodies and off-host redirects throw `NianbaoError` (E_FETCH_NETWORK, E_FETCH_TIMEOUT,
 * E_FETCH_TOO_LARGE, E_OFF_HOST_REDIRECT).
 */
export type FetchFn = (url: string, options: FetchOptions) => Promise<FetchResult>;

/** What the decoder (../parse/decode.ts) returns; the crawler only needs the text. */
export interface Decoded {
  text: string;
  encoding: string;
}

export type DecodeFn = (bytes: Uint8Array, options: { contentType?: string | null }) => Decoded;
