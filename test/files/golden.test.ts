/**
 * Files made from the project's own HTML fixtures (fixtures/files/convert.sh: LibreOffice's PDF,
 * DOCX and DOC, Chromium's PDF) must give exactly the values of their HTML, with no error the HTML
 * does not have.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseReportAsync } from "../../src/pipeline.js";
import type { ReportRecord } from "../../src/schema/record.js";

const ROOT = join(import.meta.dirname, "..", "..", "fixtures");
const CONVERTED = join(ROOT, "files", "converted");

function values(r: ReportRecord) {
  return { active: r.active, applications: r.applications, reviewLitigation: r.reviewLitigation, units: r.units };
}
const errors = (r: ReportRecord) => r.issues.filter((i) => i.severity === "error").map((i) => `${i.code} ${[...i.paths].sort().join(",")}`).sort();

const cases = readdirSync(CONVERTED).sort();

describe("converted files give the values of their HTML", () => {
  it("covers every HTML report fixture", () => {
    const html = readdirSync(join(ROOT, "reports")).filter((n) => !n.startsWith("syn-not-report") && readdirSync(join(ROOT, "reports", n)).includes("input.html"));
    expect(cases).toEqual(html.sort());
  });
  it("has every producer's file for every case", () => {
    for (const name of cases) expect(readdirSync(join(CONVERTED, name)).sort(), name).toEqual(["chromium.pdf", "lo.doc", "lo.docx", "lo.pdf"]);
  });
  for (const name of cases) {
    for (const file of readdirSync(join(CONVERTED, name)).sort()) {
      it(`${name}/${file}`, async () => {
        const html = await parseReportAsync(readFileSync(join(ROOT, "reports", name, "input.html")));
        const got = await parseReportAsync(readFileSync(join(CONVERTED, name, file)));
        expect(values(got)).toEqual(values(html));
        expect(got.template).toBe(html.template);
        expect(got.year).toBe(html.year);
        // The agency is the HTML's, or null with the issue that says so (LibreOffice reads the
        // GB2312 case's name, whose characters GB2312 lacks, as mojibake: the file no longer has it).
        if (got.agency !== html.agency) expect({ agency: got.agency, missing: got.issues.some((i) => i.code === "meta.agency_missing") }).toEqual({ agency: null, missing: true });
        expect(errors(got)).toEqual(errors(html));
      });
    }
  }
});
