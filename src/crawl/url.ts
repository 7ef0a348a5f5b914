/**
 * URL normalisation and the frontier's dedupe key. Two URLs with the same `uniqueKey` are the same
 * page as far as the crawler is concerned.
 */

/** Absolute, normalised form: lower-case scheme and host, no default port, no fragment. Null if unusable. */
export function normalizeUrl(href: string, base?: string): string | null {
  let u: URL;
  try {
    u = base ? new URL(href.trim(), base) : new URL(href.trim());
  } catch {
    return null;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  u.hash = "";
  return u.toString();
}

/**
 * The dedupe key: the normalised URL with query parameters sorted and a trailing
 * `index.html`/`index.htm`/`index.shtml` dropped (TRS columns link both `col/` and `col/index.html`).
 */
export function uniqueKey(url: string): string {
  const u = new URL(url);
  u.hash = "";
  const params = [...u.searchParams.entries()].sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1));
  u.search = "";
  for (const [k, v] of params) u.searchParams.append(k, v);
  u.pathname = u.pathname.replace(/\/index\.s?html?$/i, "/");
  return u.toString();
}

/** `host` or `host:port`, lower-case: the unit of politeness and of allowHosts. */
export function hostOf(url: string): string {
  return new URL(url).host.toLowerCase();
}

export function isAllowedHost(url: string, allowHosts: readonly string[]): boolean {
  let host: string;
  try {
    host = hostOf(url);
  } catch {
    return false;
  }
  return allowHosts.includes(host) || allowHosts.includes(host.replace(/:\d+$/, ""));
}
