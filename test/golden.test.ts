/**
 * Golden fixtures: every folder under fixtures/reports holds an input page, the record we expect
 * (expected.json, without issues) and the findings we expect (issues.json: code, severity, paths).
 * Folders copied from the shared corpus also hold truth.json: hand-checked values that the parse
 * must match exactly. Run with UPDATE_GOLDEN=1 to rewrite expected.json and issues.json after a
 * deliberate change, then review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractDocument, parseReport } from "../src/pipeline.js";
import { flattenDoc } from "../src/parse/flatten.js";
import { ReportRecordSchema, type ReportRecord } from "../src/schema/record.js";
import { APPLICANT_COLUMNS } from "../src/templates/common.js";
import { decodeInput } from "../src/parse/input-text.js";

const ROOT = join(import.meta.dirname, "..", "fixtures", "reports");
const UPDATE = process.env["UPDATE_GOLDEN"] === "1";
const OUTCOMES = ["upheld", "corrected", "other", "pending", "total"];
const GROUPS = ["review", "litigation_direct", "litigation_after_review"];

interface CaseMeta {
  contentType?: string;
  sourceUrl?: string;
  /** Where the values must come from: html | pipe | markdown | text. */
  expectSource?: string;
  /** Paths that truth.json has but the input cannot decide; they must be null and named by `allowNullIssue`. */
  allowNull?: string[];
  allowNullIssue?: string;
  /** Findings the case must carry (e.g. identities the source breaks). */
  mustFlag?: { code: string; path: string }[];
  /** The input is not a report: parse must throw E_NOT_REPORT with a message matching this. */
  notReport?: string;
  /** values.json may differ where the parse is null and an issue names the cell (undecidable input). */
  flaggedNullOk?: boolean;
}

function inputFile(dir: string): string {
  const f = readdirSync(dir).find((n) => n.startsWith("input."));
  if (!f) throw new Error(`no input.* in ${dir}`);
  return join(dir, f);
}

/** Values only, for comparing two parses of the same page. */
function valuesOf(r: ReportRecord) {
  return { active: r.active, applications: r.applications, reviewLitigation: r.reviewLitigation };
}

/** truth.json (the corpus's layout) → paths and values. */
function truthPaths(truth: Record<string, unknown>): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const active = truth["active"] as Record<string, Record<string, number | null>>;
  for (const [item, ms] of Object.entries(active)) for (const [m, v] of Object.entries(ms)) out.set(`active.${item}.${m}`, v);
  const apps = truth["applications"] as Record<string, (number | null)[]>;
  for (const [row, vs] of Object.entries(apps)) vs.forEach((v, i) => out.set(`applications.${row}.${APPLICANT_COLUMNS[i]}`, v));
  const rl = truth["review_litigation"] as (number | null)[];
  rl.forEach((v, i) => out.set(`reviewLitigation.${GROUPS[Math.floor(i / 5)]}.${OUTCOMES[i % 5]}`, v));
  return out;
}

function get(r: ReportRecord, path: string): number | null | undefined {
  const [s, row, col] = path.split(".") as ["active" | "applications" | "reviewLitigation", string, string];
  return r[s][row]?.[col];
}

const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe("golden fixtures", () => {
  it("has fixtures", () => {
    expect(cases.length).toBeGreaterThan(5);
  });

  for (const name of cases) {
    const dir = join(ROOT, name);
    const meta: CaseMeta = existsSync(join(dir, "meta.json")) ? JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) : {};
    const bytes = new Uint8Array(readFileSync(inputFile(dir)));

    if (meta.notReport) {
      it(`${name}: is rejected as not a report`, () => {
        let err: unknown;
        try {
          parseReport(bytes, { contentType: meta.contentType ?? null, sourceUrl: meta.sourceUrl ?? null });
        } catch (e) {
          err = e;
        }
        expect((err as { code?: string })?.code).toBe("E_NOT_REPORT");
        expect((err as Error).message).toMatch(new RegExp(meta.notReport!));
        expect((err as Error).message).not.toContain("\n");
      });
      continue;
    }

    describe(name, () => {
      const record = parseReport(bytes, { contentType: meta.contentType ?? null, sourceUrl: meta.sourceUrl ?? null, provenance: true });
      ReportRecordSchema.parse(record);
      const { issues, parserVersion, provenance, ...rest } = record;
      void parserVersion;
      const gotIssues = issues.map((i) => ({ code: i.code, severity: i.severity, paths: i.paths }));

      it("matches expected.json and issues.json", () => {
        const ePath = join(dir, "expected.json");
        const iPath = join(dir, "issues.json");
        if (UPDATE || !existsSync(ePath)) writeFileSync(ePath, JSON.stringify(rest, null, 2) + "\n");
        if (UPDATE || !existsSync(iPath)) writeFileSync(iPath, JSON.stringify(gotIssues, null, 2) + "\n");
        expect(rest).toEqual(JSON.parse(readFileSync(ePath, "utf8")));
        expect(gotIssues).toEqual(JSON.parse(readFileSync(iPath, "utf8")));
      });

      if (existsSync(join(dir, "truth.json"))) {
        it("matches the hand-checked values of the corpus exactly", () => {
          const truth = JSON.parse(readFileSync(join(dir, "truth.json"), "utf8")) as Record<string, unknown>;
          expect(record.agency).toBe(truth["agency"]);
          expect(record.year).toBe(truth["year"]);
          expect(record.template).toBe(truth["template"]);
          const allowed = new Set(meta.allowNull ?? []);
          for (const [path, want] of truthPaths(truth)) {
            const got = get(record, path);
            if (allowed.has(path)) {
              expect(got, path).toBeNull();
              expect(issues.some((i) => i.code === meta.allowNullIssue && i.paths.includes(path)), `${path} named by ${meta.allowNullIssue}`).toBe(true);
            } else {
              expect(got, path).toBe(want);
            }
          }
        });
      }

      if (existsSync(join(dir, "values.json"))) {
        it("reads the values the page prints (values.json, from the generator)", () => {
          const want = JSON.parse(readFileSync(join(dir, "values.json"), "utf8")) as Record<string, number | null>;
          for (const [path, v] of Object.entries(want)) {
            const got = get(record, path);
            if (got === v) continue;
            expect(meta.flaggedNullOk && got === null, `${path}: got ${got}, printed ${v}`).toBe(true);
            expect(issues.some((i) => i.severity !== "info" && i.paths.includes(path)), `${path} is null and must be named by an issue`).toBe(true);
          }
        });
      }

      if (meta.mustFlag?.length) {
        it("flags the identities its source breaks", () => {
          for (const f of meta.mustFlag!) {
            expect(issues.some((i) => i.code === f.code && i.paths.includes(f.path)), `${f.code} on ${f.path}`).toBe(true);
          }
        });
      }

      if (meta.expectSource) {
        it(`reads its values from ${meta.expectSource}`, () => {
          const sources = new Set(Object.values(provenance ?? {}).map((p) => p.source));
          expect([...sources]).toContain(meta.expectSource);
        });
      }

      if (inputFile(dir).endsWith(".html")) {
        it("parses to the same values once its HTML is flattened in the seed's pipe layout", () => {
          const text = decodeInput(bytes, meta.contentType ?? null).text;
          const flat = flattenDoc(extractDocument(text), "seed");
          const again = parseReport(flat);
          expect(valuesOf(again)).toEqual(valuesOf(record));
          expect(again.agency).toBe(record.agency);
          expect(again.year).toBe(record.year);
        });
      }
    });
  }
});
