/**
 * Variants of one synthetic report found by fixtures/files/qa/variants.mjs to trip the PDF reader
 * (fixtures/files/qa/cases/<variant>/: the page and the files printed from it). Each file must give
 * exactly its page's values, agency and year, with no error the page does not have.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseReportAsync } from "../../src/pipeline.js";
import type { ReportRecord } from "../../src/schema/record.js";

const CASES = join(import.meta.dirname, "..", "..", "fixtures", "files", "qa", "cases");
const facts = (r: ReportRecord) => ({ active: r.active, applications: r.applications, reviewLitigation: r.reviewLitigation, agency: r.agency, year: r.year, template: r.template });
const errors = (r: ReportRecord) => r.issues.filter((i) => i.severity === "error").map((i) => `${i.code} ${[...i.paths].sort().join(",")}`).sort();

describe("QA variants give the values of their page", () => {
  for (const name of readdirSync(CASES).sort()) {
    for (const file of readdirSync(join(CASES, name)).filter((f) => f !== "page.html").sort()) {
      it(`${name}/${file}`, async () => {
        const html = await parseReportAsync(readFileSync(join(CASES, name, "page.html")));
        const got = await parseReportAsync(readFileSync(join(CASES, name, file)));
        expect(facts(got)).toEqual(facts(html));
        expect(errors(got)).toEqual(errors(html));
        expect(got.issues.filter((i) => i.code === "row.duplicate")).toEqual([]);
      });
    }
  }
});
