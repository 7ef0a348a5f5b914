// parse vs. a bare cheerio.load of the same page: the floor for any cheerio-based parser.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as cheerio from "cheerio";
import { parseReport } from "../dist/index.js";

export const name = "parse: one 60 KB report page vs cheerio.load";

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
    lines.push(`  cheerio.load (htmlparser2, as parse)    ${tLoadH2.toFixed(3)} ms`);
    lines.push(`  parseReport (bytes → checked record)    ${tParse.toFixed(3)} ms`);
    lines.push(`  ratio to default cheerio.load           ${(tParse / tLoad).toFixed(2)} ×`);
    lines.push(`  ratio to the same-backend load          ${(tParse / tLoadH2).toFixed(2)} ×  (the parser's own work on top of the DOM)`);
  }
  return lines;
}
