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
  it("covers every HTML report fixture but the mislabelled-encoding one", () => {
    const html = readdirSync(join(ROOT, "reports")).filter((n) => !n.startsWith("syn-not-report") && n !== "syn-html-2019-mislabelled" && readdirSync(join(ROOT, "reports", n)).includes("input.html"));
    expect(cases).toEqual(html.sort());
  });
  it("has every producer's file for every case (Chromium skips only convert.sh's CHROMIUM_SKIP)", () => {
    const skip = /CHROMIUM_SKIP="([^"]*)"/.exec(readFileSync(join(ROOT, "files", "convert.sh"), "utf8"))?.[1]?.trim().split(/\s+/) ?? [];
    for (const name of cases) {
      const want = ["lo.doc", "lo.docx", "lo.pdf", ...(skip.includes(name) ? [] : ["chromium.pdf"])].sort();
      expect(readdirSync(join(CONVERTED, name)).sort(), name).toEqual(want);
    }
  });
  for (const name of cases) {
    for (const file of readdirSync(join(CONVERTED, name)).sort()) {
      it(`${name}/${file}`, async () => {
        const html = await parseReportAsync(readFileSync(join(ROOT, "reports", name, "input.html")));
        const got = await parseReportAsync(readFileSync(join(CONVERTED, name, file)));
        expect(values(got)).toEqual(values(html));
        expect(got.template).toBe(html.template);
        expect(got.year).toBe(html.year);
        expect(errors(got)).toEqual(errors(html));
      });
    }
  }
});
