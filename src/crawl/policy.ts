import { z } from "zod";
import { NianbaoError } from "../errors.js";
import { PACKAGE_VERSION } from "../version.js";

/**
 * Every politeness and retry default of the crawler, in one table: key → schema (with its unit in
 * the name), environment variable, default. Precedence: CLI flag > environment > default.
 * The types are derived from this table, so a new knob is added here and nowhere else.
 */
// Messages name what is wanted ("must be an integer ≥ 1"), not zod's internals ("received NaN").
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => {
  const error = max === Number.MAX_SAFE_INTEGER ? `must be an integer ≥ ${min}` : `must be an integer from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

export const POLICY_TABLE = {
  /** Who to reach about the crawl (URL or e-mail), put in the User-Agent; "" = none given. */
  contact: { schema: z.string().trim(), env: "NIANBAO_CONTACT", default: "" },
  concurrency: { schema: int(1, 256), env: "NIANBAO_CONCURRENCY", default: 8 },
  perHost: { schema: int(1, 64), env: "NIANBAO_PER_HOST", default: 1 },
  /** Minimum spacing between request starts on one host; robots.txt Crawl-delay wins when larger. */
  delayMs: { schema: int(0), env: "NIANBAO_DELAY_MS", default: 1000 },
  timeoutMs: { schema: int(1), env: "NIANBAO_TIMEOUT_MS", default: 30_000 },
  maxBytes: { schema: int(1), env: "NIANBAO_MAX_BYTES", default: 20 * 1024 * 1024 },
  maxRedirects: { schema: int(0, 20), env: "NIANBAO_MAX_REDIRECTS", default: 5 },
  /** Retries of one request (network errors, 429, 5xx) inside one attempt of a frontier item. */
  retries: { schema: int(0, 10), env: "NIANBAO_RETRIES", default: 3 },
  retryBaseMs: { schema: int(0), env: "NIANBAO_RETRY_BASE_MS", default: 500 },
  retryMaxMs: { schema: int(0), env: "NIANBAO_RETRY_MAX_MS", default: 30_000 },
  /** A Retry-After longer than this is not waited for: the item goes back to the queue instead. */
  retryAfterCapMs: { schema: int(0), env: "NIANBAO_RETRY_AFTER_CAP_MS", default: 120_000 },
  /** Consecutive 403/429 answers after which a host is paused for the rest of the run. */
  pauseAfter: { schema: int(1), env: "NIANBAO_PAUSE_AFTER", default: 3 },
  /** Attempts of one frontier item in one run before it is recorded as failed. */
  maxAttempts: { schema: int(1), env: "NIANBAO_MAX_ATTEMPTS", default: 3 },
  /** Link depth followed from a home page to the annual-report column. */
  maxDepth: { schema: int(0, 10), env: "NIANBAO_MAX_DEPTH", default: 3 },
  /** Pages fetched in one run (0 = no limit); the rest stay queued for the next run. */
  maxPages: { schema: int(0), env: "NIANBAO_MAX_PAGES", default: 0 },
  /** Whether robots.txt is fetched and obeyed. Only the benchmark turns it off. */
  robots: { schema: z.preprocess((v) => (v === "false" || v === "0" ? false : v === "true" || v === "1" ? true : v), z.boolean()), env: "NIANBAO_ROBOTS", default: true },
} as const;

type Table = typeof POLICY_TABLE;
export type CrawlPolicy = { [K in keyof Table]: z.output<Table[K]["schema"]> };
export type PolicyKey = keyof CrawlPolicy;

export const DEFAULT_POLICY: CrawlPolicy = Object.fromEntries(
  Object.entries(POLICY_TABLE).map(([k, v]) => [k, v.default]),
) as CrawlPolicy;

/**
 * The User-Agent: the project and its version, and whom to contact when the user said so. Without
 * a contact nothing is made up: `nianbao/<version>` (the CLI warns once that portals prefer one).
 */
export function userAgent(policy: Pick<CrawlPolicy, "contact">): string {
  return policy.contact ? `nianbao/${PACKAGE_VERSION} (+${policy.contact})` : `nianbao/${PACKAGE_VERSION}`;
}

/** The one warning printed when a crawl has no contact for its User-Agent. */
export const NO_CONTACT_WARNING =
  "nianbao: warning: no --contact given: requests name only nianbao and its version; portal operators prefer a way to reach you (--contact you@example.org or $NIANBAO_CONTACT)";

/** The robots.txt product token we obey rules for. */
export const ROBOTS_TOKEN = "nianbao";

/**
 * Build the policy from CLI flags (undefined = not given) and the environment. A bad value is an
 * E_BAD_ARGS naming the flag.
 */
export function resolvePolicy(flags: Partial<Record<PolicyKey, unknown>>, env: NodeJS.ProcessEnv = {}): CrawlPolicy {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(POLICY_TABLE) as [PolicyKey, Table[PolicyKey]][]) {
    const fromFlag = flags[key];
    const fromEnv = env[spec.env];
    const raw = fromFlag !== undefined ? fromFlag : fromEnv !== undefined && fromEnv !== "" ? fromEnv : spec.default;
    const parsed = (spec.schema as z.ZodType).safeParse(raw);
    if (!parsed.success) {
      const where = fromFlag !== undefined ? `--${kebab(key)}` : fromEnv !== undefined ? `$${spec.env}` : key;
      throw new NianbaoError("E_BAD_ARGS", `${where}: ${parsed.error.issues[0]?.message ?? "invalid"} (got ${JSON.stringify(raw)})`, { key });
    }
    out[key] = parsed.data;
  }
  return out as CrawlPolicy;
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
