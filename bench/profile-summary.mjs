// Summarise a V8 CPU profile (`node --cpu-prof`) of a crawl: where the main thread's time goes, by
// the innermost frame in nianbao's own code (dist/…: file and function) or in a dependency
// (node_modules/<package>), with native and Node-internal time attributed to the nearest such frame
// above it. Idle time is listed apart.
// Usage: node bench/profile-summary.mjs <file.cpuprofile> [top = 25]
import { readFileSync } from "node:fs";

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/profile-summary.mjs <file.cpuprofile> [top]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const label = (n) => {
  const { url, functionName } = n.callFrame;
  const d = /\/dist\/(.+)$/.exec(url);
  if (d) return `${d[1]} ${functionName || "(anonymous)"}`;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  return null;
};
const special = (n) => (["(idle)", "(garbage collector)", "(program)"].includes(n.callFrame.functionName) ? n.callFrame.functionName : null);
const cache = new Map();
const attribute = (id) => {
  if (cache.has(id)) return cache.get(id);
  const n = byId.get(id);
  const own = special(n) ?? label(n);
  const result = own ?? (parent.has(id) ? attribute(parent.get(id)) : "(node internals)");
  cache.set(id, result);
  return result;
};
const totals = new Map();
const dts = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const key = attribute(profile.samples[i]);
  totals.set(key, (totals.get(key) ?? 0) + (dts[i] ?? 0));
}
const all = [...totals.values()].reduce((a, b) => a + b, 0);
const idle = totals.get("(idle)") ?? 0;
console.log(`total ${(all / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s, busy ${((all - idle) / 1e6).toFixed(2)} s`);
const top = [...totals].filter(([k]) => k !== "(idle)").sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25));
for (const [k, v] of top) console.log(`${(v / 1e6).toFixed(2).padStart(7)} s ${((100 * v) / (all - idle)).toFixed(1).padStart(5)} %  ${k}`);
