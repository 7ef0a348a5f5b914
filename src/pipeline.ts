import { NianbaoError } from "./errors.js";
import { buildStream } from "./interpret/tokens.js";
import { mapTemplate } from "./interpret/map.js";
import { checkColumnOrder } from "./interpret/columns.js";
import { checkNarrative, readNarrative, singleCellFacts } from "./interpret/narrative.js";
import { decodeInput, looksLikeHtml } from "./parse/input-text.js";
import { extractDocx } from "./parse/docx.js";
import { extractDoc } from "./parse/doc.js";
import { fileKindName, sniffFile, type FileKind } from "./parse/files.js";
import { extractHtml } from "./parse/html.js";
import { extractPdf, extractPdfSync } from "./parse/pdf.js";
import { extractText } from "./parse/text.js";
import type { Doc } from "./parse/grid.js";
import { readMeta } from "./parse/meta.js";
import { normLabel } from "./parse/normalize.js";
import type { Issue } from "./schema/issues.js";
import type { Provenance, ReportRecord } from "./schema/record.js";
import { detectTemplate, TEMPLATES } from "./templates/registry.js";
import type { Template } from "./templates/template.js";
import { checkIdentities } from "./validate/check.js";
import { PARSER_VERSION } from "./version.js";

export interface ParseOptions {
  /** Where the page came from; copied into the record. */
  sourceUrl?: string | null;
  /** The HTTP Content-Type header, when the bytes came from a server (its charset wins over <meta>). */
  contentType?: string | null;
  /** Add, for every value, the table, row, column and raw text it came from. */
  provenance?: boolean;
  /**
   * The title the caller saw for this page — for a crawled page, the list link's text. Weighed
   * with the page's own title, opening sentence and signature; never taken over them blindly.
   */
  titleHint?: string | null;
  /** Templates to choose from (default: every registered national format). */
  templates?: readonly Template[];
}

/** Extract a page (HTML or text) into blocks. Exposed for tools that want the grids. */
export function extractDocument(text: string, baseUrl?: string | null): Doc {
  return looksLikeHtml(text) ? extractHtml(text, { baseUrl: baseUrl ?? null }) : extractText(text);
}

/**
 * Parse one annual-report page (HTML, pipe-flattened text, whitespace or glued text, markdown)
 * into a typed, checked record. Synchronous and pure.
 *
 * Throws `NianbaoError` with code `E_NOT_REPORT` / `E_EMPTY_INPUT` only when the input is not a
 * readable report; everything the parser is unsure about goes into `record.issues` instead.
 *
 * @example
 * ```ts
 * const record = parseReport(readFileSync("report.html"), { sourceUrl: "http://…" });
 * record.applications["new_received"]?.["total"]; // 69
 * record.issues.filter((i) => i.severity === "error");
 * ```
 */
export function parseReport(input: string | Uint8Array, options: ParseOptions = {}): ReportRecord {
  return parsePage(input, options).record;
}

/** A parsed page: the record, and the report's own text for full-text search. */
export interface ParsedPage {
  record: ReportRecord;
  /** The article's text (tables included; menus, navigation, scripts and styles left out); the title is `record.title`. */
  searchText: string;
}

/**
 * `parseReport`, also returning the page's search text, taken from the same decode and DOM walk
 * (a crawl would otherwise decode and strip every page a second time to index it).
 */
export function parsePage(input: string | Uint8Array, options: ParseOptions = {}): ParsedPage {
  const kind = typeof input === "string" ? null : sniffFile(input);
  if (kind) return recordFromDoc(extractFileSync(kind, input as Uint8Array), options, null);
  const decoded = decodeInput(input, options.contentType ?? null);
  if (decoded.text.trim() === "") throw new NianbaoError("E_EMPTY_INPUT", "the input is empty");
  return recordFromDoc(extractDocument(decoded.text, options.sourceUrl), options, decoded);
}

/**
 * `parseReport` without blocking the event loop while a PDF is read (pdf.js runs in a worker
 * thread either way; `parseReport` waits for it, this awaits it). Other inputs are parsed exactly
 * as `parseReport` does.
 *
 * @example
 * ```ts
 * const record = await parseReportAsync(readFileSync("report.pdf"));
 * record.provenance; // with { provenance: true }: each value's page and cell box
 * ```
 */
export async function parseReportAsync(input: string | Uint8Array, options: ParseOptions = {}): Promise<ReportRecord> {
  const kind = typeof input === "string" ? null : sniffFile(input);
  if (kind === "pdf") return recordFromDoc(await extractPdf(input as Uint8Array), options, null).record;
  return parseReport(input, options);
}

function extractFileSync(kind: FileKind, bytes: Uint8Array): Doc {
  return kind === "pdf" ? extractPdfSync(bytes) : kind === "docx" ? extractDocx(bytes) : extractDoc(bytes);
}

/** Extract any input into blocks, PDF and Word files included. */
export async function extractAny(input: string | Uint8Array, options: Pick<ParseOptions, "contentType" | "sourceUrl"> = {}): Promise<Doc> {
  const kind = typeof input === "string" ? null : sniffFile(input);
  if (kind === "pdf") return extractPdf(input as Uint8Array);
  if (kind) return extractFileSync(kind, input as Uint8Array);
  return extractDocument(decodeInput(input, options.contentType ?? null).text, options.sourceUrl);
}

function recordFromDoc(doc: Doc, options: ParseOptions, decoded: { encoding: string; mislabelled: boolean } | null): ParsedPage {
  const templates = options.templates ?? TEMPLATES;
  const stream = buildStream(doc, firstAnchors(templates));
  const detection = detectTemplate(stream.normText, templates);
  const meta = readMeta(doc, { titleHint: options.titleHint ?? null });
  if (!detection) throw notReport(doc, meta.year, "no label of the 2019 or 2021 national tables");
  const template = detection.template;
  const narrative = readNarrative(doc, meta.year);
  const mapped = mapTemplate(stream, template, { facts: singleCellFacts(narrative, valuePathSet(template)) });
  if (mapped.missingTables.length === template.tables.length) {
    throw notReport(doc, meta.year, `the labels of the ${template.id} format occur, but none of its tables has values`);
  }

  const labels = describePaths(template);
  const issues: Issue[] = [];
  if (decoded?.mislabelled) {
    issues.push({ code: "encoding.mislabelled", severity: "info", message: `页面声明的编码不正确，已按 ${decoded.encoding} 解码`, paths: [] });
  }
  if (detection.mixed) {
    issues.push({
      code: "template.mixed_markers",
      severity: "warning",
      message: `页面同时出现两种格式的表头（${Object.entries(detection.scores)
        .map(([id, s]) => `${id}:${s}`)
        .join("，")}），按 ${template.name} 读取`,
      paths: [],
      data: { scores: detection.scores },
    });
  }
  issues.push(...mapped.issues);
  // A header printing 表三/表四's columns in another order: those columns are not trusted.
  const columns = checkColumnOrder(stream.normText, template);
  for (const p of columns.paths) {
    if (mapped.values.get(p) === undefined) continue;
    mapped.values.set(p, null);
    mapped.unknown.add(p);
    delete mapped.provenance[p];
  }
  issues.push(...columns.issues);
  const unsure = new Set([...mapped.missing, ...mapped.unknown]);
  issues.push(...checkIdentities(template.identities, mapped.values, unsure, (p) => labels.get(p) ?? p));
  issues.push(...checkNarrative(narrative, mapped.values, unsure));
  for (const n of meta.notes) issues.push({ code: n.code, severity: "warning", message: n.message, paths: [], ...(n.expected !== undefined ? { expected: n.expected } : {}), ...(n.actual !== undefined ? { actual: n.actual } : {}), ...(n.data ? { data: n.data } : {}) });
  if (doc.attachments.length && mapped.missingTables.length) {
    issues.push({
      code: "tables.in_attachment",
      severity: "warning",
      message: `部分表格未在页面中找到，页面有附件：${doc.attachments.map((a) => a.url).join("，")}`,
      paths: [],
      data: { attachments: doc.attachments },
    });
  }

  const record: ReportRecord = {
    title: meta.title,
    agency: meta.agency,
    year: meta.year,
    template: template.id,
    publishedAt: meta.publishedAt,
    sourceUrl: options.sourceUrl ?? null,
    active: {},
    applications: {},
    reviewLitigation: {},
    units: mapped.units,
    incomplete: mapped.missingTables.length > 0,
    issues,
    parserVersion: PARSER_VERSION,
  };
  for (const [path, value] of mapped.values) {
    const [section, row, col] = splitPath(path);
    (record[section][row] ??= {})[col] = value;
  }
  if (options.provenance) record.provenance = withPlaces(mapped.provenance, doc);
  return { record, searchText: (doc.body ?? doc.text).replace(/[\s\u3000]+/g, " ").trim() };
}

/** PDF cells know their page and box: add them to each value's provenance. */
function withPlaces(provenance: Record<string, Provenance>, doc: Doc): Record<string, Provenance> {
  if (doc.kind !== "pdf") return provenance;
  const out: Record<string, Provenance> = {};
  for (const [path, p] of Object.entries(provenance)) {
    const block = doc.blocks[p.table];
    const cell = block?.kind === "table" ? block.grid.rows.find((r) => r[0]?.row === p.row - block.grid.line)?.find((c) => c.col === p.col) : undefined;
    out[path] = cell?.page !== undefined ? { ...p, page: cell.page, ...(cell.box ? { box: cell.box } : {}) } : p;
  }
  return out;
}

/** Every value path the templates can emit (`active.rules.issued`, …): the store creates their keys up front. */
export function templateValuePaths(templates: readonly Template[] = TEMPLATES): string[] {
  return [...new Set(templates.flatMap((t) => t.tables.flatMap((tb) => tb.rows.flatMap((r) => r.fields))))];
}

const valuePathSets = new WeakMap<Template, ReadonlySet<string>>();
/** A template's value paths as a set, made once per template rather than once per page. */
function valuePathSet(template: Template): ReadonlySet<string> {
  let s = valuePathSets.get(template);
  if (!s) valuePathSets.set(template, (s = new Set(templateValuePaths([template]))));
  return s;
}

const anchorCache = new WeakMap<readonly Template[], string[]>();
/** Normalised anchors of every table of the templates: text before the first of them holds no values. */
function firstAnchors(templates: readonly Template[]): string[] {
  let a = anchorCache.get(templates);
  if (!a) anchorCache.set(templates, (a = [...new Set(templates.flatMap((t) => t.tables.flatMap((tb) => tb.anchors.map(normLabel))))]));
  return a;
}

type Section = keyof Pick<ReportRecord, "active" | "applications" | "reviewLitigation">;
const pathParts = new Map<string, [Section, string, string]>();
/** "applications.total.total" → its three keys; the paths are a small fixed set, so cache them. */
function splitPath(path: string): [Section, string, string] {
  let parts = pathParts.get(path);
  if (!parts) pathParts.set(path, (parts = path.split(".") as [Section, string, string]));
  return parts;
}

const pathNames = new WeakMap<Template, Map<string, string>>();
/** Chinese names of every value path of a template ("一、本年新收…·自然人"). */
export function describePaths(template: Template): Map<string, string> {
  const cached = pathNames.get(template);
  if (cached) return cached;
  const out = new Map<string, string>();
  pathNames.set(template, out);
  for (const t of template.tables) {
    for (const r of t.rows) r.fields.forEach((f, i) => out.set(f, r.unlabelled ? `${r.fieldLabels[i]}` : `${r.label}·${r.fieldLabels[i]}`));
  }
  return out;
}

const PRE_2019_RE = /指标统计表|依申请公开政府信息(?:的)?情况|政府信息公开的收费及减免情况|因政府信息公开申请行政复议、提起行政诉讼的情况/;
const SECTION_RE = /主动公开政府信息情况|收到和处理政府信息公开申请情况|行政复议、行政诉讼情况/;

/** Say what the page is instead, in one line. */
function notReport(doc: Doc, year: number | null, what: string): NianbaoError {
  const tables = doc.blocks.filter((b) => b.kind === "table").length;
  const details: Record<string, unknown> = { tables, images: doc.images, attachments: doc.attachments };
  let reason: string;
  const listed = new Set(doc.text.match(/(?:19|20)\d{2}\s*年度?[^\n。]{0,4}政府信息公开(?:工作)?年度报告/g) ?? []);
  if (listed.size >= 3 && tables === 0) {
    reason = `a list of reports (${listed.size} report titles), not a report itself`;
  } else if (doc.attachments.length) {
    const a = doc.attachments[0]!;
    reason = `the report's tables are only in an attachment (${a.type.toUpperCase()}: ${a.url})${doc.attachments.length > 1 ? ` and ${doc.attachments.length - 1} more` : ""}`;
  } else if (doc.images > 0 && tables === 0 && doc.kind !== "html" && doc.kind !== "text") {
    // A file whose text layer has no table but which paints pictures: the tables are images.
    reason = `the tables are images (${doc.images} image${doc.images === 1 ? "" : "s"} in the ${fileKindName(doc.kind)} file, no table text to read; reading them needs OCR)`;
  } else if (doc.images > 0 && SECTION_RE.test(doc.text)) {
    reason = `the report's tables are images (${doc.images} <img> in the page, no table text to read)`;
  } else if ((year !== null && year < 2019) || (PRE_2019_RE.test(doc.text) && year !== null && year < 2020)) {
    reason = `a pre-2019 report (statistical year ${year ?? "unknown"}): there are no 2019/2021 national tables to read`;
  } else if (doc.text.replace(/\s+/g, "").length < 200) {
    reason = `almost no text in the page (${doc.text.replace(/\s+/g, "").length} characters: a script-rendered page, an error page, or not a report)`;
  } else {
    reason = `no annual-report tables found (${tables} table${tables === 1 ? "" : "s"}; ${what})`;
  }
  return new NianbaoError("E_NOT_REPORT", `not a readable annual report: ${reason}`, details);
}
