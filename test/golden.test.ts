/**
 * Golden fixtures: every folder under fixtures/reports holds an input page, the record we expect
 * (expected.json, without issues) and the findings we expect (issues.json: code, severity, paths).
 *
 * Goldens are earlier output, so they are not trusted alone: every report fixture also carries an
 * oracle written from how the page was made, never from a parse — oracle.json (agency, year,
 * template, units, and the findings the page exists to raise, with or without a path), plus
 * truth.json (hand-checked corpus values) or values.json (the generator's values) where there are
 * numbers to check. A missing golden fails. Run with UPDATE_GOLDEN=1 to rewrite expected.json and
 * issues.json after a deliberate change: only cases whose independent checks all pass are written;
 * then review the diff.
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
  /** Findings the case must carry (e.g. identities the source breaks); oracle.json's flags say the same. */
  mustFlag?: Flag[];
  /** The input is not a report: parse must throw E_NOT_REPORT with a message matching this. */
  notReport?: string;
  /** values.json may differ where the parse is null and an issue names the cell (undecidable input). */
  flaggedNullOk?: boolean;
}

/** A finding a fixture exists to show; no `path` for findings about the whole page (value.stray, encoding.mislabelled…). */
interface Flag {
  code: string;
  path?: string;
}

/** oracle.json: what the page states and should raise, from its construction (not from a parse). */
interface Oracle {
  agency: string | null;
  year: number | null;
  template: string | null;
  units: Record<string, string>;
  /** Every warning or error the parse reports must have one of these codes; each flag must be raised. */
  flags: Flag[];
}

type Issue = ReportRecord["issues"][number];

function readJson<T>(path: string): T | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : null;
}

function missingFlags(issues: Issue[], flags: Flag[]): string[] {
  return flags.filter((f) => !issues.some((i) => i.code === f.code && (f.path === undefined || i.paths.includes(f.path)))).map((f) => `not flagged: ${f.code}${f.path ? ` on ${f.path}` : ""}`);
}

function oracleFailures(record: ReportRecord, oracle: Oracle): string[] {
  const out: string[] = [];
  for (const k of ["agency", "year", "template"] as const) if (record[k] !== oracle[k]) out.push(`${k}: got ${JSON.stringify(record[k])}, the page states ${JSON.stringify(oracle[k])}`);
  if (JSON.stringify(sortKeys(record.units)) !== JSON.stringify(sortKeys(oracle.units))) out.push(`units: got ${JSON.stringify(record.units)}, the page prints ${JSON.stringify(oracle.units)}`);
  out.push(...missingFlags(record.issues, oracle.flags));
  const allowed = new Set(oracle.flags.map((f) => f.code));
  for (const i of record.issues) if (i.severity !== "info" && !allowed.has(i.code)) out.push(`unexpected ${i.severity} ${i.code} (${i.paths.slice(0, 2).join(", ")}): ${i.message}`);
  return out;
}

function sortKeys(o: Record<string, string>): [string, string][] {
  return Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
}

function truthFailures(record: ReportRecord, truth: Record<string, unknown>, meta: CaseMeta): string[] {
  const out: string[] = [];
  for (const k of ["agency", "year", "template"] as const) if (record[k] !== truth[k]) out.push(`${k}: got ${JSON.stringify(record[k])}, truth.json says ${JSON.stringify(truth[k])}`);
  const allowed = new Set(meta.allowNull ?? []);
  for (const [path, want] of truthPaths(truth)) {
    const got = get(record, path);
    if (allowed.has(path)) {
      if (got !== null) out.push(`${path}: got ${got}, must be null (undecidable)`);
      if (!record.issues.some((i) => i.code === meta.allowNullIssue && i.paths.includes(path))) out.push(`${path} not named by ${meta.allowNullIssue}`);
    } else if (got !== want) out.push(`${path}: got ${got}, truth ${want}`);
  }
  return out;
}

function valuesFailures(record: ReportRecord, want: Record<string, number | null>, meta: CaseMeta): string[] {
  const out: string[] = [];
  for (const [path, v] of Object.entries(want)) {
    const got = get(record, path);
    if (got === v) continue;
    if (!(meta.flaggedNullOk && got === null)) out.push(`${path}: got ${got}, printed ${v}`);
    else if (!record.issues.some((i) => i.severity !== "info" && i.paths.includes(path))) out.push(`${path} is null and must be named by an issue`);
  }
  return out;
}

function sourceFailures(record: ReportRecord, meta: CaseMeta): string[] {
  if (!meta.expectSource) return [];
  const sources = new Set(Object.values(record.provenance ?? {}).map((p) => p.source));
  return sources.has(meta.expectSource) ? [] : [`values not read from ${meta.expectSource} (sources: ${[...sources].join(", ")})`];
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
    const meta: CaseMeta = readJson<CaseMeta>(join(dir, "meta.json")) ?? {};
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
      void provenance;
      const gotIssues = issues.map((i) => ({ code: i.code, severity: i.severity, paths: i.paths }));
      const oracle = readJson<Oracle>(join(dir, "oracle.json"));
      const truth = readJson<Record<string, unknown>>(join(dir, "truth.json"));
      const values = readJson<Record<string, number | null>>(join(dir, "values.json"));
      /** Everything this case is checked against that is not its own earlier output. */
      const independent = (): string[] => [
        ...(oracle ? oracleFailures(record, oracle) : ["no oracle.json: say what the page states and must raise"]),
        ...(truth ? truthFailures(record, truth, meta) : []),
        ...(values ? valuesFailures(record, values, meta) : []),
        ...missingFlags(issues, meta.mustFlag ?? []),
        ...sourceFailures(record, meta),
      ];

      it("matches expected.json and issues.json", () => {
        const ePath = join(dir, "expected.json");
        const iPath = join(dir, "issues.json");
        if (UPDATE) {
          // Rewrite a golden only from a parse its oracle agrees with; never bless a wrong one.
          expect(independent(), "independent checks must pass before the golden is rewritten").toEqual([]);
          writeFileSync(ePath, JSON.stringify(rest, null, 2) + "\n");
          writeFileSync(iPath, JSON.stringify(gotIssues, null, 2) + "\n");
        }
        expect(existsSync(ePath) && existsSync(iPath), `${name} has no expected.json/issues.json: run UPDATE_GOLDEN=1 and review what it writes`).toBe(true);
        expect(rest).toEqual(JSON.parse(readFileSync(ePath, "utf8")));
        expect(gotIssues).toEqual(JSON.parse(readFileSync(iPath, "utf8")));
      });

      it("states the agency, year, template and units its oracle says, and raises the findings it exists to show (oracle.json)", () => {
        expect(oracle, `${name} has no oracle.json`).not.toBeNull();
        expect(oracleFailures(record, oracle!)).toEqual([]);
      });

      if (truth) {
        it("matches the hand-checked values of the corpus exactly", () => {
          expect(truthFailures(record, truth, meta)).toEqual([]);
        });
      }

      if (values) {
        it("reads the values the page prints (values.json, from the generator)", () => {
          expect(valuesFailures(record, values, meta)).toEqual([]);
        });
      }

      if (meta.mustFlag?.length) {
        it("flags the identities its source breaks", () => {
          expect(missingFlags(issues, meta.mustFlag!)).toEqual([]);
        });
      }

      if (meta.expectSource) {
        it(`reads its values from ${meta.expectSource}`, () => {
          expect(sourceFailures(record, meta)).toEqual([]);
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
