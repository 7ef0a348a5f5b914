// How much one machine holds: `nianbao crawl` of a generated portal of 100,000 real-sized report
// pages (NIANBAO_CAPACITY_REPORTS to change) into one database, politeness off, concurrency 16, as
// in bench/crawl.bench.mjs. Prints, every 10,000 reports, the ingest rate so far and the database
// size (file and write-ahead log) and the crawl's RSS (Linux); at the end, the query time of the contract views and of a search on the full database.
// Run it with `npm run bench:capacity` (it takes a while: about reports ÷ crawl rate).
// NIANBAO_CAPACITY_DB=<file> keeps the database there (default: a temporary folder, removed after).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

const root = fileURLToPath(new URL("..", import.meta.url));
const reports = Number(process.env.NIANBAO_CAPACITY_REPORTS ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), "nianbao-capacity-"));
const dbPath = process.env.NIANBAO_CAPACITY_DB ?? join(dir, "capacity.db");
const sizeOf = (p) => ["", "-wal"].reduce((n, s) => n + (existsSync(p + s) ? statSync(p + s).size : 0), 0);
const mb = (b) => `${(b / 1048576).toFixed(0)} MB`;

const portal = spawn(process.execPath, [join(root, "bench/portal-child.mjs"), String(reports), "50", "30000"], { stdio: ["pipe", "pipe", "inherit"] });
const info = JSON.parse(await new Promise((resolve) => createInterface({ input: portal.stdout }).once("line", resolve)));
writeFileSync(join(dir, "sources.json"), JSON.stringify(info.sources));
console.log(`portal: ${info.pages} pages (${reports} report pages of ~40 KB); database ${dbPath}`);

const t0 = performance.now();
const crawl = spawn(process.execPath, [join(root, "dist/cli/bin.js"), "crawl", "--sources", join(dir, "sources.json"), "--db", dbPath, "--delay-ms", "0", "--per-host", "16", "--concurrency", "16", "--contact", "bench", "--quiet", "--json"], { stdio: ["ignore", "ignore", "inherit"] });
let reader = null;
let next = 10_000;
let peak = 0;
const rssOf = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
  } catch {
    return 0; // not Linux, or the process has exited
  }
};
const sampler = setInterval(() => (peak = Math.max(peak, rssOf(crawl.pid))), 200);
const timer = setInterval(() => {
  try {
    reader ??= existsSync(dbPath) ? new Database(dbPath, { readonly: true, fileMustExist: true }) : null;
    const n = reader?.prepare("SELECT count(*) FROM reports").pluck().get() ?? 0;
    if (n >= next) {
      const secs = (performance.now() - t0) / 1000;
      console.log(`${n} reports after ${secs.toFixed(0)} s: ${(n / secs).toFixed(0)} reports/s so far, database ${mb(sizeOf(dbPath))} (${(sizeOf(dbPath) / n / 1024).toFixed(1)} KB per report), crawl RSS ${mb(rssOf(crawl.pid))} (peak so far ${mb(peak)})`);
      while (next <= n) next += 10_000;
    }
  } catch {
    /* busy: next time */
  }
}, 2000);
const code = await new Promise((resolve) => crawl.on("exit", resolve));
clearInterval(timer);
clearInterval(sampler);
reader?.close();
const secs = (performance.now() - t0) / 1000;
portal.kill("SIGTERM");

// Fold the write-ahead log into the file, so its size is the database's.
const rw = new Database(dbPath);
rw.pragma("wal_checkpoint(TRUNCATE)");
rw.close();
const db = new Database(dbPath, { readonly: true });
const count = db.prepare("SELECT count(*) FROM reports").pluck().get();
console.log(`crawl exited ${code}: ${count} reports in ${secs.toFixed(0)} s → ${(count / secs).toFixed(0)} reports/s; database ${mb(sizeOf(dbPath))}, ${(sizeOf(dbPath) / count / 1024).toFixed(1)} KB per report; crawl peak RSS ${mb(peak)}`);
const sizes = db.prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 6").all();
console.log(`largest tables: ${sizes.map((s) => `${s.name} ${mb(s.bytes)}`).join(", ")}`);
// A body and a report from the middle of the crawl.
// (The generated bodies are 合成市第N局; past N = 999 the name is refused as no body's, so those reports have no agency.)
const named = db.prepare("SELECT count(*) FROM reports WHERE agency IS NOT NULL").pluck().get();
const agency = db.prepare("SELECT agency FROM reports WHERE agency IS NOT NULL ORDER BY id LIMIT 1 OFFSET ?").pluck().get(Math.floor(named / 2));
const time = (label, sql, ...params) => {
  const t = performance.now();
  const rows = db.prepare(sql).all(...params);
  console.log(`  ${label}: ${(performance.now() - t).toFixed(0)} ms (${rows.length} rows)`);
};
console.log("query times (one run each, cold cache after the crawl):");
time("reports_latest, all", "SELECT * FROM reports_latest");
time("reports_latest, one agency", "SELECT * FROM reports_latest WHERE agency = ?", agency);
time("applications of one year, latest versions", "SELECT a.* FROM applications a JOIN reports_latest l USING (report_id) WHERE l.year = 2021");
time("applications of one report", "SELECT * FROM applications WHERE report_id = ?", Math.floor(count / 2));
time("active_disclosure sums by year, item and metric", "SELECT l.year, a.item, a.metric, sum(a.value) FROM active_disclosure a JOIN reports_latest l USING (report_id) GROUP BY 1, 2, 3");
time("review_litigation of one agency", "SELECT r.* FROM review_litigation r JOIN reports_latest l USING (report_id) WHERE l.agency = ?", agency);
time("report_issues, errors", "SELECT * FROM report_issues WHERE severity = 'error'");
time("search 信息处理费 (FTS5 trigram), 20 hits", "SELECT rowid FROM report_text WHERE report_text MATCH '\"信息处理费\"' LIMIT 20");
db.close();
if (!process.env.NIANBAO_CAPACITY_DB) rmSync(dir, { recursive: true, force: true });
