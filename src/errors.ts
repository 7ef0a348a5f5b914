/**
 * Typed errors with stable codes. Callers (the CLI, the crawler) branch on `code`, never on the
 * message. Errors are grouped by what happens next:
 *
 * - `input`: the user's input is not usable (not a report, bad sources file, bad flag): exit 2.
 * - `retryable`: a network hiccup or a 5xx; the crawler retries with backoff.
 * - `throttled`: the server asked us to slow down (429, Retry-After).
 * - `fatal`: a bug or a broken environment: exit 1.
 */
export type ErrorGroup = "input" | "retryable" | "throttled" | "fatal";

export const ERROR_CODES = {
  E_NOT_REPORT: { group: "input", summary: "the input is not a readable annual report" },
  E_EMPTY_INPUT: { group: "input", summary: "the input is empty" },
  E_INPUT_TOO_LARGE: { group: "input", summary: "the input exceeds the size limit" },
  E_FILE_NOT_FOUND: { group: "input", summary: "a file or directory given on the command line does not exist" },
  E_BAD_ARGS: { group: "input", summary: "a command-line flag or argument is invalid" },
  E_BAD_SOURCES: { group: "input", summary: "the sources file is missing or invalid" },
  E_QUERY_READ_ONLY: { group: "input", summary: "a query tried to write to the database" },
  E_QUERY_FAILED: { group: "input", summary: "SQL given to query is invalid" },
  E_DB_OPEN: { group: "input", summary: "the database file cannot be opened" },
  E_FETCH_HTTP: { group: "input", summary: "a URL answered with an HTTP error status" },
  E_FETCH_NETWORK: { group: "retryable", summary: "a network error (reset, refused, DNS) while fetching" },
  E_FETCH_TIMEOUT: { group: "retryable", summary: "a request took longer than the timeout" },
  E_FETCH_TOO_LARGE: { group: "input", summary: "a response body exceeded the size limit" },
  E_FETCH_THROTTLED: { group: "throttled", summary: "the server answered 429 or 503 with Retry-After" },
  E_OFF_HOST_REDIRECT: { group: "input", summary: "a redirect pointed outside allowHosts and was not followed" },
  E_ROBOTS_DISALLOWED: { group: "input", summary: "robots.txt forbids the URL" },
  E_MIGRATION_FAILED: { group: "fatal", summary: "a database migration failed; the database was left as it was" },
  E_LEASE_HELD: { group: "input", summary: "another crawl holds the database's lease" },
  E_INTERNAL: { group: "fatal", summary: "an internal error (a bug)" },
} as const satisfies Record<string, { group: ErrorGroup; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class NianbaoError extends Error {
  readonly code: ErrorCode;
  readonly group: ErrorGroup;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NianbaoError";
    this.code = code;
    this.group = ERROR_CODES[code].group;
    this.details = details;
  }
}

export function isNianbaoError(e: unknown): e is NianbaoError {
  return e instanceof NianbaoError;
}

/** The CLI's exit code for an error: 2 for the user's input, 1 for everything else. */
export function exitCodeFor(e: unknown): 1 | 2 {
  return isNianbaoError(e) && e.group === "input" ? 2 : 1;
}
