// Store-side ingest throughput: how many reports per second createReportSink(db).ingest() stores,
// with realistic records and page bodies. The parser is replaced by a lookup of prebuilt records,
// so the number measures the store, not the parser. Writes to a real WAL database file in a temp
// directory. Three numbers per page kind:
// - store: sink.ingest() with the search index deferred (indexEvery: 0): hash, compress, one
//   transaction per page with the page, report, values, issues;
// - search index: indexPending() over those reports (decompress, extract text, FTS5 trigram, in
//   batches of 256), reports/s;
// - end to end: sink.ingest() with its default batching, then flush(): what `nianbao ingest` does.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { openDb } from "../dist/store/db.js";
import { createReportSink } from "../dist/store/sink.js";

export const name = "ingest (store side: prebuilt records, real page-sized bodies)";

const COLS = ["natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total"];
const COMMON = ["new_received", "carried_over", "granted", "partially_granted", "denied_state_secret", "denied_law_prohibited", "denied_three_safeties", "denied_third_party", "denied_internal_affairs", "denied_process_info", "denied_enforcement_files", "denied_admin_query", "unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear", "rejected_petition", "rejected_duplicate", "rejected_publication", "rejected_excessive", "rejected_confirmation"];
const ROWS = { 2019: [...COMMON, "other", "total", "carried_forward"], 2021: [...COMMON, "other_no_correction", "other_unpaid_fee", "other_other", "total", "carried_forward"] };
const ACTIVE = {
  2019: { rules: ["made", "published", "total"], normative_docs: ["made", "published", "total"], licensing: ["previous", "change", "decisions"], other_services: ["previous", "change", "decisions"], penalty: ["previous", "change", "decisions"], coercion: ["previous", "change", "decisions"], fees: ["previous", "change"], procurement: ["projects", "amount"] },
  2021: { rules: ["issued", "repealed", "in_force"], normative_docs: ["issued", "repealed", "in_force"], licensing: ["decisions"], penalty: ["decisions"], coercion: ["decisions"], fees: ["amount"] },
};
const GROUPS = ["review", "litigation_direct", "litigation_after_review"];
const OUTCOMES = ["upheld", "corrected", "other", "pending", "total"];
// Common characters of these reports, so generated text compresses and indexes like real text.
const HANZI = "政府信息公开工作年度报告本机关依申请主动处理费行政复议诉讼规章规范性文件的了是在和有按照条例要求进一步加强管理平台建设监督保障情况存在问题改进措施年月日市区县局办公室人民财政教育卫生健康自然资源生态环境交通运输农业农村水利商务文化旅游应急统计审计税务市场监督住房城乡发展改革委员会公安司法民政人力社会保障";

let seed = 42;
const rand = (n) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
// Words of 2–4 characters drawn with a skewed (Zipf-like) frequency, as in real prose: uniform
// random characters would make every trigram unique and the search index unrealistically costly.
const WORDS = Array.from({ length: 1500 }, (_, i) => Array.from({ length: 2 + (i % 3) }, (_, k) => HANZI[(i * 7 + k * 13 + ((i * k) % 11)) % HANZI.length]).join(""));
const word = () => WORDS[Math.floor(WORDS.length * Math.pow(rand(1_000_000) / 1_000_000, 3))];
const text = (chars) => {
  let s = "";
  while (s.length < chars) s += rand(8) === 0 ? "，" : rand(25) === 0 ? "。" : word();
  return s;
};

function record(i) {
  const template = i % 2 ? "2021" : "2019";
  const year = template === "2021" ? 2021 + (i % 4) : 2019 + (i % 2);
  const agency = `测试市第${i}局`;
  const r = { title: `${agency}${year}年政府信息公开工作年度报告`, agency, year, template, publishedAt: `${year + 1}-01-20`, sourceUrl: `http://example.gov.cn/${i}.html`, active: {}, applications: {}, reviewLitigation: {}, units: {}, incomplete: false, issues: [], parserVersion: "bench", provenance: {} };
  const put = (field, row, col, v, table, ri, ci) => {
    (r[field][row] ??= {})[col] = v;
    r.provenance[`${field}.${row}.${col}`] = { table, row: ri, col: ci, raw: v === null ? "—" : String(v), source: "html" };
  };
  Object.entries(ACTIVE[template]).forEach(([item, ms], ri) => ms.forEach((m, ci) => put("active", item, m, item === "fees" ? rand(10000) / 100 : rand(300), 1, ri + 2, ci + 1)));
  r.units[template === "2021" ? "active.fees.amount" : "active.procurement.amount"] = "万元";
  ROWS[template].forEach((row, ri) => COLS.forEach((c, ci) => put("applications", row, c, rand(20) === 0 ? null : rand(50), 2, ri + 3, ci + 3)));
  GROUPS.forEach((g, gi) => OUTCOMES.forEach((o, oi) => put("reviewLitigation", g, o, rand(3), 3, 3, gi * 5 + oi)));
  for (let k = 0; k < 1 + (i % 3); k++) r.issues.push({ code: "identity.applications.balance", severity: "error", message: `自然人列：一加二（${k + 10}）不等于三（七）总计加四（${k + 9}）`, paths: ["applications.total.natural_person"], expected: k + 10, actual: k + 9, identity: "applications.balance" });
  return r;
}

/** An HTML page like a CMS article: chrome (menus, scripts), narrative, and the three tables. */
function htmlPage(r) {
  const nav = Array.from({ length: 60 }, (_, k) => `<li><a href="/col/col${k}/index.html">${text(6)}</a></li>`).join("");
  const table = (rows) => `<table border="1">${Object.entries(rows).map(([k, cols]) => `<tr><td>${k}</td>${Object.values(cols).map((v) => `<td>${v ?? "—"}</td>`).join("")}</tr>`).join("")}</table>`;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${r.title}</title><script>var cfg={site:"${text(20)}"};function x(){return 1}</script><style>.a{color:red}</style></head><body><ul class="nav">${nav}</ul><div class="TRS_Editor"><h1>${r.title}</h1><p>${text(1000)}</p><p>${text(800)}</p>${table(r.active)}${table(r.applications)}${table(r.reviewLitigation)}<p>${text(600)}</p></div><div class="footer">${text(150)}</div></body></html>`;
}

/** A pipe-flattened text page (the seed's layout): no chrome, tables as `cell |` lines. */
function textPage(r) {
  const rows = (m) => Object.entries(m).map(([k, cols]) => `${k} |\n${Object.values(cols).map((v) => `${v ?? ""} |`).join("\n")}`).join("\n");
  return `${r.title}\n${text(1800)}\n${rows(r.active)}\n${rows(r.applications)}\n${rows(r.reviewLitigation)}\n${text(600)}\n`;
}

function pages(makeBody, n) {
  const records = Array.from({ length: n }, (_, i) => record(i));
  const bodies = records.map((r) => new TextEncoder().encode(makeBody(r)));
  const values = records.reduce((s, r) => s + [r.active, r.applications, r.reviewLitigation].reduce((t, m) => t + Object.values(m).reduce((u, c) => u + Object.keys(c).length, 0), 0), 0);
  return { records, bodies, values, kb: bodies.reduce((s, b) => s + b.byteLength, 0) / n / 1024 };
}

/** Ingest the pages into a fresh database; returns seconds for the ingest loop and for flush(). */
function ingestAll({ records, bodies }, indexEvery) {
  const dir = mkdtempSync(join(tmpdir(), "nianbao-bench-"));
  try {
    const db = openDb(join(dir, "bench.db"));
    const byBody = new Map(bodies.map((b, i) => [b, records[i]]));
    const sink = createReportSink(db, { parse: (body) => byBody.get(body), indexEvery });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < bodies.length; i++) {
      const url = `http://example.gov.cn/${i}.html`;
      sink.ingest({ url, finalUrl: url, fetchedAt: new Date().toISOString(), status: 200, headers: { "content-type": "text/html; charset=utf-8" }, encoding: null, body: bodies[i] });
    }
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    sink.flush();
    const t2 = performance.now();
    const c2 = process.cpuUsage(c0);
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    const cpu = (c) => (c.user + c.system) / 1e6;
    return { ingest: (t1 - t0) / 1000, flush: (t2 - t1) / 1000, ingestCpu: cpu(c1), flushCpu: cpu(c2) - cpu(c1), size: statSync(join(dir, "bench.db")).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measure(label, makeBody, n) {
  const p = pages(makeBody, n);
  const deferred = ingestAll(p, 0);
  const full = ingestAll(p, 256);
  const rate = (secs) => Math.round(n / secs).toLocaleString("en").padStart(6);
  // Wall-clock rates are what a user sees; per CPU-second rates show the work itself when other
  // processes compete for the CPU (the load average is printed with the results).
  const both = (wall, cpu) => `${rate(wall)} reports/s (${rate(cpu).trim()} per CPU-second)`;
  return [
    `${label}: ${n} reports, ${p.kb.toFixed(0)} KB page, ${(p.values / n).toFixed(0)} values + ~2 issues each, database ${(deferred.size / n / 1024).toFixed(1)} KB per report`,
    `  store (page, report, values, issues; 1 transaction per page): ${both(deferred.ingest, deferred.ingestCpu)}`,
    `  search index (trigram FTS5, batches of 256):                  ${both(deferred.flush, deferred.flushCpu)}`,
    `  end to end (store + index, what nianbao ingest does):         ${both(full.ingest + full.flush, full.ingestCpu + full.flushCpu)}`,
  ];
}

export async function run() {
  const n = Number(process.env.BENCH_REPORTS ?? 2000);
  const load = loadavg()[0].toFixed(1);
  const lines = [...measure("HTML pages", htmlPage, n), ...measure("pipe-text pages", textPage, n)];
  lines.push(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (includes the ${n} prebuilt pages and records held in memory)`);
  lines.push(`load average at start ${load} on ${cpus().length} CPUs; aim: ≥ 2,000 reports/s (store)`);
  return lines;
}
