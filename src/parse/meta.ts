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

const CN_DIGITS: Record<string, string> = { 〇: "0", 零: "0", "○": "0", Ｏ: "0", 一: "1", 二: "2", 三: "3", 四: "4", 五: "5", 六: "6", 七: "7", 八: "8", 九: "9" };

/** "二〇二三年" → "2023年": years written in Chinese numerals read like Arabic ones. */
export function arabicYears(s: string): string {
  return s.replace(/([〇零○Ｏ一二三四五六七八九]{4})(?=\s*年)/g, (m) => [...m].map((c) => CN_DIGITS[c] ?? c).join(""));
}

const YEAR_RE = /((?:19|20)\d{2})\s*年度?/;

export function yearFromTitle(title: string): number | null {
  const t = arabicYears(title);
  const m = YEAR_RE.exec(t) ?? /((?:19|20)\d{2})(?:年度)?(?=政府信息公开|政务公开)/.exec(t);
  return m ? Number(m[1]) : null;
}

// Words that are not a reporting body, left over when a title names none ("2023年政府信息公开…").
const NOT_AGENCY = new Set(["政府", "本机关", "本单位", "本部门", "我局", "我委", "我办", "我单位", "本局", "年度", "本年度"]);
// Text around the agency in titles of notices and mirrors: "关于发布…的公告", "365bet官网-…".
const NOTICE_RE = /(?:关于)?(?:发布|印发|公布|公开)?$/;

/** The reporting body named by a report title, or null when it names none. */
export function agencyFromTitle(title: string): string | null {
  const t = arabicYears(title).replace(/[（(][^）)]*[）)]$/, "");
  const y = YEAR_RE.exec(t);
  const report = /(?:政府信息公开|政务公开|信息公开)/.exec(t);
  let candidate = "";
  if (y) {
    const before = t.slice(0, y.index);
    const after = report && report.index > y.index ? t.slice(y.index + y[0].length, report.index) : "";
    candidate = cleanAgency(before) || cleanAgency(after);
  } else if (report) {
    candidate = cleanAgency(t.slice(0, report.index));
  }
  return candidate || null;
}

function cleanAgency(s: string): string {
  // A mirror's prefix ends at the last separator; a notice's "关于发布" is not part of the name.
  const parts = s.split(/[-—_|｜:：·•]+/);
  let a = (parts[parts.length - 1] ?? "").replace(/^[\s,，、的]+|[\s,，、的]+$/g, "");
  a = a.replace(/^关于/, "").replace(NOTICE_RE, "").replace(/关于$/, "");
  if (a.length < 2 || NOT_AGENCY.has(a) || /^\d/.test(a) || /[a-z]{3,}/i.test(a)) return "";
  return a;
}

/** The statistical year from the 统计期限 sentence (or a "YYYY年1月1日至12月31日" period). */
export function yearFromPeriod(text: string): number | null {
  const t = arabicYears(text.replace(/[\s\u3000]+/g, ""));
  const m =
    /统计(?:期限|时限|周期|时间|区间|范围)[^。]{0,24}?((?:19|20)\d{2})年1月1日/.exec(t) ??
    /((?:19|20)\d{2})年1月1日(?:起)?(?:至|到|-|—)(?:(?:19|20)\d{2}年)?12月31日/.exec(t);
  return m ? Number(m[1]) : null;
}

/** The statistical year from the body: the period if stated, else a mention of "YYYY年度…年度报告". */
export function yearFromBody(text: string): number | null {
  const period = yearFromPeriod(text);
  if (period !== null) return period;
  const m = /((?:19|20)\d{2})年度?(?:政府信息公开|政务公开)(?:工作)?年度?报告/.exec(arabicYears(text.replace(/[\s\u3000]+/g, "")));
  return m ? Number(m[1]) : null;
}

/** The reporting body from the body text when there is no title. */
export function agencyFromBody(text: string): string | null {
  // Spaces go; line breaks stay, so a name never runs on from the line before.
  const t = text.normalize("NFKC").replace(/[^\S\n]+/g, "");
  const patterns = [
    new RegExp(`([^,，。;；:：()（）《》“”\\s]{2,30}?${AGENCY_SUFFIX})(?:根据|按照|依据|依照)《中华人民共和国政府信息公开条例》`),
    new RegExp(`(?:^|\\n)(?:(?:19|20)\\d{2}年(?:度)?[,，、]?)([^,，。;；:：()（）\\n]{2,30}?${AGENCY_SUFFIX})(?=深入|认真|坚持|全面|按照|严格|紧紧|围绕|在|以|把|持续|进一步|积极|扎实|高度|始终|贯彻|立足|主动|不断|聚焦)`),
    new RegExp(`请(?:与|联系)([^,，。;；:：()（）\\n]{2,30}?${AGENCY_SUFFIX})(?:办公室|政务公开办|信息公开办|综合科|办公厅)?(?:联系|\\()`),
    new RegExp(`请联系([^,，。;；:：()（）\\n]{2,30}?${AGENCY_SUFFIX})(?:办公室|政务公开办)`),
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

/** The agency named in the 公开 metadata table at the top of a page (发布机构 | XX局). */
export function agencyFromMetaTable(doc: Doc): string | null {
  for (const b of doc.blocks) {
    if (b.kind !== "table") continue;
    for (const row of b.grid.rows) {
      for (let i = 0; i + 1 < row.length; i++) {
        const k = row[i]!.text.replace(/\s+/g, "");
        if (/^(?:发布机构|发文机关|发布单位|制发机关|公开主体)[:：]?$/.test(k)) {
          const v = row[i + 1]!.text.trim();
          if (v.length >= 2 && !NOT_AGENCY.has(v)) return v;
        }
      }
    }
  }
  return null;
}

export interface ReportMetaWithNotes extends ReportMeta {
  /** The title's year and the 统计期限 sentence's year, when they disagree. */
  yearConflict: { title: number; period: number } | null;
}

export function readMeta(doc: Doc): ReportMetaWithNotes {
  const title = pickTitle(doc);
  const titleYear = title ? yearFromTitle(title) : null;
  const periodYear = yearFromPeriod(doc.text);
  // The statistical period states the year outright; a title can carry a typo or the publication
  // year. A mere mention in the body ("2022年度…年度报告" of last year) comes last.
  let year = periodYear ?? titleYear ?? yearFromBody(doc.text);
  const yearConflict = titleYear !== null && periodYear !== null && titleYear !== periodYear ? { title: titleYear, period: periodYear } : null;
  let agency = title ? agencyFromTitle(title) : null;
  agency ??= (doc.meta["contentsource"] || null) ?? null;
  agency ??= agencyFromMetaTable(doc);
  agency ??= agencyFromBody(doc.text);
  if (year !== null && (year < 2000 || year > 2100)) year = null;
  return { title, agency, year, publishedAt: publishedAt(doc), yearConflict };
}
