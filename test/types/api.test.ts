/** Type tests: the public surface keeps its shapes (checked by tsc in `npm test`). */
import { describe, expectTypeOf, it } from "vitest";
import { parseReport, type Issue, type ReportRecord, type ParseOptions, NianbaoError, type ErrorCode } from "../../src/index.js";
import type { Template } from "../../src/templates/template.js";
import { TEMPLATES } from "../../src/templates/registry.js";

describe("public types", () => {
  it("parseReport takes text or bytes and returns a ReportRecord", () => {
    expectTypeOf(parseReport).parameter(0).toEqualTypeOf<string | Uint8Array>();
    expectTypeOf(parseReport).parameter(1).toEqualTypeOf<ParseOptions | undefined>();
    expectTypeOf(parseReport).returns.toEqualTypeOf<ReportRecord>();
  });
  it("record values are number | null, keyed by row and column", () => {
    expectTypeOf<ReportRecord["applications"]>().toEqualTypeOf<Record<string, Record<string, number | null>>>();
    expectTypeOf<ReportRecord["issues"]>().toEqualTypeOf<Issue[]>();
    expectTypeOf<ReportRecord["year"]>().toEqualTypeOf<number | null>();
  });
  it("errors carry a literal code", () => {
    expectTypeOf<NianbaoError["code"]>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<"E_NOT_REPORT">().toMatchTypeOf<ErrorCode>();
  });
  it("templates are declarations", () => {
    expectTypeOf(TEMPLATES).toEqualTypeOf<readonly Template[]>();
    expectTypeOf<Template["tables"][number]["rows"][number]["fields"]>().toEqualTypeOf<string[]>();
  });
});
