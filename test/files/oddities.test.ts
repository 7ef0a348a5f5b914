/**
 * What real published files do, as hand-made cases (fixtures/files/oddities.mjs writes them), and
 * files that must be refused with a one-line reason: never a crash or a memory blow-up.
 */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isNianbaoError } from "../../src/errors.js";
import { sniffFile } from "../../src/parse/files.js";
import { extractAny, parseReport, parseReportAsync } from "../../src/pipeline.js";
import type { ReportRecord } from "../../src/schema/record.js";
import { runCli } from "../cli/io.js";

const DIR = join(import.meta.dirname, "..", "..", "fixtures", "files", "oddities");
const read = (f: string) => readFileSync(join(DIR, f));
const errors = (r: ReportRecord) => r.issues.filter((i) => i.severity === "error");

/** What the generator put in every report: 4 applications (3 people, 1 business), 3 granted, 1 无法提供. */
function expectReportValues(r: ReportRecord) {
  expect(r.title).toBe("某县农业农村局2023年政府信息公开工作年度报告");
  expect(r.agency).toBe("某县农业农村局");
  expect(r.year).toBe(2023);
  expect(r.publishedAt).toBe("2024-01-20");
  expect(r.template).toBe("2021");
  expect(r.active["normative_docs"]).toEqual({ issued: 1, repealed: 0, in_force: 5 });
  expect(r.active["licensing"]).toEqual({ decisions: 12 });
  expect(r.active["penalty"]).toEqual({ decisions: 7 });
  const row = (n: number, c: number, t: number) => ({ natural_person: n, commercial: c, research: 0, social_org: 0, legal_service: 0, other_org: 0, total: t });
  const zero = row(0, 0, 0);
  expect(r.applications["new_received"]).toEqual(row(3, 1, 4));
  expect(r.applications["carried_over"]).toEqual(zero);
  expect(r.applications["granted"]).toEqual(row(2, 1, 3));
  expect(r.applications["unavailable_not_held"]).toEqual(row(1, 0, 1));
  expect(r.applications["rejected_excessive"]).toEqual(zero);
  expect(r.applications["other_unpaid_fee"]).toEqual(zero);
  expect(r.applications["total"]).toEqual(row(3, 1, 4));
  expect(r.applications["carried_forward"]).toEqual(zero);
  expect(r.reviewLitigation["review"]).toEqual({ upheld: 1, corrected: 0, other: 0, pending: 0, total: 1 });
  expect(Object.keys(r.applications).length).toBe(25);
}

describe("hand-made oddities read like their Word source", () => {
  for (const name of ["split-repeated-header", "split-no-header", "wrapped-vertical"]) {
    for (const ext of ["docx", "pdf"]) {
      it(`${name}.${ext}`, () => {
        const r = parseReport(read(`${name}.${ext}`), { provenance: true });
        expectReportValues(r);
        expect(errors(r)).toEqual([]);
      });
    }
  }

  it("a .doc (Word 97 binary) keeps its table cells", () => {
    const r = parseReport(read("report.doc"));
    expectReportValues(r);
    expect(errors(r)).toEqual([]);
  });

  it("a table across pages is one table: rows after the break keep their group, the repeated header is not a row", async () => {
    for (const f of ["split-repeated-header.pdf", "split-no-header.pdf"]) {
      const doc = await extractAny(read(f));
      const tables = doc.blocks.filter((b) => b.kind === "table");
      // 表二, 表三, 表四: 表三 runs over the page break but stays one grid.
      expect(tables.length).toBe(3);
      const t3 = tables[1]!.kind === "table" ? tables[1]!.grid : null;
      const pages = new Set(t3!.rows.flat().map((c) => c.page));
      expect([...pages].length).toBeGreaterThan(1);
      const headerTexts = t3!.rows.flat().filter((c) => c.text === "申请人情况");
      expect(headerTexts.length).toBe(1);
    }
  });

  it("page numbers in the footer (- 2 -) are never cells or lines", async () => {
    const doc = await extractAny(read("split-no-header.pdf"));
    expect(doc.text).not.toMatch(/^-\s*\d+\s*-$/m);
    for (const b of doc.blocks) if (b.kind === "table") for (const c of b.grid.rows.flat()) expect(c.text).not.toMatch(/^-\s*\d+\s*-$/);
  });

  it("a vertical 三、本年度办理结果 is one label", async () => {
    const doc = await extractAny(read("wrapped-vertical.pdf"));
    const cells = doc.blocks.flatMap((b) => (b.kind === "table" ? b.grid.rows.flat() : []));
    expect(cells.some((c) => c.text.replace(/\s/g, "") === "三、本年度办理结果")).toBe(true);
  });

  it("PDF provenance gives the page and the cell's box", () => {
    const r = parseReport(read("split-no-header.pdf"), { provenance: true });
    const p = r.provenance!["applications.total.total"]!;
    expect(p.source).toBe("pdf");
    expect(p.raw).toBe("4");
    expect(p.page).toBe(2);
    const [x0, y0, x1, y1] = p.box!;
    expect(x1).toBeGreaterThan(x0);
    expect(y1).toBeGreaterThan(y0);
  });

  it("a 2021 report printing （六）其他处理 as one row: the three (六) rows are null and reported, not guessed", () => {
    for (const f of ["mixed-format.docx", "mixed-format.pdf"]) {
      const r = parseReport(read(f));
      expect(r.applications["other_other"]?.["total"] ?? null).toBeNull();
      const missing = errors(r).filter((i) => i.code === "row.missing").flatMap((i) => i.paths);
      expect(missing.some((p) => p.startsWith("applications.other_other"))).toBe(true);
      expect(r.applications["new_received"]?.["total"]).toBe(4);
    }
  });

  it("parseReportAsync gives the same record as parseReport", async () => {
    const bytes = read("split-repeated-header.pdf");
    expect(await parseReportAsync(bytes)).toEqual(parseReport(bytes));
  });
});

describe("files that are refused with their reason", () => {
  const refused: [string, RegExp][] = [
    ["scan.pdf", /scanned PDF: no text layer/],
    ["table-images.pdf", /the tables are images/],
    ["no-tables.pdf", /no annual-report tables found/],
    ["no-tables.docx", /no annual-report tables found/],
    ["encrypted.pdf", /the PDF is encrypted/],
    ["truncated.pdf", /a damaged PDF/],
    ["300-pages.pdf", /300 pages, over the 120-page limit/],
    ["zip-bomb.docx", /zip bomb/],
    ["zip-bomb-lying.docx", /zip bomb/],
    ["corrupt.doc", /a damaged DOC\/WPS file/],
  ];
  for (const [file, reason] of refused) {
    it(`${file}: E_NOT_REPORT, ${reason.source}`, () => {
      let err: unknown = null;
      try {
        parseReport(read(file));
      } catch (e) {
        err = e;
      }
      expect(isNianbaoError(err) && err.code).toBe("E_NOT_REPORT");
      expect((err as Error).message).toMatch(reason);
      expect((err as Error).message).not.toContain("\n");
    });
  }

  it("the CLI prints one line and exits 2 for each", async () => {
    for (const [file, reason] of refused) {
      const r = await runCli(["parse", join(DIR, file)]);
      expect(r.code, file).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(reason);
    }
  });

  const tmp = mkdtempSync(join(tmpdir(), "nianbao-files-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  it("a PDF over the size limit (20 MB by default) is refused before it is read", async () => {
    const big = join(tmp, "big.pdf");
    const bytes = new Uint8Array(21 * 1024 * 1024);
    bytes.set(new TextEncoder().encode("%PDF-1.7\n"));
    writeFileSync(big, bytes);
    const r = await runCli(["parse", big]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/over the 20971520-byte limit/);
  });

  it("recognises files by their bytes, not their names", () => {
    expect(sniffFile(read("split-no-header.pdf"))).toBe("pdf");
    expect(sniffFile(read("split-no-header.docx"))).toBe("docx");
    expect(sniffFile(read("report.doc"))).toBe("doc");
    expect(sniffFile(new TextEncoder().encode("<html><body>%PDF-1.4</body></html>".padEnd(2000, " ")))).toBe(null);
    // A PDF saved under a .html name is still a PDF.
    const renamed = join(tmp, "report.html");
    writeFileSync(renamed, read("split-no-header.pdf"));
    expect(parseReport(readFileSync(renamed)).agency).toBe("某县农业农村局");
  });
});
