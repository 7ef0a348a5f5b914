// parse vs. a bare cheerio.load of the same page: the floor for any cheerio-based parser.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as cheerio from "cheerio";
import { fetch } from "undici";
import { parseReport } from "../dist/index.js";
import { startSyntheticPortal } from "../dist/crawl/synthetic-portal.js";
import { parsePage } from "../dist/pipeline.js";

export const name = "parse: one 60 KB report page vs cheerio.load; the crawl's chrome-padded pages as the parse worker parses them";

const here = dirname(fileURLToPath(import.meta.url));

function time(fn, minMs = 1500) {
  // Warm up, then run batches until minMs has passed; report the median of batch means.
  for (let i = 0; i < 30; i++) fn();
  const means = [];
  const start = performance.now();
  while (performance.now() - start < minMs) {
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) fn();
    means.push((performance.now() - t0) / 20);
  }
  means.sort((a, b) => a - b);
  return means[Math.floor(means.length / 2)];
}

export async function run() {
  const lines = [];
  // First, before the cheerio.load timings below leave their garbage in this heap: the crawl
  // bench's report pages (the sample reports padded with ~30 KB of portal chrome), parsed
  // as the crawl's parse worker does (provenance, the list link's title as hint). For where the
  // time goes, bench/parse-profile.mjs parses them in a worker under a CPU profile.
  const portal = await startSyntheticPortal({ reports: 3, perPage: 50, chromeBytes: 30_000 });
  const padded = [];
  try {
    for (let i = 0; i < 3; i++) {
      const year = 2019 + i;
      const url = `${portal.origin}/zfxxgk/zfxxgknb/${year + 1}01/t${year + 1}0120_${i + 1}.html`;
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url}: ${res.status}`);
      padded.push({ url, body: new Uint8Array(await res.arrayBuffer()), contentType: res.headers.get("content-type"), titleHint: `合成市第${i + 1}局${year}年政府信息公开工作年度报告` });
    }
  } finally {
    await portal.close();
  }
  let k = 0;
  const tPadded = time(() => {
    const p = padded[k++ % padded.length];
    parsePage(p.body, { sourceUrl: p.url, contentType: p.contentType, provenance: true, titleHint: p.titleHint });
  });
  const kb = padded.reduce((a, p) => a + p.body.length, 0) / padded.length / 1024;
  lines.push(`crawl bench report pages (sample reports + ~30 KB portal chrome): ${kb.toFixed(1)} KB on average`);
  lines.push(`  parsePage as the crawl's parse worker    ${tPadded.toFixed(3)} ms/page`);
  const pages = [
    ["synthetic 2021 page, Word markup + chrome", join(here, "..", "fixtures", "bench", "report-60k.html")],
    ["real TRS page (平潭 2024, chrome kept)", join(here, "..", "fixtures", "reports", "html-2021-pingtan-zrz", "input.html")],
  ];
  for (const [label, file] of pages) {
    const bytes = new Uint8Array(readFileSync(file));
    const text = new TextDecoder().decode(bytes);
    const tLoad = time(() => cheerio.load(text));
    const tLoadH2 = time(() => cheerio.load(text, { xml: { xmlMode: false, decodeEntities: true } }));
    const tParse = time(() => parseReport(bytes));
    lines.push(`${label}: ${(bytes.length / 1024).toFixed(1)} KB`);
    lines.push(`  cheerio.load (default, parse5)          ${tLoad.toFixed(3)} ms`);
    lines.push(`  cheerio.load (htmlparser2, parse's DOM) ${tLoadH2.toFixed(3)} ms`);
    lines.push(`  parseReport (bytes → checked record)    ${tParse.toFixed(3)} ms`);
    lines.push(`  ratio to default cheerio.load           ${(tParse / tLoad).toFixed(2)} ×`);
    lines.push(`  ratio to the same-backend load          ${(tParse / tLoadH2).toFixed(2)} ×  (the parser's own work on top of the DOM)`);
  }
  return lines;
}
