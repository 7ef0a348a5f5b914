// Profiling driver for the crawl's parse worker: parses chrome-padded report pages (the crawl
// bench's pages: the sample portal's reports padded with ~30 KB of portal chrome) N times in one
// worker thread with the crawl pool's resource limits, and prints CPU ms per page.
// Usage: node [--cpu-prof --cpu-prof-dir=<dir>] bench/parse-profile.mjs [pages = 2000] [youngMb = 48]
// (summarise the worker's profile with bench/profile-summary.mjs).
// NIANBAO_PARSE_DUMP=<file> writes each distinct page's parse result as JSON lines (to compare
// outputs before and after a change). NIANBAO_PARSE_HEAP=<file> writes a sampled allocation profile
// of the timed parses (collected objects included: what the garbage collector has to clear).
import { writeFileSync } from "node:fs";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

if (isMainThread) {
  const n = Number(process.argv[2] ?? 2000);
  const youngMb = Number(process.argv[3] ?? 48);
  const { startSyntheticPortal } = await import("../dist/crawl/synthetic-portal.js");
  const { fetch } = await import("undici");
  const portal = await startSyntheticPortal({ reports: 60, perPage: 50, chromeBytes: 30_000 });
  const pages = [];
  for (let i = 0; i < 60; i++) {
    const year = 2019 + (i % 5);
    const url = `${portal.origin}/zfxxgk/zfxxgknb/${year + 1}01/t${year + 1}0120_${i + 1}.html`;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    pages.push({ url, body: new Uint8Array(await res.arrayBuffer()), contentType: res.headers.get("content-type"), titleHint: `合成市第${i + 1}局${year}年政府信息公开工作年度报告` });
  }
  await portal.close();
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { pages, n, dump: process.env.NIANBAO_PARSE_DUMP ?? null, heap: process.env.NIANBAO_PARSE_HEAP ?? null },
    resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: youngMb },
  });
  const result = await new Promise((ok, fail) => {
    worker.once("message", ok);
    worker.once("error", fail);
  });
  await worker.terminate();
  const kb = pages.reduce((s, p) => s + p.body.length, 0) / pages.length / 1024;
  console.log(JSON.stringify(result.gc.kinds));
  console.log(`${n} pages of ${kb.toFixed(1)} KB, young generation ${youngMb} MB: ${(result.wallMs / n).toFixed(3)} ms/page wall, ${(result.cpuMs / n).toFixed(3)} ms/page CPU (incl. V8 helper threads); GC ${result.gc.scavenges} scavenges (${(result.gc.scavengeMs / n).toFixed(3)} ms/page) + ${result.gc.other} other, ${(result.gc.ms / n).toFixed(3)} ms/page (${((100 * result.gc.ms) / result.wallMs).toFixed(1)} % of wall); process RSS after ${(result.rss / 1048576).toFixed(0)} MB`);
} else {
  const { parsePage } = await import("../dist/pipeline.js");
  const { pages, n, dump, heap } = workerData;
  const parse = (p) => parsePage(p.body, { sourceUrl: p.url, contentType: p.contentType, provenance: true, titleHint: p.titleHint });
  if (dump) writeFileSync(dump, pages.map((p) => JSON.stringify(parse(p))).join("\n") + "\n");
  for (let i = 0; i < 100; i++) parse(pages[i % pages.length]);
  // Collections of this thread while timing: their count at a fixed young-generation size follows
  // the bytes allocated (steady under load), their time is the GC share.
  const { PerformanceObserver } = await import("node:perf_hooks");
  const gc = { scavenges: 0, other: 0, ms: 0, scavengeMs: 0, kinds: {} };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.detail?.kind === 1) {
        gc.scavenges++;
        gc.scavengeMs += e.duration;
      } else {
        gc.other++;
        gc.kinds[e.detail?.kind] = (gc.kinds[e.detail?.kind] ?? 0) + e.duration;
      }
      gc.ms += e.duration;
    }
  });
  // CPU is the process's (user + system) while only this thread works: parsing plus V8's helper threads.
  let session = null;
  if (heap) {
    const { Session } = await import("node:inspector/promises");
    session = new Session();
    session.connect();
    await session.post("HeapProfiler.startSampling", { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }
  const c0 = process.cpuUsage();
  obs.observe({ entryTypes: ["gc"] });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) parse(pages[i % pages.length]);
  const wallMs = performance.now() - t0;
  const rss = process.memoryUsage().rss;
  const cpu = process.cpuUsage(c0);
  if (session) writeFileSync(heap, JSON.stringify((await session.post("HeapProfiler.stopSampling")).profile));
  await new Promise((ok) => setTimeout(ok, 50));
  obs.disconnect();
  parentPort.postMessage({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000, gc, rss });
}
