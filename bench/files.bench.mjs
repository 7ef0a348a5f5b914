// Report files: parseReport on PDFs (ms per page) and DOCX/DOC (ms per file), beside pdf.js's own
// getTextContent over the same PDF (the floor for any pdf.js-based reader: it does not even look at
// the drawing operators, the tables' rules).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { parseReport } from "../dist/index.js";

export const name = "files: parseReport on PDF / DOCX / DOC vs pdf.js getTextContent";

const here = dirname(fileURLToPath(import.meta.url));
const conv = join(here, "..", "fixtures", "files", "converted");

async function median(fn, runs) {
  await fn();
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

async function textOnly(bytes) {
  const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false, disableFontFace: true }).promise;
  for (let p = 1; p <= pdf.numPages; p++) await (await pdf.getPage(p)).getTextContent();
  const n = pdf.numPages;
  await pdf.destroy();
  return n;
}

export async function run() {
  const lines = ["| file | pages | parseReport ms/page | getTextContent ms/page |", "|---|---|---|---|"];
  for (const [label, file] of [
    ["平潭 2024, LibreOffice PDF", join(conv, "html-2021-pingtan-zrz", "lo.pdf")],
    ["synthetic 2021, LibreOffice PDF", join(conv, "syn-html-2021-number-forms", "lo.pdf")],
    ["synthetic 2021, Chromium PDF", join(conv, "syn-html-2021-number-forms", "chromium.pdf")],
  ]) {
    const bytes = readFileSync(file);
    const pages = await textOnly(bytes);
    const ours = await median(() => parseReport(bytes), 7);
    const floor = await median(() => textOnly(bytes), 7);
    lines.push(`| ${label} | ${pages} | ${(ours / pages).toFixed(1)} | ${(floor / pages).toFixed(1)} |`);
  }
  lines.push("", "| file | parseReport ms/file |", "|---|---|");
  for (const [label, file] of [
    ["平潭 2024, DOCX", join(conv, "html-2021-pingtan-zrz", "lo.docx")],
    ["平潭 2024, DOC", join(conv, "html-2021-pingtan-zrz", "lo.doc")],
    ["synthetic 2021, DOCX", join(conv, "syn-html-2021-number-forms", "lo.docx")],
  ]) {
    const bytes = readFileSync(file);
    lines.push(`| ${label} | ${(await median(() => parseReport(bytes), 15)).toFixed(1)} |`);
  }
  return lines;
}
