import type { Declared, ListNotice } from "./extract.js";
import type { PageKind } from "./frontier.js";
import type { RunOutcome } from "./state.js";

export interface ReportRef {
  url: string;
  title: string | null;
  agency: string | null;
  year: number | null;
}

export interface Failure {
  url: string;
  kind: PageKind;
  code: string;
  reason: string;
}

/** What one run did for one source. */
export interface SourceSummary {
  id: string;
  name: string;
  reports: { new: number; changed: number; unchanged: number; failed: number };
  newReports: ReportRef[];
  changedReports: ReportRef[];
  /** Every page that failed, with its reason (reports rejected by the parser included). */
  failures: Failure[];
  /** Pages not fetched on purpose (robots.txt), with the reason. */
  skipped: { url: string; reason: string }[];
  /** Files linked from reports or lists; `tablesInAttachment` marks reports published only as a file. */
  attachments: { pageUrl: string; url: string; type: string; tablesInAttachment: boolean }[];
  pagesFetched: number;
  notModified: number;
  /** Reports stored from PDF/DOCX/DOC/WPS files (their pages linked them, or a list did). */
  filesRead: number;
  /** Report files refused because their text is pictures (a scanned PDF, tables as images): reading them needs OCR. */
  filesNeedingOcr: number;
  bytes: number;
  pausedHosts: { host: string; reason: string }[];
  /** Lists that declare more than the crawler could reach (an API page: `page` says which). */
  unreached: (Declared & { listUrl: string })[];
  /** Lists paged by a script no dialect knows (`list.unknown_dynamic_paging`, naming the script). */
  listIssues: (ListNotice & { listUrl: string })[];
  /** Items left in the queue for the next run (paused hosts, --max-pages, interruption). */
  queuedLeft: number;
  /**
   * The source as a whole failed: its start pages could not be fetched, no 年报 column was found
   * from them, or every report page failed. `advice` says what to do. `crawl` then exits 3.
   */
  failure: { code: string; reason: string; advice: string } | null;
  timeMs: number;
}

export interface CrawlSummary {
  runId: number;
  resumed: boolean;
  outcome: RunOutcome;
  startedAt: string;
  endedAt: string;
  timeMs: number;
  sources: SourceSummary[];
}

export function emptySourceSummary(id: string, name: string): SourceSummary {
  return {
    id,
    name,
    reports: { new: 0, changed: 0, unchanged: 0, failed: 0 },
    newReports: [],
    changedReports: [],
    failures: [],
    skipped: [],
    attachments: [],
    pagesFetched: 0,
    notModified: 0,
    filesRead: 0,
    filesNeedingOcr: 0,
    bytes: 0,
    pausedHosts: [],
    unreached: [],
    listIssues: [],
    queuedLeft: 0,
    timeMs: 0,
    failure: null,
  };
}

/** The human summary printed at the end of `crawl` (stdout). */
export function renderSummary(s: CrawlSummary): string {
  const lines: string[] = [];
  lines.push(`crawl run #${s.runId}${s.resumed ? " (resumed)" : ""}: ${s.outcome} in ${(s.timeMs / 1000).toFixed(1)} s`);
  for (const src of s.sources) {
    const r = src.reports;
    lines.push("");
    lines.push(`${src.id} (${src.name})${src.failure ? " — FAILED" : ""}`);
    if (src.failure) lines.push(`  FAILED: ${src.failure.reason} [${src.failure.code}]`, `  what to do: ${src.failure.advice}`);
    lines.push(`  reports: ${r.new} new, ${r.changed} changed, ${r.unchanged} unchanged, ${r.failed} failed`);
    lines.push(`  pages fetched: ${src.pagesFetched} (${src.notModified} not modified), ${formatBytes(src.bytes)}, ${(src.timeMs / 1000).toFixed(1)} s`);
    if (src.filesRead) lines.push(`  reports read from files (PDF, DOCX, DOC/WPS): ${src.filesRead}`);
    if (src.filesNeedingOcr) lines.push(`  report files that are pictures (scans; reading them needs OCR): ${src.filesNeedingOcr}`);
    for (const n of src.newReports) lines.push(`  + ${label(n)}`);
    for (const n of src.changedReports) lines.push(`  ~ ${label(n)}`);
    for (const f of src.failures) lines.push(`  ! ${f.url}: ${f.reason} [${f.code}]`);
    for (const k of src.skipped) lines.push(`  - ${k.url}: ${k.reason}`);
    for (const a of src.attachments) if (a.tablesInAttachment) lines.push(`  @ ${a.url}: report tables in a ${a.type.toUpperCase()} attachment (linked from ${a.pageUrl})`);
    for (const p of src.pausedHosts) lines.push(`  paused ${p.host}: ${p.reason}; its pages stay queued for the next run`);
    for (const u of src.unreached) lines.push(`  list ${u.listUrl}${u.page !== undefined ? ` page ${u.page}` : ""} declares ${u.declared} ${u.unit} (${u.via}); ${u.reachable} reachable`);
    for (const n of src.listIssues) lines.push(`  list ${n.listUrl} pages by a script no dialect knows (${n.script}); only its static page was read [${n.code}]`);
    if (src.queuedLeft > 0) lines.push(`  ${src.queuedLeft} page(s) left in the queue for the next run`);
  }
  return lines.join("\n") + "\n";
}

function label(r: ReportRef): string {
  const what = [r.agency, r.year].filter((x) => x !== null && x !== undefined).join(" ");
  return `${r.title ?? r.url}${what ? ` — ${what}` : ""} <${r.url}>`;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** The sources of a run that failed as a whole (see SourceSummary.failure). */
export function failedSources(s: CrawlSummary): SourceSummary[] {
  return s.sources.filter((x) => x.failure !== null);
}
