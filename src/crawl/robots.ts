import robotsParserModule from "robots-parser";
import type { FetchFn, FetchOptions } from "./fetcher-types.js";

interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}
// robots-parser is CommonJS (module.exports = function); its .d.ts declares an ES default export,
// which NodeNext resolves to the module object. At runtime the default import is the function.
const robotsParser = ((robotsParserModule as unknown as { default?: unknown }).default ?? robotsParserModule) as (url: string, text: string) => Robot;

export interface RobotsRules {
  /** null when robots.txt could not be read: everything is allowed. */
  robot: Robot | null;
  /** Crawl-delay for our token, in ms (0 when absent). */
  crawlDelayMs: number;
  /** How the file was obtained ("ok", "HTTP 404", "E_FETCH_NETWORK"…). */
  status: string;
}

export interface RobotsOptions {
  /** The product token rules are matched against (User-agent: nianbao). */
  token: string;
  fetchOptions: FetchOptions;
  /** Cap on Crawl-delay we honour, so a hostile file cannot stall a run (ms). */
  maxCrawlDelayMs?: number;
}

/**
 * robots.txt per origin, fetched once per run through the polite fetch function. A missing file
 * (4xx) or an unreachable one allows everything; the answer's Crawl-delay feeds the host gate.
 */
export class RobotsCache {
  private rules = new Map<string, RobotsRules>();
  private loading = new Map<string, Promise<RobotsRules>>();

  constructor(
    private readonly fetch: FetchFn,
    private readonly opts: RobotsOptions,
  ) {}

  /** Load (once) the rules of the URL's origin. */
  load(url: string): Promise<RobotsRules> {
    const origin = new URL(url).origin;
    const have = this.rules.get(origin);
    if (have) return Promise.resolve(have);
    let p = this.loading.get(origin);
    if (!p) {
      p = this.fetchRules(origin).then((r) => {
        this.rules.set(origin, r);
        this.loading.delete(origin);
        return r;
      });
      this.loading.set(origin, p);
    }
    return p;
  }

  /** Whether the URL may be fetched; undefined when its origin's rules are not loaded yet. */
  isAllowed(url: string): boolean | undefined {
    const r = this.rules.get(new URL(url).origin);
    if (!r) return undefined;
    if (!r.robot) return true;
    return r.robot.isAllowed(url, this.opts.token) !== false;
  }

  private async fetchRules(origin: string): Promise<RobotsRules> {
    const url = `${origin}/robots.txt`;
    try {
      const res = await this.fetch(url, this.opts.fetchOptions);
      if (res.status < 200 || res.status >= 300) return { robot: null, crawlDelayMs: 0, status: `HTTP ${res.status}` };
      const text = new TextDecoder("utf-8").decode(res.body);
      const robot = robotsParser(url, text);
      const delay = robot.getCrawlDelay(this.opts.token);
      const ms = typeof delay === "number" && Number.isFinite(delay) && delay > 0 ? Math.round(delay * 1000) : 0;
      return { robot, crawlDelayMs: Math.min(ms, this.opts.maxCrawlDelayMs ?? 60_000), status: "ok" };
    } catch (e) {
      return { robot: null, crawlDelayMs: 0, status: (e as { code?: string }).code ?? "error" };
    }
  }
}
