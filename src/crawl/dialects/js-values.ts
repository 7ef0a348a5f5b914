import type { PageView, Vars } from "./types.js";

/**
 * Reading a value out of an inline script's object literal, the way the page's own script would
 * see it: `key: 200210`, `key: "chnlid=1788"`, `key: "" || "chnlid=1788"`, `key: SiteInfo.searchId`.
 * An identifier path resolves to a value read before (its last segment) or to `last: value`
 * elsewhere in the page. Null when the key is absent or every alternative is empty.
 */
export function scriptValue(page: PageView, vars: Vars, key: string, within?: RegExp): string | null {
  const scope = within ? (within.exec(page.text)?.[0] ?? null) : page.text;
  if (scope === null) return null;
  const m = new RegExp(`\\b${key}['"]?\\s*:\\s*((?:"[^"\\n]*"|'[^'\\n]*'|[^,}\\n"'])+)`).exec(scope);
  if (!m) return null;
  for (const part of m[1]!.split("||")) {
    const p = part.trim();
    const quoted = /^(["'])(.*)\1$/.exec(p);
    let v: string | null = null;
    if (quoted) v = quoted[2]!;
    else if (/^-?\d+(\.\d+)?$/.test(p)) v = p;
    else if (/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(p)) {
      const last = p.split(".").pop()!;
      v = vars[last] ?? new RegExp(`\\b${last}['"]?\\s*[:=]\\s*['"]?([^'",}\\s;]+)`).exec(page.text)?.[1] ?? null;
    }
    if (v) return v;
  }
  return null;
}
