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

function cleanTitle(t: string): string {
  return t.normalize("NFKC").replace(/[\s\u3000]+/g, "").replace(/^(关于|附件[:：]?)/, "");
}

// A cell of the report's own tables (not a metadata table such as 索引号 | 发布机构).
const REPORT_TABLE_RE = /信息内容|申请人情况|本年新收|行政复议|规章/;
// Breadcrumbs and navigation: never a title, whatever they end with.
const CHROME_RE = /当前位置|您的位置|首页|[>»＞→]/;
// The report's title ends with the report words (a trailing gloss such as "（修订版）" aside).
const TITLE_END_RE = /(?:年度报告|年报|工作报告)$/;

/**
 * Whether text can hold a title: every title ends in 年度报告, 年报 or 工作报告, and no character
 * but 报 itself becomes 报 under NFKC. Most of a page's chrome fails this, and is then neither
 * assembled into candidates nor normalised.
 */
function mayHoldTitle(s: string): boolean {
  return s.includes("报");
}

/** A cleaned candidate if it reads like the title of one annual report, else null. */
function titleCandidate(raw: string): string | null {
  if (!mayHoldTitle(raw)) return null;
  // "关于印发《某局2023年政府信息公开工作年度报告》的通知": the report's title is inside 《》.
  const quoted = /《([^《》]*(?:年度报告|年报)[^《》]*)》/.exec(raw);
  let c = (quoted ? quoted[1]! : raw).trim();
  // "XX局关于报送2023年…年度报告的函": the sender's name and the report's words make the title.
  const notice = /^(.*?)关于(?:报送|印发|发布|公布|公开)?(.*(?:年度报告|年报))(?:的函|的通知|的公告|的报告)$/.exec(c);
  if (notice) c = notice[1]! + notice[2]!;
  if (CHROME_RE.test(c) || /[。；;]/.test(c)) return null;
  const t = cleanTitle(c)
    .replace(/^[一二三四五六七八九十]+、/, "")
    .replace(/[（(][^（()）]*[）)]$/, "");
  if (t.length < 8 || t.length > 80 || !REPORT_WORDS_RE.test(t) || !TITLE_END_RE.test(t)) return null;
  return t;
}

/** How much a title says: a year and a body make it the report's own title, not a column name. */
function titleScore(t: string): number {
  return (yearFromTitle(t) !== null ? 2 : 0) + (agencyFromTitle(t) !== null ? 2 : 0);
}

/**
 * Pick the title: among the page's title fields and the title-like lines (a
 * whole line, or a space-separated piece of one — a title often shares its line with breadcrumbs
 * or 来源/时间), the one that names a year and a body. Breadcrumbs, a column name (政府信息公开年报)
 * and the site name never qualify; a candidate naming neither year nor body is taken only when
 * there is nothing better.
 */
export function pickTitle(doc: Doc): string | null {
  return titleCandidates(doc)[0]?.title ?? null;
}

/**
 * Every title-like candidate of the page that names a year or a body, best first (score, then
 * the shortest, then reading order), each once. Several with the top score happen on real pages: a sidebar or 相关链接
 * list of other reports' titles before or after the report's own.
 */
export function titleCandidates(doc: Doc): { title: string; score: number }[] {
  const raw: string[] = [];
  for (const t of doc.titles) for (const part of t.split(TITLE_SPLIT_RE)) raw.push(part);
  // Text pages: the first lines, joining a title broken over two or three lines. A page with
  // tables has its title before them (after them come related links and other reports' titles).
  const lines: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind === "table" && b.grid.rows.some((r) => r.some((c) => REPORT_TABLE_RE.test(c.text)))) break;
    if (b.kind !== "text") continue;
    for (const l of b.lines) {
      lines.push(l.text);
      if (lines.length > 80) break;
    }
    if (lines.length > 80) break;
  }
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const next = lines[i + 1] ?? "";
    const third = lines[i + 2] ?? "";
    // Only text that may hold a title is assembled (the rest could give no candidate).
    const inLine = mayHoldTitle(l);
    const inNext = inLine || mayHoldTitle(next);
    if (l.length <= 70 && inLine) for (const part of l.split(TITLE_SPLIT_RE)) raw.push(part);
    if (l.length + next.length <= 80 && inNext && !REPORT_WORDS_RE.test(cleanTitle(next))) raw.push(l + next);
    if (l.length + next.length + third.length <= 80 && (inNext || mayHoldTitle(third)) && !REPORT_WORDS_RE.test(cleanTitle(l + next)) && !REPORT_WORDS_RE.test(cleanTitle(third))) raw.push(l + next + third);
    if (!inLine) continue;
    const pieces = l.split(/[\s\u3000]+/);
    // Space-separated pieces, and pairs of them ("某局2020年度 政府信息公开工作年度报告").
    if (pieces.length > 1) pieces.forEach((p, k) => raw.push(p, p + (pieces[k + 1] ?? "")));
  }
  const seen = new Set<string>();
  const out: { title: string; score: number; order: number }[] = [];
  for (const r of raw) {
    const t = titleCandidate(r);
    if (t === null || seen.has(t)) continue;
    seen.add(t);
    const score = titleScore(t);
    // A bare "政府信息公开工作年度报告" is a column name or a generic heading, not this report's title.
    if (score > 0) out.push({ title: t, score, order: out.length });
  }
  // Equal scores: the shortest first ("正文" or a column name joined on is not part of a title).
  return out.sort((a, b) => b.score - a.score || a.title.length - b.title.length || a.order - b.order).map(({ title, score }) => ({ title, score }));
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
  // A body reposting another's report ("XX县人民政府办公室转发XX局…年度报告") is not its author.
  const parts = s.split(/[-—_|｜:：·•]+|转发|转载/);
  let a = (parts[parts.length - 1] ?? "").replace(/^[\s,，、的]+|[\s,，、的]+$/g, "");
  a = a.replace(/^关于/, "").replace(NOTICE_RE, "").replace(/关于$/, "");
  if (a.length < 2 || NOT_AGENCY.has(a) || /^\d/.test(a) || /[a-z]{3,}/i.test(a)) return "";
  return isAgencyName(a) ? a : "";
}

// How a body's name ends: 局, 委, 办, 厅, 府, 院, 会, 中心, 所, 站… or a region (某县 in a title).
const BODY_END_RE = /(?:局|委员会|委|办公室|办|厅|部|署|院|政府|中心|管委会|办事处|街道|镇|乡|站|所|队|会|处|馆|司|集团|公司|场|社|校|台|园|行|区|县|市|旗|州|盟|省)$/;
// Words that make a string a sentence, an office's committee or a page's chrome, not a body's name.
// A digit is one too, except in an ordinal of up to three digits (第1局, 第12局).
const NOT_NAME_RE = /[\s,，。、;；:：“”"《》<>＞»|/\\!?！？]|首页|当前位置|转发|转载|通过|根据|按照|依据|依照|关于|报送|的函|网站|联系|疑问|报告|年报|信息公开|领导小组|公开工作|我局|我委|我办|本局|本机关|本单位|年度|(?<!第\d{0,2})\d|第\d{4}/;

/** Is this the name of a body (ends like one, and is not a sentence fragment)? */
export function isAgencyName(a: string): boolean {
  if (a.length < 2 || a.length > 40 || NOT_AGENCY.has(a)) return false;
  if (/^[我本该请如对在为向]/.test(a) || NOT_NAME_RE.test(a)) return false;
  return BODY_END_RE.test(a);
}

/** A candidate name with glued-on words removed (…管理局关于报送 → …管理局), or null when not a body's name. */
export function cleanName(raw: string): string | null {
  const a = raw
    .normalize("NFKC")
    .replace(/[\s\u3000]+/g, "")
    .replace(/(?:关于|报送|的函).*$/, "")
    .replace(/^[,，、:：]+|[,，、:：]+$/g, "");
  return isAgencyName(a) ? a : null;
}

/** The statistical year from the 统计期限 sentence (or a "YYYY年1月1日至12月31日" period). */
export function yearFromPeriod(text: string): number | null {
  // 二〇二三年一月一日至十二月三十一日, 2023.1.1-2023.12.31 read as 2023年1月1日至12月31日.
  const t = arabicYears(text.replace(/[\s\u3000]+/g, ""))
    .replace(/年一月一日/g, "年1月1日")
    .replace(/十二月三十一日/g, "12月31日")
    .replace(/((?:19|20)\d{2})[.．/]0?1[.．/]0?1(?!\d)/g, "$1年1月1日")
    .replace(/(?:(?:19|20)\d{2}[.．/])?12[.．/]31(?!\d)/g, "12月31日");
  const m =
    /统计(?:期限|时限|周期|时间|区间|范围)[^。]{0,24}?((?:19|20)\d{2})年1月1日/.exec(t) ??
    /((?:19|20)\d{2})年1月1日(?:起)?(?:至|到|-|—|~|～)(?:(?:19|20)\d{2}年)?12月31日/.exec(t) ??
    // 本报告所列数据的统计期限为2023年度
    /统计(?:期限|时限|周期|时间|区间|范围)(?:为|是|:|：)?((?:19|20)\d{2})年度?(?:[。,，;；]|$)/.exec(t);
  return m ? Number(m[1]) : null;
}

/** The statistical year from the body: the period if stated, else a mention of "YYYY年度…年度报告". */
export function yearFromBody(text: string): number | null {
  const period = yearFromPeriod(text);
  if (period !== null) return period;
  const m = /((?:19|20)\d{2})年度?(?:政府信息公开|政务公开)(?:工作)?年度?报告/.exec(arabicYears(text.replace(/[\s\u3000]+/g, "")));
  return m ? Number(m[1]) : null;
}

/** Where a piece of evidence about the reporting body comes from, and how much it weighs. */
export type AgencySource = "title" | "hint" | "meta_table" | "contentsource" | "opening" | "signature" | "body" | "contact";
// A body is taken when its evidence weighs at least ACCEPT: one strong source, or the first
// sentence with the contact line. A CMS's content-source field often holds the site's name (the
// zone's, on a department's page): weak. The contact office may serve another body: weakest.
const WEIGHT: Record<AgencySource, number> = { title: 5, meta_table: 5, hint: 4, signature: 4, opening: 4, body: 3, contentsource: 2, contact: 1 };
const ACCEPT = 3;
const SOURCE_NAME: Record<AgencySource, string> = {
  title: "标题",
  hint: "列表中的标题",
  meta_table: "发布机构",
  contentsource: "页面来源",
  opening: "开头一句",
  signature: "落款",
  body: "正文首句",
  contact: "联系方式",
};

export interface AgencyEvidence {
  source: AgencySource;
  value: string;
}

// The office that answers questions about the report, after the body's name.
const CONTACT_OFFICE_RE = /(?:(?:政府信息公开|政务公开|信息公开)(?:工作)?领导小组办公室|(?:党政|综合|行政)?办公室|政务公开办公室|政务公开办|信息公开办|综合科|办公厅|[^局委办厅府院会]{1,8}科)$/;

/** The reporting body behind a contact office ("XX局办公室" → XX局), or null. */
function bodyOfContact(office: string): string | null {
  let a = office;
  for (let i = 0; i < 3 && CONTACT_OFFICE_RE.test(a); i++) a = a.replace(CONTACT_OFFICE_RE, "");
  return a !== office ? cleanName(a) : null;
}

const NAME = "[^,，。;；:：()（）《》“”\\s]";
const OPENING_RES = [
  // 现将XX市XX局2019年度政府信息公开工作情况报告如下 / 现公布XX局2023年度…年度报告
  new RegExp(`(?:现将|现(?:予)?公布|现发布)(${NAME}{2,40}?)(?:19|20)\\d{2}年度?(?:政府信息公开|政务公开)`),
  new RegExp(`(?:^|[。\\n])(${NAME}{2,30}?)(?:根据|按照|依据|依照)《中华人民共和国政府信息公开条例》`),
  // XX局编制了2021年度…报告 / 市科委编制本年度报告
  new RegExp(`(?:^|[。,，\\n])(${NAME}{2,30}?)编制(?:了|完成)?(?:本|(?:19|20)\\d{2})`),
];
const FIRST_SENTENCE_RE = new RegExp(
  `(?:^|\\n)(?:(?:19|20)\\d{2}年(?:度)?[,，、]?)(${NAME}{2,30}?)(?=深入|认真|坚持|全面|按照|严格|紧紧|围绕|在|以|把|持续|进一步|积极|扎实|高度|始终|贯彻|立足|主动|不断|聚焦)`,
);
const CONTACT_RE = new RegExp(`请(?:与|联系)(${NAME}{2,40}?)(?:联系|\\(|电话|$)`, "m");

/** Evidence about the body in the text: the opening sentence, the first sentence, the contact line. */
export function agencyEvidenceFromBody(text: string): AgencyEvidence[] {
  // Spaces go; line breaks stay, so a name never runs on from the line before.
  const t = text.slice(0, 6000).normalize("NFKC").replace(/[^\S\n]+/g, "").slice(0, 4000);
  const out: AgencyEvidence[] = [];
  const add = (source: AgencySource, raw: string | undefined) => {
    const v = raw ? (source === "contact" ? bodyOfContact(raw) : cleanName(raw)) : null;
    if (v) out.push({ source, value: v });
  };
  for (const re of OPENING_RES) add("opening", re.exec(t)?.[1]);
  // The first sentence's subject; when that sentence goes on to 现将…报告如下, it is the opening.
  const first = FIRST_SENTENCE_RE.exec(t);
  if (first) {
    const rest = t.slice(first.index + first[0].length);
    const end = rest.search(/[。\n]/);
    add(/报告如下/.test(end < 0 ? rest : rest.slice(0, end)) ? "opening" : "body", first[1]);
  }
  add("contact", CONTACT_RE.exec(t)?.[1]);
  return out;
}

/** The reporting body from the body text when there is no title (the strongest body evidence). */
export function agencyFromBody(text: string): string | null {
  const ev = agencyEvidenceFromBody(text);
  ev.sort((a, b) => WEIGHT[b.source] - WEIGHT[a.source]);
  return ev[0]?.value ?? null;
}

/** The closing signature: the body's name and the date, the last lines of the report. */
export function signature(text: string): { agency: string; date: string; year: number } | null {
  const tail = text.slice(-900).normalize("NFKC").slice(-600);
  const re = /([^\s,，。;；:：()（）《》“”、]{2,40}?)\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g;
  let found: { agency: string; date: string; year: number } | null = null;
  for (let m = re.exec(tail); m; m = re.exec(tail)) {
    const name = cleanName(m[1]!);
    if (!name) continue;
    const [y, mo, d] = [Number(m[2]), Number(m[3]), Number(m[4])];
    if (mo < 1 || mo > 12 || d < 1 || d > 31) continue;
    found = { agency: name, date: `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`, year: y };
  }
  return found;
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
        // Each key below has 发 or 公: a cell with neither (every number) is not one.
        const text = row[i]!.text;
        if (!text.includes("发") && !text.includes("公")) continue;
        const k = text.replace(/\s+/g, "");
        if (/^(?:发布机构|发文机关|发布单位|制发机关|公开主体)[:：]?$/.test(k)) {
          const v = cleanName(row[i + 1]!.text);
          if (v) return v;
        }
      }
    }
  }
  return null;
}

/** A finding about the metadata, turned into a record issue by the pipeline. */
export interface MetaNote {
  code: "meta.agency_conflict" | "meta.agency_weak" | "meta.agency_missing" | "meta.year_missing" | "meta.year_conflict" | "meta.year_uncertain" | "meta.signature_year";
  message: string;
  expected?: number | string;
  actual?: number | string;
  data?: Record<string, unknown>;
}

export interface ReportMetaWithNotes extends ReportMeta {
  /** The title's year and the 统计期限 sentence's year, when they disagree. */
  yearConflict: { title: number; period: number } | null;
  /** Every piece of evidence about the reporting body that was found. */
  agencyEvidence: AgencyEvidence[];
  notes: MetaNote[];
}

/** Two names of one body: the same, or one inside the other (市科委 / 上海市科委). */
function sameBody(a: string, b: string): boolean {
  return a === b || a.includes(b) || b.includes(a);
}

interface Choice {
  agency: string | null;
  notes: MetaNote[];
}

/**
 * Weigh the evidence: names of one body support each other (each source counted once); the best
 * supported body wins, named as its strongest source names it. A body that only the contact line
 * names is not enough (the office answering questions may serve another body). Disagreeing
 * strong sources are reported, saying which body was chosen and why.
 */
export function chooseAgency(evidence: readonly AgencyEvidence[]): Choice {
  const groups: { items: AgencyEvidence[] }[] = [];
  for (const e of evidence) {
    const g = groups.find((x) => x.items.some((i) => sameBody(i.value, e.value)));
    if (g) g.items.push(e);
    else groups.push({ items: [e] });
  }
  const score = (g: { items: AgencyEvidence[] }) => {
    const best = new Map<AgencySource, number>();
    for (const i of g.items) best.set(i.source, WEIGHT[i.source]);
    return [...best.values()].reduce((a, b) => a + b, 0);
  };
  const strongest = (g: { items: AgencyEvidence[] }) => [...g.items].sort((a, b) => WEIGHT[b.source] - WEIGHT[a.source])[0]!;
  const ranked = groups.map((g) => ({ g, score: score(g), top: strongest(g) })).sort((a, b) => b.score - a.score || WEIGHT[b.top.source] - WEIGHT[a.top.source]);
  const win = ranked[0];
  const describe = (g: { items: AgencyEvidence[] }) => [...new Set(g.items.map((i) => SOURCE_NAME[i.source]))].join("、");
  if (!win) return { agency: null, notes: [{ code: "meta.agency_missing", message: "页面没有写明报告机关（标题、开头、落款、发布机构均未提及）" }] };
  if (win.score < ACCEPT) {
    return {
      agency: null,
      notes: [
        {
          code: "meta.agency_missing",
          message: `页面没有可靠地写明报告机关：只有${describe(win.g)}提到“${win.top.value}”，不足以认定`,
          data: { evidence: win.g.items },
        },
      ],
    };
  }
  const notes: MetaNote[] = [];
  const rivals = ranked.slice(1).filter((r) => r.score >= ACCEPT);
  if (rivals.length) {
    notes.push({
      code: "meta.agency_conflict",
      message: `报告机关说法不一：${[win, ...rivals].map((r) => `${describe(r.g)}为“${r.top.value}”`).join("，")}；采用“${win.top.value}”（依据更多、更强：${describe(win.g)}）`,
      expected: win.top.value,
      actual: rivals[0]!.top.value,
      data: { evidence: evidence },
    });
  }
  // Named by the body text's first sentence alone: often right, yet such a sentence may name an
  // office that did the work rather than the reporting body. Kept, with a warning that says so.
  if (win.g.items.every((i) => i.source === "body")) {
    notes.push({
      code: "meta.agency_weak",
      message: `报告机关“${win.top.value}”只见于${describe(win.g)}（标题、开头、落款、发布机构均未写明），请核对`,
      data: { evidence: win.g.items },
    });
  }
  return { agency: mostSpecific(win.g.items, win.top.value), notes };
}

// A region's name alone (某市 in "某市2022年…年度报告"): the body may be named more fully elsewhere.
const REGION_ONLY_RE = /(?:省|市|县|区|镇|乡|州|旗|盟)$/;

/** The chosen name, or — when it is only a region's — the fuller name a good source of the same group gives (某市 → 某市财政局). */
function mostSpecific(items: readonly AgencyEvidence[], chosen: string): string {
  if (!REGION_ONLY_RE.test(chosen)) return chosen;
  const fuller = items.filter((i) => WEIGHT[i.source] >= ACCEPT && i.value.length > chosen.length && i.value.includes(chosen)).sort((a, b) => WEIGHT[b.source] - WEIGHT[a.source]);
  return fuller[0]?.value ?? chosen;
}

export interface MetaOptions {
  /** The title the caller saw (the list link's text, for a crawled page). */
  titleHint?: string | null;
}

export function readMeta(doc: Doc, options: MetaOptions = {}): ReportMetaWithNotes {
  // A link to a file is often titled with the file name: its extension is not part of the title.
  const hint = options.titleHint?.trim().replace(/\.(?:pdf|docx?|wps)$/i, "") || null;
  const hintTitle = hint ? titleCandidate(hint) : null;
  const periodYear = yearFromPeriod(doc.text);
  // The page's best titles. Several of them (a sidebar of other reports' titles): those of the
  // statistical period's year, if any, then the body the evidence supports decides below.
  const cands = titleCandidates(doc);
  let tops = cands.filter((c) => c.score === cands[0]?.score).map((c) => c.title);
  if (periodYear !== null && tops.some((t) => yearFromTitle(t) === periodYear)) tops = tops.filter((t) => yearFromTitle(t) === periodYear);
  let pageTitle = tops[0] ?? null;
  const title0 = pageTitle ?? (hintTitle && titleScore(hintTitle) > 0 ? hintTitle : null);
  const evidence: AgencyEvidence[] = [];
  for (const a of new Set(tops.map(agencyFromTitle))) if (a) evidence.push({ source: "title", value: a });
  const fromHint = hintTitle ? agencyFromTitle(hintTitle) : null;
  if (fromHint) evidence.push({ source: "hint", value: fromHint });
  const table = agencyFromMetaTable(doc);
  if (table) evidence.push({ source: "meta_table", value: table });
  const cs = cleanName(doc.meta["contentsource"] ?? "");
  if (cs) evidence.push({ source: "contentsource", value: cs });
  evidence.push(...agencyEvidenceFromBody(doc.text));
  const sig = signature(doc.text);
  if (sig) evidence.push({ source: "signature", value: sig.agency });
  const choice = chooseAgency(evidence);
  // The title is the one naming the chosen body (when a sidebar lists others).
  const chosen = choice.agency;
  if (chosen !== null && tops.length > 1) pageTitle = tops.find((t) => sameBody(agencyFromTitle(t) ?? "", chosen)) ?? pageTitle;
  const title = pageTitle ?? title0;
  const titleYear = title ? yearFromTitle(title) : null;
  // The statistical period states the year outright; a title can carry a typo or the publication
  // year. A mere mention in the body ("2022年度…年度报告" of last year) comes last.
  let year = periodYear ?? titleYear ?? yearFromBody(doc.text);
  const yearConflict = titleYear !== null && periodYear !== null && titleYear !== periodYear ? { title: titleYear, period: periodYear } : null;
  if (year !== null && (year < 2000 || year > 2100)) year = null;

  const notes: MetaNote[] = [];
  if (year === null) notes.push({ code: "meta.year_missing", message: "页面没有写明统计年度" });
  if (yearConflict) {
    notes.push({
      code: "meta.year_conflict",
      message: `标题写的是${yearConflict.title}年，统计期限写的是${yearConflict.period}年，按统计期限记为${yearConflict.period}年`,
      expected: yearConflict.period,
      actual: yearConflict.title,
    });
  }
  // The list link's title (the caller's hint) is evidence too: a list that files this page under
  // another year than the page's own is said, not silently dropped.
  const hintYear = hintTitle ? yearFromTitle(hintTitle) : null;
  if (!yearConflict && year !== null && hintYear !== null && hintYear !== year) {
    notes.push({
      code: "meta.year_conflict",
      message: `列表中的标题写的是${hintYear}年，页面${periodYear !== null ? "的统计期限" : ""}写的是${year}年，按页面记为${year}年`,
      expected: year,
      actual: hintYear,
    });
  }
  // A year only mentioned in the body ("…2021年度…年度报告…") may be last year's report: unless
  // the signature's or the publication's date agrees, say so.
  if (year !== null && periodYear === null && titleYear === null) {
    const dated = sig?.year ?? (publishedAt(doc) ? Number(publishedAt(doc)!.slice(0, 4)) : null);
    if (dated !== year && dated !== year + 1) {
      notes.push({ code: "meta.year_uncertain", message: `标题和统计期限都没有写明年度，按正文提到的“${year}年度…年度报告”记为 ${year} 年，可能是上一年度的报告，请核对`, actual: year });
    }
  }
  // A report is published after its year begins: a publication date before it means a wrong year.
  const published = publishedAt(doc);
  if (year !== null && published !== null && Number(published.slice(0, 4)) < year) {
    notes.push({ code: "meta.year_uncertain", message: `统计年度记为 ${year} 年，但页面的发布日期是 ${published}，早于该年度，请核对年度`, expected: Number(published.slice(0, 4)) - 1, actual: year });
  }
  // The signature's date is a weak check: a report on year N is signed in N or early N+1.
  if (sig && year !== null && sig.year !== year && sig.year !== year + 1) {
    notes.push({
      code: "meta.signature_year",
      message: `落款日期 ${sig.date} 与统计年度 ${year} 年不相符（应为 ${year} 年或 ${year + 1} 年），请核对年度`,
      expected: year,
      actual: sig.year,
      data: { signature: sig },
    });
  }
  notes.push(...choice.notes);
  return { title, agency: choice.agency, year, publishedAt: published, yearConflict, agencyEvidence: evidence, notes };
}
