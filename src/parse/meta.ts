import type { Doc } from "./grid.js";

/**
 * Title, agency, statistical year and publication date, read from the page itself.
 * The year is the statistical year (title, or the 统计期限 sentence), never the publication date.
 */

export interface ReportMeta {
  title: string | null;
  agency: string | null;
  year: number | null;
  publishedAt: string | null;
}

const REPORT_WORDS_RE = /(政府信息公开|政务公开|信息公开).{0,8}(年度报告|年报|工作报告)/;
const TITLE_SPLIT_RE = /\s*[_|｜]\s*|\s+-\s+|\s+—\s+/;
const AGENCY_SUFFIX = "(?:局|委员会|委|办公室|办|厅|部|署|院|政府|中心|管委会|管理委员会|街道办事处|办事处|街道|镇|乡|站|所|队|会|处|馆|司|集团|公司|法院|检察院|总队|支队|大队)";

function cleanTitle(t: string): string {
  return t.normalize("NFKC").replace(/[\s\u3000]+/g, "").replace(/^(关于|附件[:：]?)/, "");
}

/** Pick the title: the first candidate that reads like an annual report's title. */
export function pickTitle(doc: Doc): string | null {
  const candidates: string[] = [];
  for (const t of doc.titles) for (const part of t.split(TITLE_SPLIT_RE)) candidates.push(part);
  // Text pages: the first lines, joining a title broken after 工作 / 政府信息公开.
  const lines: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind !== "text") continue;
    for (const l of b.lines) {
      lines.push(l.text);
      if (lines.length > 60) break;
    }
    if (lines.length > 60) break;
  }
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const joined = i + 1 < lines.length ? l + lines[i + 1] : l;
    if (l.length <= 60 && REPORT_WORDS_RE.test(cleanTitle(l))) candidates.push(l);
    else if (joined.length <= 70 && REPORT_WORDS_RE.test(cleanTitle(joined)) && !REPORT_WORDS_RE.test(cleanTitle(lines[i + 1] ?? ""))) candidates.push(joined);
  }
  for (const c of candidates) {
    // "关于印发《某局2023年政府信息公开工作年度报告》的通知": the report's title is inside 《》.
    const quoted = /《([^《》]*(?:年度报告|年报)[^《》]*)》/.exec(c);
    const t = cleanTitle(quoted ? quoted[1]! : c);
    if (t.length >= 8 && t.length <= 80 && REPORT_WORDS_RE.test(t)) return t.replace(/^[一二三四五六七八九十]+、/, "");
  }
  return null;
}

export function yearFromTitle(title: string): number | null {
  const m = /((?:19|20)\d{2})\s*年/.exec(title) ?? /((?:19|20)\d{2})(?:年度)?(?=政府信息公开|政务公开)/.exec(title);
  return m ? Number(m[1]) : null;
}

export function agencyFromTitle(title: string): string | null {
  const t = title.replace(/[（(][^）)]*[）)]$/, "");
  // "<agency>2019年(度)政府信息公开…" or "2024年<agency>政府信息公开…"
  const before = /^(.{2,40}?)(?:(?:19|20)\d{2}\s*年度?)/.exec(t);
  if (before && !/^\d/.test(before[1]!)) return trimAgency(before[1]!);
  const after = /(?:19|20)\d{2}\s*年度?(.{2,40}?)(?:政府信息公开|政务公开|信息公开)/.exec(t);
  if (after) return trimAgency(after[1]!);
  const noYear = /^(.{2,40}?)(?:政府信息公开|政务公开|信息公开)/.exec(t);
  return noYear ? trimAgency(noYear[1]!) : null;
}

function trimAgency(s: string): string | null {
  const a = s.replace(/^[:：,，、\s]+|[:：,，、\s的]+$/g, "").replace(/^关于/, "");
  return a.length >= 2 ? a : null;
}

/** The statistical year from the 统计期限 sentence. */
export function yearFromBody(text: string): number | null {
  const t = text.replace(/[\s\u3000]+/g, "");
  const m =
    /统计(?:期限|时限|周期|时间|区间|范围)[^。]{0,24}?((?:19|20)\d{2})年1月1日/.exec(t) ??
    /((?:19|20)\d{2})年1月1日(?:起)?(?:至|到|-|—)(?:(?:19|20)\d{2}年)?12月31日/.exec(t) ??
    /((?:19|20)\d{2})年度?(?:政府信息公开|政务公开)(?:工作)?年度?报告/.exec(t);
  return m ? Number(m[1]) : null;
}

/** The reporting body from the body text when there is no title. */
export function agencyFromBody(text: string): string | null {
  const t = text.normalize("NFKC").replace(/[\s\u3000]+/g, "");
  const patterns = [
    new RegExp(`^(?:(?:19|20)\\d{2}年(?:度)?[,，、]?)([^,，。;；:：()（）]{2,30}?${AGENCY_SUFFIX})(?=深入|认真|坚持|全面|按照|严格|紧紧|围绕|在|以|把|持续|进一步|积极|扎实|高度|始终|贯彻|立足|主动|不断|聚焦)`),
    new RegExp(`请(?:与|联系)([^,，。;；:：()（）]{2,30}?${AGENCY_SUFFIX})(?:办公室|政务公开办|信息公开办|综合科|办公厅)?(?:联系|\\()`),
    new RegExp(`请联系([^,，。;；:：()（）]{2,30}?${AGENCY_SUFFIX})(?:办公室|政务公开办)`),
  ];
  for (const p of patterns) {
    const m = p.exec(t.slice(0, 3000));
    if (m) return m[1]!;
  }
  return null;
}

const DATE_RE = /((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/;

function isoDate(s: string | undefined): string | null {
  if (!s) return null;
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

export function publishedAt(doc: Doc): string | null {
  for (const k of ["pubdate", "publishdate", "firstpublishedtime", "发布时间", "发布日期", "成文日期"]) {
    const d = isoDate(doc.meta[k]);
    if (d) return d;
  }
  const m = /(?:发布(?:时间|日期)|时间)\s*[:：]\s*((?:19|20)\d{2}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2})/.exec(doc.text.slice(0, 20000));
  return m ? isoDate(m[1]) : null;
}

export function readMeta(doc: Doc): ReportMeta {
  const title = pickTitle(doc);
  let year = title ? yearFromTitle(title) : null;
  year ??= yearFromBody(doc.text);
  let agency = title ? agencyFromTitle(title) : null;
  agency ??= doc.meta["contentsource"] || null;
  agency ??= agencyFromBody(doc.text);
  if (year !== null && (year < 2000 || year > 2100)) year = null;
  return { title, agency, year, publishedAt: publishedAt(doc) };
}
