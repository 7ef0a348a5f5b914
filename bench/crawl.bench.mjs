// Crawl benchmark: `nianbao crawl` against Crawlee's CheerioCrawler, side by side in one run, on the
// same generated TRS-style portal on 127.0.0.1 (home → column → list pages with createPageHTML
// paging, 50 links each → report pages of real size: the sample reports padded with ~30 KB of portal
// chrome). Both crawl with politeness off at the same concurrency (16) and both are resumable: nianbao
// keeps its frontier in SQLite, Crawlee uses its default persistent request queue and dataset.
//
// Each crawler runs as its own process (the portal is a third one, as a real portal is another
// machine); wall time is from spawn to exit, CPU time (user + system, all threads) is sampled from
// /proc/<pid>/stat: on a shared machine CPU per report is steadier than the rate. The portal's own
// CPU during each crawl is printed beside it (it shares the machine's cores with the crawler). Peak RSS is sampled from /proc/<pid>/status (Linux),
// and RSS is noted as the stored reports pass 500, 1,000, 1,500 and 2,000 (flat = no growth).
//
// Environment: NIANBAO_BENCH_REPORTS (default 2000), NIANBAO_BENCH_RUNS (default 1; figures are
// printed per run, then min/median), NIANBAO_BENCH_CRAWLEE=0 to skip Crawlee, NIANBAO_BENCH_PROFILE=<dir>
// to write a CPU profile of the nianbao process (`node --cpu-prof`, summarised by
// bench/profile-summary.mjs), NIANBAO_BENCH_CACHE (where Crawlee is installed on first use; default
// node_modules/.cache/nianbao-bench-crawlee), NIANBAO_BENCH_BASELINE=<folder of another built nianbao,
// e.g. an older commit's src compiled there> to crawl with that build too, in the same run (before and
// after a change, side by side). Crawlee is not a dependency of nianbao: `npm ci` never
// installs it.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

export const name = "crawl: nianbao crawl vs Crawlee CheerioCrawler, same generated portal, concurrency 16";

const root = fileURLToPath(new URL("..", import.meta.url));
const CRAWLEE = "crawlee@3.18.1";
const CONCURRENCY = 16;

/** Install Crawlee into the cache folder unless it is there; null (with the reason) if that fails. */
function ensureCrawlee(cache) {
  if (existsSync(join(cache, "node_modules/crawlee/package.json"))) return { ok: true };
  try {
    execFileSync("npm", ["install", "--prefix", cache, "--no-audit", "--no-fund", "--no-save", CRAWLEE], { stdio: ["ignore", "ignore", "pipe"] });
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: String(e?.stderr ?? e?.message ?? e).split("\n").find((l) => l.trim()) ?? "npm install failed" };
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (Linux). */
function cpuOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = 100;

function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Run a crawler process; `count()` (or the child's "progress N" lines) says how many reports are
 * stored so far. Resolves with wall seconds, peak RSS and RSS at each 500 reports.
 */
function measure(cmd, args, { env, count } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    let peak = 0;
    let cpu = 0;
    let stored = 0;
    const marks = [];
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => {
      out += c;
      for (const m of c.toString().matchAll(/^progress (\d+)$/gm)) stored = Math.max(stored, Number(m[1]));
    });
    child.stderr.on("data", (c) => (err += c));
    let polls = 0;
    const timer = setInterval(() => {
      const rss = rssOf(child.pid);
      if (rss === null) return;
      peak = Math.max(peak, rss);
      cpu = cpuOf(child.pid) ?? cpu;
      if (count && ++polls % 5 === 0) stored = Math.max(stored, count());
      while (stored >= (marks.length + 1) * 500) marks.push(rss);
    }, 50);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(timer);
      const secs = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`${args.join(" ")} exited with ${code}: ${err.trim().split("\n").slice(-3).join(" | ")}`));
      resolve({ secs, peak, cpu, marks, out });
    });
  });
}

const mb = (b) => `${(b / 1048576).toFixed(0)} MB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

export async function run() {
  const reports = Number(process.env.NIANBAO_BENCH_REPORTS ?? 2000);
  const runs = Math.max(1, Number(process.env.NIANBAO_BENCH_RUNS ?? 1));
  const profileDir = process.env.NIANBAO_BENCH_PROFILE ?? null;
  const baseline = process.env.NIANBAO_BENCH_BASELINE ?? null;
  const cache = process.env.NIANBAO_BENCH_CACHE ?? join(root, "node_modules/.cache/nianbao-bench-crawlee");
  const lines = [];
  const crawlee = process.env.NIANBAO_BENCH_CRAWLEE === "0" ? { ok: false, reason: "NIANBAO_BENCH_CRAWLEE=0" } : ensureCrawlee(cache);
  if (!crawlee.ok) lines.push(`Crawlee skipped: ${crawlee.reason}`);

  const child = spawn(process.execPath, [join(root, "bench/portal-child.mjs"), String(reports), "50", "30000"], { stdio: ["pipe", "pipe", "inherit"] });
  const info = JSON.parse(
    await new Promise((resolve, reject) => {
      createInterface({ input: child.stdout }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`portal exited with ${code}`)));
    }),
  );
  const results = [];
  try {
    for (let r = 0; r < runs; r++) {
      const dir = mkdtempSync(join(tmpdir(), "nianbao-bench-"));
      try {
        const sources = join(dir, "sources.json");
        writeFileSync(sources, JSON.stringify(info.sources));
        const crawlWith = async (build, dbPath, profile) => {
          let reader = null;
          const count = () => {
            try {
              reader ??= existsSync(dbPath) ? new Database(dbPath, { readonly: true, fileMustExist: true }) : null;
              return reader ? reader.prepare("SELECT count(*) FROM reports").pluck().get() : 0;
            } catch {
              return 0;
            }
          };
          const nodeArgs = profile ? ["--cpu-prof", "--cpu-prof-dir", profile] : [];
          const args = [...nodeArgs, join(build, "dist/cli/bin.js"), "crawl", "--sources", sources, "--db", dbPath, "--delay-ms", "0", "--per-host", String(CONCURRENCY), "--concurrency", String(CONCURRENCY), "--contact", "bench", "--quiet", "--json"];
          const portal0 = cpuOf(child.pid);
          const nb = await measure(process.execPath, args, { count });
          nb.portalCpu = (cpuOf(child.pid) ?? 0) - (portal0 ?? 0);
          reader?.close();
          const db = new Database(dbPath, { readonly: true });
          const stored = db.prepare("SELECT count(*) FROM reports").pluck().get();
          const rejected = db.prepare("SELECT count(*) FROM rejections").pluck().get();
          const pages = db.prepare("SELECT count(*) FROM crawl_frontier WHERE state = 'done'").pluck().get();
          db.close();
          return { ...nb, reports: stored, rejected, pages, rate: stored / nb.secs };
        };
        const result = { nianbao: await crawlWith(root, join(dir, "bench.db"), profileDir), crawlee: null, baseline: null };
        if (baseline) result.baseline = await crawlWith(baseline, join(dir, "baseline.db"), null);
        if (crawlee.ok) {
          const storage = join(dir, "crawlee-storage");
          const portal0 = cpuOf(child.pid);
          const cw = await measure(process.execPath, [join(root, "bench/crawlee-child.mjs"), cache, storage, `${info.origin}/`, String(CONCURRENCY)]);
          cw.portalCpu = (cpuOf(child.pid) ?? 0) - (portal0 ?? 0);
          const last = JSON.parse(cw.out.trim().split("\n").pop());
          result.crawlee = { ...cw, reports: last.reports, failed: last.failed, rate: last.reports / cw.secs };
        }
        results.push(result);
        const n = result.nianbao;
        lines.push(`run ${r + 1}: portal ${info.pages} pages (${reports} reports of ~40 KB)`);
        lines.push(`  nianbao crawl: ${n.reports} reports stored (${n.rejected} rejected), ${n.pages} pages done in ${n.secs.toFixed(2)} s → ${n.rate.toFixed(0)} reports/s, CPU ${((1000 * n.cpu) / n.reports).toFixed(1)} ms/report (portal ${((1000 * n.portalCpu) / n.reports).toFixed(1)}), peak RSS ${mb(n.peak)}; RSS at 500/1,000/… reports: ${n.marks.map(mb).join(" / ")}`);
        const b = result.baseline;
        if (b) lines.push(`  baseline nianbao (${baseline}): ${b.reports} reports in ${b.secs.toFixed(2)} s → ${b.rate.toFixed(0)} reports/s, CPU ${((1000 * b.cpu) / b.reports).toFixed(1)} ms/report, peak RSS ${mb(b.peak)}`);
        const c = result.crawlee;
        if (c) {
          lines.push(`  Crawlee CheerioCrawler: ${c.reports} reports pushed (${c.failed} failed) in ${c.secs.toFixed(2)} s → ${c.rate.toFixed(0)} reports/s, CPU ${((1000 * c.cpu) / c.reports).toFixed(1)} ms/report (portal ${((1000 * c.portalCpu) / c.reports).toFixed(1)}), peak RSS ${mb(c.peak)}; RSS at 500/1,000/… reports: ${c.marks.map(mb).join(" / ")}`);
          lines.push(`  ratio: nianbao ${(n.rate / c.rate).toFixed(2)} × Crawlee's reports/s${b ? `; baseline ${(b.rate / c.rate).toFixed(2)} ×` : ""}`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await new Promise((r) => (child.once("exit", r), child.kill("SIGTERM")));
  }
  if (runs > 1) {
    const nb = results.map((x) => x.nianbao.rate);
    lines.push(`nianbao reports/s min/median: ${Math.min(...nb).toFixed(0)} / ${median(nb).toFixed(0)}; peak RSS max ${mb(Math.max(...results.map((x) => x.nianbao.peak)))}`);
    if (results[0].crawlee) {
      const cw = results.map((x) => x.crawlee.rate);
      const ratio = results.map((x) => x.nianbao.rate / x.crawlee.rate);
      lines.push(`Crawlee reports/s min/median: ${Math.min(...cw).toFixed(0)} / ${median(cw).toFixed(0)}; peak RSS max ${mb(Math.max(...results.map((x) => x.crawlee.peak)))}`);
      lines.push(`ratio min/median: ${Math.min(...ratio).toFixed(2)} / ${median(ratio).toFixed(2)}`);
      if (results[0].baseline) {
        const br = results.map((x) => x.baseline.rate / x.crawlee.rate);
        lines.push(`baseline ratio min/median: ${Math.min(...br).toFixed(2)} / ${median(br).toFixed(2)}`);
      }
    }
  }
  return lines;
}
