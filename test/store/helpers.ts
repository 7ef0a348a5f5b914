/**
 * Test doubles for the store: a fake "page" format that embeds a record, the fake parser that reads
 * it, and record builders for both templates (deterministic and fast-check). The store's tests use
 * these so they do not depend on the real parser, which is developed separately.
 */
import fc from "fast-check";
import { NianbaoError } from "../../src/errors.js";
import type { Issue } from "../../src/schema/issues.js";
import type { ReportRecord } from "../../src/schema/record.js";
import type { ParsePage, RawPage } from "../../src/store/ports.js";

export const APPLICATION_COLUMNS = ["natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total"] as const;
const COMMON_ROWS = [
  "new_received", "carried_over", "granted", "partially_granted",
  "denied_state_secret", "denied_law_prohibited", "denied_three_safeties", "denied_third_party",
  "denied_internal_affairs", "denied_process_info", "denied_enforcement_files", "denied_admin_query",
  "unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear",
  "rejected_petition", "rejected_duplicate", "rejected_publication", "rejected_excessive", "rejected_confirmation",
];
export const APPLICATION_ROWS = {
  "2019": [...COMMON_ROWS, "other", "total", "carried_forward"],
  "2021": [...COMMON_ROWS, "other_no_correction", "other_unpaid_fee", "other_other", "total", "carried_forward"],
} as const;
export const ACTIVE_ITEMS = {
  "2019": {
    rules: ["made", "published", "total"],
    normative_docs: ["made", "published", "total"],
    licensing: ["previous", "change", "decisions"],
    other_services: ["previous", "change", "decisions"],
    penalty: ["previous", "change", "decisions"],
    coercion: ["previous", "change", "decisions"],
    fees: ["previous", "change"],
    procurement: ["projects", "amount"],
  },
  "2021": {
    rules: ["issued", "repealed", "in_force"],
    normative_docs: ["issued", "repealed", "in_force"],
    licensing: ["decisions"],
    penalty: ["decisions"],
    coercion: ["decisions"],
    fees: ["amount"],
  },
} as const satisfies Record<string, Record<string, readonly string[]>>;
export const REVIEW_GROUPS = ["review", "litigation_direct", "litigation_after_review"] as const;
export const REVIEW_OUTCOMES = ["upheld", "corrected", "other", "pending", "total"] as const;

export type Template = "2019" | "2021";

/** A complete, plausible record: every key of its template, a few nulls, a unit, an issue. */
export function sampleRecord(overrides: Partial<ReportRecord> = {}, seed = 1): ReportRecord {
  const template = (overrides.template ?? "2021") as Template;
  let n = seed;
  const next = () => (n = (n * 1103515245 + 12345) % 2147483648) % 40;
  const record: ReportRecord = {
    title: "测试市财政局2021年政府信息公开工作年度报告",
    agency: "测试市财政局",
    year: template === "2019" ? 2019 : 2021,
    template,
    publishedAt: "2022-01-20",
    sourceUrl: "http://example.gov.cn/report.html",
    active: {},
    applications: {},
    reviewLitigation: {},
    units: {},
    incomplete: false,
    issues: [],
    parserVersion: "test-1",
    provenance: {},
    ...overrides,
  };
  const prov = record.provenance ?? {};
  const put = (field: "active" | "applications" | "reviewLitigation", row: string, col: string, value: number | null, table: number, r: number, c: number) => {
    (record[field][row] ??= {})[col] = value;
    prov[`${field}.${row}.${col}`] = { table, row: r, col: c, raw: value === null ? "—" : String(value), source: "html" };
  };
  if (!overrides.active) {
    Object.entries(ACTIVE_ITEMS[template] as Record<string, readonly string[]>).forEach(([item, metrics], r) =>
      metrics.forEach((m, c) => put("active", item, m, item === "fees" ? 12.25 + next() / 100 : next(), 1, r + 2, c + 1)),
    );
    record.units[template === "2021" ? "active.fees.amount" : "active.procurement.amount"] = "万元";
  }
  if (!overrides.applications) {
    APPLICATION_ROWS[template].forEach((row, r) =>
      APPLICATION_COLUMNS.forEach((col, c) => put("applications", row, col, row === "rejected_excessive" ? null : next(), 2, r + 3, c + 3)),
    );
  }
  if (!overrides.reviewLitigation) {
    REVIEW_GROUPS.forEach((g, gi) => REVIEW_OUTCOMES.forEach((o, oi) => put("reviewLitigation", g, o, next() % 3, 3, 3, gi * 5 + oi)));
  }
  if (!overrides.issues) {
    record.issues = [
      {
        code: "identity.applications.balance",
        severity: "error",
        message: "自然人列：一加二（12）不等于三（七）总计加四（11）",
        paths: ["applications.new_received.natural_person", "applications.total.natural_person"],
        expected: 12,
        actual: 11,
        identity: "applications.balance",
      },
    ];
  }
  return record;
}

const MAGIC = '<script type="application/json" id="nianbao-test-record">';

/**
 * A fake page: an HTML document whose visible text is `text` and which embeds the record in a JSON
 * script tag, so the store's search text (tags and scripts stripped) sees only `text`.
 */
export function fakeBody(record: ReportRecord | null, text = "政府信息公开工作年度报告。本机关收取信息处理费0元。"): Uint8Array {
  const title = record?.title ?? "一个不是报告的页面";
  const json = record ? `${MAGIC}${JSON.stringify(record).replace(/</g, "\\u003c")}</script>` : "";
  return new TextEncoder().encode(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p>${json}</body></html>`);
}

/**
 * The fake parser: reads the embedded record; a page without one is "not a report" (E_NOT_REPORT),
 * an empty one E_EMPTY_INPUT, like the real parser. `transform` simulates a parser change.
 */
export function fakeParser(options: { version?: string; transform?: (r: ReportRecord) => ReportRecord } = {}): ParsePage {
  return (body) => {
    if (body.byteLength === 0) throw new NianbaoError("E_EMPTY_INPUT", "the input is empty");
    const html = new TextDecoder().decode(body);
    const start = html.indexOf(MAGIC);
    if (start < 0) throw new NianbaoError("E_NOT_REPORT", "no 政府信息公开 report tables found on the page");
    const end = html.indexOf("</script>", start);
    let record = JSON.parse(html.slice(start + MAGIC.length, end)) as ReportRecord;
    if (options.version) record = { ...record, parserVersion: options.version };
    return options.transform ? options.transform(record) : record;
  };
}

let clock = Date.parse("2024-01-01T00:00:00Z");
/** A page as the crawler would hand it over; fetchedAt strictly increases across calls. */
export function rawPage(body: Uint8Array, url = "http://example.gov.cn/report.html", extra: Partial<RawPage> = {}): RawPage {
  clock += 1000;
  return { url, finalUrl: url, fetchedAt: new Date(clock).toISOString(), status: 200, headers: { "content-type": "text/html; charset=utf-8" }, encoding: null, body, ...extra };
}

// ---------------------------------------------------------------- fast-check arbitraries

const keyArb = fc.stringMatching(/^[a-z][a-z_]{0,11}$/);
/** Cell values: integers, decimals with a few places (as printed), nulls. No -0: a report never prints it. */
const valueArb: fc.Arbitrary<number | null> = fc.oneof(
  fc.integer({ min: 0, max: 2_000_000 }),
  fc.integer({ min: -500, max: 500 }).filter((v) => v !== 0),
  fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 1, max: 99 })).map(([i, f]) => Number(`${i}.${f}`)),
  fc.constant(null),
);
const textArb = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("万元", "元", "件", "测试市“三安全一稳定”", "a,b\"c\nd"));

function sectionArb(rowKeys: readonly string[], colKeys: readonly string[]) {
  return fc
    .uniqueArray(fc.constantFrom(...rowKeys), { maxLength: rowKeys.length })
    .chain((rows) =>
      fc.tuple(...rows.map((row) => fc.uniqueArray(fc.constantFrom(...colKeys), { minLength: 1 }).chain((cols) => fc.tuple(fc.constant(row), fc.tuple(...cols.map((c) => fc.tuple(fc.constant(c), valueArb))))))),
    )
    .map((rows) => Object.fromEntries(rows.map(([row, cells]) => [row, Object.fromEntries(cells)])) as Record<string, Record<string, number | null>>);
}

const issueArb: fc.Arbitrary<Issue> = fc.record(
  {
    code: fc.constantFrom("identity.applications.balance", "cell.unreadable", "row.missing", "split.ambiguous"),
    severity: fc.constantFrom("error", "warning", "info"),
    message: textArb,
    paths: fc.array(fc.constantFrom("applications.total.total", "active.fees.amount"), { maxLength: 3 }),
    expected: fc.oneof(valueArb, fc.string({ maxLength: 5 })),
    actual: fc.oneof(valueArb, fc.string({ maxLength: 5 })),
    identity: keyArb,
    data: fc.dictionary(keyArb, fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.array(fc.integer(), { maxLength: 3 }))),
  },
  { requiredKeys: ["code", "severity", "message", "paths"] },
);

/** Random records over both templates' keys (plus odd keys), with nulls, decimals, units, issues, provenance. */
export const recordArb: fc.Arbitrary<ReportRecord> = fc
  .record({
    template: fc.constantFrom<Template>("2019", "2021"),
    title: fc.option(textArb, { nil: null }),
    agency: fc.option(fc.constantFrom("测试市财政局", "测试区教育局", "某某县人民政府办公室"), { nil: null }),
    year: fc.option(fc.integer({ min: 2008, max: 2030 }), { nil: null }),
    publishedAt: fc.option(fc.constantFrom("2020-01-20", "2022-03-31"), { nil: null }),
    sourceUrl: fc.option(fc.webUrl(), { nil: null }),
    incomplete: fc.boolean(),
    issues: fc.array(issueArb, { maxLength: 4 }),
    parserVersion: fc.constantFrom("0.1.0", "0.2.0"),
    withProvenance: fc.boolean(),
  })
  .chain((base) =>
    fc
      .record({
        active: sectionArb([...Object.keys(ACTIVE_ITEMS[base.template]), "odd_item"], [...new Set(Object.values(ACTIVE_ITEMS[base.template]).flat())]),
        applications: sectionArb(APPLICATION_ROWS[base.template], APPLICATION_COLUMNS),
        reviewLitigation: sectionArb(REVIEW_GROUPS, REVIEW_OUTCOMES),
        unitPick: fc.array(fc.tuple(fc.nat(), fc.constantFrom("万元", "元", "件")), { maxLength: 3 }),
        provPick: fc.array(fc.tuple(fc.nat(1000), fc.nat(1000), fc.nat(1000), textArb, fc.constantFrom("html", "pipe", "markdown", "text"))),
      })
      .map(({ active, applications, reviewLitigation, unitPick, provPick }): ReportRecord => {
        const { withProvenance, ...meta } = base;
        const paths: string[] = [];
        for (const [field, rows] of Object.entries({ active, applications, reviewLitigation })) {
          for (const [row, cols] of Object.entries(rows)) for (const col of Object.keys(cols)) paths.push(`${field}.${row}.${col}`);
        }
        const units: Record<string, string> = {};
        for (const [i, u] of unitPick) if (paths.length) units[paths[i % paths.length]] = u;
        const record: ReportRecord = { ...meta, active, applications, reviewLitigation, units };
        if (withProvenance) {
          record.provenance = Object.fromEntries(
            paths.map((p, i) => {
              const [table, row, col, raw, source] = provPick[i % Math.max(1, provPick.length)] ?? [0, 0, 0, "", "html"];
              return [p, { table, row, col, raw, source }];
            }),
          );
        }
        return record;
      }),
  );
