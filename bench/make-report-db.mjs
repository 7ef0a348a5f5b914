// Make a database of N generated reports (default 10,000) for the HTML report's scale test:
//   npm run build && node bench/make-report-db.mjs --reports 10000 --out .bench/report-10k.db
// Bodies (agencies) in 12 regions, years 2019–2023 with gaps, both templates, arithmetic that holds
// except in ~4 % of reports (an identity issue) and ~3 % of carry-overs, some blank cells, and
// failed report links in the crawl frontier for some of the missing years. Stored through the real store (createReportSink),
// the parser replaced by a lookup of the prebuilt records, so the database is what a crawl makes.
// Deterministic: the same N gives the same database.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { openDb } from "../dist/store/db.js";
import { upsertSources } from "../dist/store/runs.js";
import { createReportSink } from "../dist/store/sink.js";

const DENIED = ["denied_state_secret", "denied_law_prohibited", "denied_three_safeties", "denied_third_party", "denied_internal_affairs", "denied_process_info", "denied_enforcement_files", "denied_admin_query"];
const UNAVAILABLE = ["unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear"];
const REJECTED = ["rejected_petition", "rejected_duplicate", "rejected_publication", "rejected_excessive", "rejected_confirmation"];
const OTHER = { 2019: ["other"], 2021: ["other_no_correction", "other_unpaid_fee", "other_other"] };
const ACTIVE = {
  2019: { rules: ["made", "published", "total"], normative_docs: ["made", "published", "total"], licensing: ["previous", "change", "decisions"], other_services: ["previous", "change", "decisions"], penalty: ["previous", "change", "decisions"], coercion: ["previous", "change", "decisions"], fees: ["previous", "change"], procurement: ["projects", "amount"] },
  2021: { rules: ["issued", "repealed", "in_force"], normative_docs: ["issued", "repealed", "in_force"], licensing: ["decisions"], penalty: ["decisions"], coercion: ["decisions"], fees: ["amount"] },
};
const REGIONS = ["北京市东城区", "上海市浦东新区", "广东省深圳市", "浙江省杭州市", "江苏省南京市", "四川省成都市", "湖北省武汉市", "山东省济南市", "内蒙古自治区乌海市", "福建省福州市", "陕西省西安市", "河南省郑州市"];
const DEPTS = ["财政局", "教育局", "卫生健康委员会", "自然资源局", "生态环境局", "交通运输局", "农业农村局", "水利局", "商务局", "文化和旅游局", "应急管理局", "统计局", "审计局", "市场监督管理局", "住房和城乡建设局", "发展和改革委员会", "公安局", "司法局", "民政局", "人力资源和社会保障局", "人民政府办公室"];
const YEARS = [2019, 2020, 2021, 2022, 2023];

// mulberry32: a small PRNG with good low and high bits (a plain LCG in doubles loses precision).
let seed = 20240101;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const rand = (n) => Math.floor(random() * n);
/** Skewed counts: most bodies receive a handful of requests, a few receive hundreds. */
const skewed = (max) => Math.floor(max * Math.pow(random(), 4));

/** Split `n` into `k` parts at random. */
function split(n, k) {
  const parts = new Array(k).fill(0);
  for (let i = 0; i < n; i++) parts[rand(k) === 0 ? 0 : rand(k)]++;
  return parts;
}

function record(body, year, carriedOver) {
  const template = year >= 2021 ? "2021" : "2019";
  const agency = body.name;
  const r = { title: `${agency}${year}年政府信息公开工作年度报告`, agency, year, template, publishedAt: `${year + 1}-01-20`, sourceUrl: `http://${body.host}/xxgk/ndbg/${year}.html`, active: {}, applications: {}, reviewLitigation: {}, units: {}, incomplete: false, issues: [], parserVersion: "bench" };
  const received = skewed(600);
  const carriedForward = rand(4) === 0 ? rand(Math.min(received, 5) + 1) : 0;
  const handled = received + carriedOver - carriedForward;
  const [granted, partially, denied, unavailable, rejected, other] = split(handled, 6);
  const rows = { new_received: received, carried_over: carriedOver, granted, partially_granted: partially };
  split(denied, DENIED.length).forEach((v, i) => (rows[DENIED[i]] = v));
  split(unavailable, UNAVAILABLE.length).forEach((v, i) => (rows[UNAVAILABLE[i]] = v));
  split(rejected, REJECTED.length).forEach((v, i) => (rows[REJECTED[i]] = v));
  split(other, OTHER[template].length).forEach((v, i) => (rows[OTHER[template][i]] = v));
  rows.total = handled;
  rows.carried_forward = carriedForward;
  for (const [row, total] of Object.entries(rows)) {
    // All requests from natural persons except a share from companies; the row total holds.
    const commercial = rand(5) === 0 ? Math.floor(total / 4) : 0;
    r.applications[row] = { natural_person: total - commercial, commercial, research: 0, social_org: 0, legal_service: 0, other_org: 0, total };
  }
  if (rand(40) === 0) r.applications.denied_third_party.total = null; // a blank cell
  for (const [item, metrics] of Object.entries(ACTIVE[template])) r.active[item] = Object.fromEntries(metrics.map((m) => [m, item === "fees" || m === "amount" ? rand(100000) / 100 : skewed(400)]));
  r.units[template === "2021" ? "active.fees.amount" : "active.procurement.amount"] = "万元";
  for (const g of ["review", "litigation_direct", "litigation_after_review"]) {
    const [upheld, corrected, other2, pending] = split(skewed(12), 4);
    r.reviewLitigation[g] = { upheld, corrected, other: other2, pending, total: upheld + corrected + other2 + pending };
  }
  if (rand(25) === 0) {
    // A misprinted total: the report breaks the balance identity and says so.
    r.applications.total.total = handled + 1 + rand(5);
    r.issues.push({ code: "identity.applications.balance", severity: "error", message: `总计列：一加二（${received + carriedOver}）不等于三（七）总计加四（${r.applications.total.total + carriedForward}）`, paths: ["applications.new_received.total", "applications.carried_over.total", "applications.total.total", "applications.carried_forward.total"], expected: received + carriedOver, actual: r.applications.total.total + carriedForward, identity: "applications.balance" });
  }
  return r;
}

export function makeReportDb(path, n = 10_000) {
  if (existsSync(path)) rmSync(path);
  mkdirSync(dirname(path), { recursive: true });
  const db = openDb(path);
  const bodies = [];
  for (let i = 0; bodies.length * 3.4 < n; i++) {
    const region = REGIONS[i % REGIONS.length];
    const dept = DEPTS[Math.floor(i / REGIONS.length) % DEPTS.length];
    const round = Math.floor(i / (REGIONS.length * DEPTS.length));
    bodies.push({ id: `b${i}`, name: `${region}${round ? `第${round + 1}` : ""}${dept}`, region, host: `b${i}.example.gov.cn` });
  }
  upsertSources(db, bodies.map((b) => ({ id: b.id, name: b.name, region: b.region, start: [`http://${b.host}/`], allowHosts: [b.host] })));
  const records = [];
  for (const b of bodies) {
    let carried = 0;
    for (const y of YEARS) {
      if (records.length >= n) break;
      if (rand(6) === 0) continue; // a year this body's report is missing
      const r = record(b, y, rand(30) === 0 ? carried + 1 + rand(3) : carried); // ~3 % carry-over mismatches
      carried = r.applications.carried_forward.total;
      records.push({ body: b, r });
      (b.stored ??= []).push(y);
    }
  }
  const sink = createReportSink(db, { parse: (body) => records[Number(new TextDecoder().decode(body).match(/data-i="(\d+)"/)[1])].r });
  records.forEach(({ body, r }, i) => {
    const url = r.sourceUrl;
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${r.title}</title></head><body data-i="${i}"><h1>${r.title}</h1><p>本报告依据《中华人民共和国政府信息公开条例》编制。</p></body></html>`;
    sink.ingest({ url, finalUrl: url, fetchedAt: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(), status: 200, headers: { "content-type": "text/html; charset=utf-8" }, encoding: null, body: new TextEncoder().encode(html), sourceId: body.id });
  });
  sink.flush();
  // Some bodies have a report link the crawler gave up on, for a year they have no report of.
  const failed = db.prepare(`INSERT INTO crawl_frontier (unique_key, url, host, kind, source_id, title, state, attempts, last_error, last_error_code, added_at, updated_at)
    VALUES (?, ?, ?, 'report', ?, ?, 'failed', 3, 'HTTP 404', 'E_FETCH_HTTP', '2024-01-01', '2024-01-01')`);
  db.transaction(() => {
    for (const b of bodies) {
      const missing = YEARS.find((y) => !(b.stored ?? []).includes(y));
      if (missing && rand(8) === 0) failed.run(`${b.host}/${missing}`, `http://${b.host}/xxgk/ndbg/${missing}.html`, b.host, b.id, `${b.name}${missing}年政府信息公开工作年度报告`);
    }
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return { reports: records.length, bodies: bodies.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { reports: { type: "string", default: "10000" }, out: { type: "string", default: ".bench/report-10k.db" } } });
  const t0 = performance.now();
  const made = makeReportDb(values.out, Number(values.reports));
  console.log(`${values.out}: ${made.reports} reports of ${made.bodies} bodies in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
