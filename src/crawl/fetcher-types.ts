import type { FetchOptions, FetchResult } from "./http.js";
import type { Decoded } from "../parse/decode.js";

export type { FetchOptions, FetchResult, Decoded };

/**
 * The shape of `fetchUrl` (./http.ts): one request; non-2xx statuses are returned, failures throw
 * NianbaoError. The crawler's wrappers (retry, politeness, robots) take and return this type, so
 * tests can pass a fake in its place.
 */
export type FetchFn = (url: string, options: FetchOptions) => Promise<FetchResult>;

/** The shape of `decodeBytes` (../parse/decode.ts). */
export type DecodeFn = (bytes: Uint8Array, options: { contentType?: string | null }) => Pick<Decoded, "text" | "encoding">;
