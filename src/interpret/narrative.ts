import type { Doc } from "../parse/grid.js";
import type { Issue } from "../schema/issues.js";

/**
 * The report's prose repeats its key numbers: 本年共收到政府信息公开申请17件, 结转下年度继续办理2件,
 * 行政复议2件, 行政诉讼0件. Each such sentence names one table cell (or the sum of two), so it is
 * evidence: checked against the table (a disagreement is an issue, never a correction), and it may
 * choose among the splits of glued digits that every identity allows.
 *
 * Only sentences of the text runs are read (never table cells), and only numbers with a count unit
 * (件/起/份/个) directly after a phrase naming the cell: "收到…申请5件", not "5件申请中…".
 */

export interface NarrativeFact {
  /** The value paths whose sum the sentence states (one path for most). */
  paths: string[];
  /** What the cell is called in the message. */
  label: string;
  value: number;
  /** The sentence, as printed (spaces removed). */
  sentence: string;
}

interface Pattern {
  paths: string[];
  label: string;
  re: RegExp;
  /** Text right before the match that makes it another figure (上年结转…申请 is not 新收). */
  notAfter?: RegExp;
}

const N = "(\\d{1,6})";
const UNIT = "(?:件|起|份|个)";
const PATTERNS: Pattern[] = [
  {
    paths: ["applications.new_received.total"],
    label: "本年新收政府信息公开申请（总计）",
    re: new RegExp(`(?:受理|收到|新收|接收|接到)(?:了)?(?:各类|公民、法人或其他组织(?:提出的)?)?(?:政府信息公开|信息公开|依申请公开(?:政府信息)?)(?:的)?申请(?:共计|共|合计|总计|数量为|数为|为)?${N}${UNIT}`, "g"),
    notAfter: /(?:上年|结转|去年)[^。；]{0,6}$/,
  },
  {
    paths: ["applications.carried_over.total"],
    label: "上年结转政府信息公开申请（总计）",
    re: new RegExp(`上年(?:度)?结转(?:的)?(?:政府信息公开|信息公开)?申请(?:共|数量为|为)?${N}${UNIT}`, "g"),
  },
  {
    paths: ["applications.carried_forward.total"],
    label: "结转下年度继续办理（总计）",
    re: new RegExp(`结转(?:至|到)?下(?:一)?年(?:度)?(?:继续)?(?:办理)?(?:的)?(?:申请)?(?:共|数量为|为)?${N}${UNIT}`, "g"),
  },
  {
    paths: ["reviewLitigation.review.total"],
    label: "行政复议（总计）",
    re: new RegExp(`(?:政府信息公开)?行政复议(?:案件)?(?:数量|数)?(?:共|为|共计)?${N}${UNIT}`, "g"),
  },
  {
    paths: ["reviewLitigation.litigation_direct.total", "reviewLitigation.litigation_after_review.total"],
    label: "行政诉讼（未经复议直接起诉与复议后起诉之和）",
    re: new RegExp(`(?:政府信息公开)?行政诉讼(?:案件)?(?:数量|数)?(?:共|为|共计)?${N}${UNIT}`, "g"),
  },
];

// Words before a figure that make it another period's, a running total, a part or a wider count
// (上年度…行政复议11件, 自2019年以来累计…, 其中通过网站收到…, 各类行政复议…): not this year's cell.
const OTHER_FIGURE_RE = /上(?:一)?年|去年|前年|同期|以来|累计|历年|近[一二三四五两\d]+年|其中|各类|全部|所有/;

/** The last year named before the figure is not the report's (2022年行政复议11件 in a 2023 report). */
function otherYear(before: string, year: number | null): boolean {
  const last = [...before.matchAll(/((?:19|20)\d{2})年/g)].pop();
  return year !== null && last !== undefined && Number(last[1]) !== year;
}

// A sentence can state a figure only if it has a number with a count unit.
const FIGURE_RE = /\d(?:件|起|份|个)/;

/** The sentences of the page's text runs (never its table cells), spaces removed. */
function sentences(doc: Doc): string[] {
  const out: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind !== "text") continue;
    const text = b.lines.map((l) => l.text).join("\n").normalize("NFKC").replace(/[^\S\n]+/g, "");
    for (const s of text.split(/[。；;!！?？\n]/)) if (s.length >= 4) out.push(s);
  }
  return out;
}

/**
 * Every statement of a table figure in the prose, in reading order. `year` is the report's: a
 * sentence naming another year before the figure is about that year.
 */
export function readNarrative(doc: Doc, year: number | null = null): NarrativeFact[] {
  const out: NarrativeFact[] = [];
  for (const s of sentences(doc)) {
    if (!FIGURE_RE.test(s)) continue;
    for (const p of PATTERNS) {
      const re = p.re;
      re.lastIndex = 0;
      for (let m = re.exec(s); m; m = re.exec(s)) {
        const before = s.slice(0, m.index);
        const clause = before.slice(Math.max(before.lastIndexOf("，"), before.lastIndexOf(","), before.lastIndexOf("、")) + 1);
        if (p.notAfter?.test(before) || OTHER_FIGURE_RE.test(clause) || otherYear(before, year)) continue;
        out.push({ paths: p.paths, label: p.label, value: Number(m[1]), sentence: s });
      }
    }
  }
  return out;
}

/**
 * Facts about one cell each, agreed by every sentence that states them: what may settle a glued
 * split. A cell the prose states two ways is no evidence.
 */
export function singleCellFacts(facts: readonly NarrativeFact[], paths: ReadonlySet<string>): Map<string, NarrativeFact> {
  const out = new Map<string, NarrativeFact>();
  const contradicted = new Set<string>();
  for (const f of facts) {
    if (f.paths.length !== 1 || !paths.has(f.paths[0]!)) continue;
    const p = f.paths[0]!;
    const had = out.get(p);
    if (had && had.value !== f.value) contradicted.add(p);
    else out.set(p, f);
  }
  for (const p of contradicted) out.delete(p);
  return out;
}

/**
 * Check the prose against the table: each stated figure whose cells were read (not missing, not
 * unreadable) must equal them. Findings only: the table's number is kept as printed.
 */
export function checkNarrative(facts: readonly NarrativeFact[], values: ReadonlyMap<string, number | null>, unsure: ReadonlySet<string>): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const f of facts) {
    if (!f.paths.every((p) => values.has(p) && !unsure.has(p))) continue;
    const cells = f.paths.map((p) => values.get(p) ?? null);
    if (cells.every((v) => v === null)) continue;
    const table = cells.reduce<number>((a, v) => a + (v ?? 0), 0);
    if (table === f.value) continue;
    const key = `${f.paths.join("+")}:${f.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({
      code: "narrative.mismatch",
      severity: "warning",
      message: `正文说${f.label}为 ${f.value}，表格为 ${table}（“${f.sentence}”）；按表格记录`,
      paths: f.paths,
      expected: f.value,
      actual: table,
      data: { sentence: f.sentence, narrative: f.value, table },
    });
  }
  return issues;
}
