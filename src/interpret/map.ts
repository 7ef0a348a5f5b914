import { MAX_DIGITS } from "../parse/cells.js";
import type { Provenance } from "../schema/record.js";
import type { Issue } from "../schema/issues.js";
import { normLabel, tidy } from "../parse/normalize.js";
import type { GroupDecl, Identity, RowDecl, TableDecl, Template } from "../templates/template.js";
import { splitCandidates, type SplitCandidate, type SplitPiece } from "./split.js";
import type { NarrativeFact } from "./narrative.js";
import { segmentLabel, tokenAt, type Segment, type Tok, type TokenStream } from "./tokens.js";

/**
 * Template + token stream → values. Shared code: it reads the template's declarations and never
 * asks which template it is. One function per step, typed values between them:
 *
 * 1. `tableRegions` → Region[]: each table gets a region of the stream, opened by its anchor and
 *    closed by the next anchor or the end of its last table; numbers outside every region (the
 *    narrative) are never read.
 * 2. `fillLabelledRows` → Leftovers: labelled segments are matched to rows, the row alias nearest
 *    the values wins; `fillUnlabelledRow` takes 表四's data row.
 * 3. `placeBareRuns`: bare value runs (a PDF converter lost their labels) fill the unfilled rows
 *    between the labelled rows around them, in order, when the counts agree exactly.
 * 4. `splitAcrossRows`: runs with fewer values than cells are glued digits: every split is listed,
 *    the identities filter them, then the evidence (cells the prose states, MapEvidence) may
 *    choose; when more than one survives no value is chosen and an issue says so.
 * 5. `assemble` → Mapped: every path of the template, units, provenance, missing rows and tables.
 */

export interface Mapped {
  /** path → value (null = blank/unknown). Every field of every row of the template is present. */
  values: Map<string, number | null>;
  /** Paths whose row was not found at all (identities skip them). */
  missing: Set<string>;
  /** Paths left null because the parser could not read them (ambiguous split, unreadable cell). */
  unknown: Set<string>;
  units: Record<string, string>;
  provenance: Record<string, Provenance>;
  issues: Issue[];
  /** Tables with no row found. */
  missingTables: string[];
  /** Number of rows found per table id. */
  found: Record<string, number>;
}

interface RowFill {
  row: RowDecl;
  table: TableDecl;
  /** Document position of the segment that filled it (for ordering bare runs). */
  pos: number;
  values: (number | null)[];
  prov: (Provenance | null)[];
  units: (string | null)[];
  /** Candidate splits still open (more than one fits). */
  candidates?: SplitCandidate[];
  pieces?: Tok[];
}

const MAX_TRAILING_GLOSS = 60;

/** Key of a row's fill: row keys repeat across tables in principle, so the table is part of it. */
function fillKey(row: RowDecl, table: TableDecl): string {
  return `${row.key}@${table.id}`;
}
const ITEM_AFTER_RE = /(?:^|[^\d])\d{1,2}[.、．]|\([一二三四五六七八九十]+\)/;

/** A number from running text that may hide several glued cells: integer digits, no unit. */
function splittable(t: Tok): boolean {
  const c = t.chunk;
  return c.t === "num" && !t.structured && c.unit === null && /^\d{2,}$/.test(c.digits) && !c.raw.includes(",");
}

const MONEY_UNITS: ReadonlySet<string> = new Set(["万元", "元"]);
function unitKind(unit: string): "money" | "count" {
  return MONEY_UNITS.has(unit) ? "money" : "count";
}
/** What a cell holds: an amount (its declared unit is money, or its metric is an amount) or a count. */
function fieldKind(row: RowDecl, i: number): "money" | "count" {
  const path = row.fields[i]!;
  const declared = row.units?.[path];
  if (declared) return unitKind(declared);
  return path.endsWith(".amount") ? "money" : "count";
}

function prov(tok: Tok, raw?: string): Provenance {
  return { table: tok.block, row: tok.row, col: tok.col, raw: raw ?? tok.raw, source: tok.source };
}

/** Find where each table's region starts, in template order. */
function regions(stream: TokenStream, tables: readonly TableDecl[]): { start: number; end: number }[] {
  const starts: (number | null)[] = [];
  let from = 0;
  for (const t of tables) {
    let found: number | null = null;
    for (const a of normAliases(t.anchors)) {
      const off = stream.normText.indexOf(a, stream.offsets[from] ?? stream.normText.length);
      if (off >= 0) {
        found = tokenAt(stream, off);
        break;
      }
    }
    starts.push(found);
    if (found !== null) from = found;
  }
  return tables.map((_, i) => {
    const start = starts[i] ?? (i > 0 ? starts.slice(0, i).reverse().find((s) => s !== null) ?? 0 : 0);
    let end = Number.POSITIVE_INFINITY;
    for (let j = i + 1; j < starts.length; j++) {
      const s = starts[j];
      if (s !== null && s !== undefined && s > start) {
        end = s;
        break;
      }
    }
    return { start, end: tableEnd(stream, start, end) };
  });
}

/**
 * A region holding table cells ends with its last table: text after it (the narrative that
 * follows, "…主动公开政府信息395条") is not part of the table even before the next anchor.
 * Text between two tables of the same region (a table split in two) stays inside.
 */
function tableEnd(stream: TokenStream, start: number, end: number): number {
  let lastBlock = -1;
  for (const s of stream.segments) {
    if (s.start >= start && s.start < end && s.structured) lastBlock = Math.max(lastBlock, s.values[0]!.block);
  }
  if (lastBlock < 0) return end;
  const limit = Math.min(end, stream.tokens.length);
  for (let i = start; i < limit; i++) if (stream.tokens[i]!.block > lastBlock) return i;
  return end;
}

type Target = { kind: "row"; row: RowDecl } | { kind: "group"; group: GroupDecl };

const aliasCache = new WeakMap<string[], string[]>();
/** Aliases normalised once per declaration. */
function normAliases(aliases: string[]): string[] {
  let n = aliasCache.get(aliases);
  if (!n) aliasCache.set(aliases, (n = aliases.map(normLabel)));
  return n;
}

// Parenthetical glosses ("（区分处理的，只计这一情形，不计其他情形）", 湖北's "（指…）") name other
// rows' words; they are not part of the label. Numbering such as "(一)" is too short to match.
const GLOSS_RE = /\([^()]{5,}\)/g;

/** The row or group whose alias occurs nearest the end of the segment's label. */
function matchLabel(rawNorm: string, table: TableDecl): Target | null {
  // Pages of one national format print the same labels: each table remembers its short labels'
  // answers (bounded, so memory stays flat; targets are only read).
  let memo = labelMemo.get(table);
  if (!memo) labelMemo.set(table, (memo = new Map()));
  const known = memo.get(rawNorm);
  if (known !== undefined) return known;
  const target = findLabel(rawNorm, table);
  if (rawNorm.length <= MEMO_LABEL_CHARS) {
    if (memo.size >= MEMO_LABELS) memo.clear();
    memo.set(rawNorm, target);
  }
  return target;
}

const MEMO_LABELS = 2048;
const MEMO_LABEL_CHARS = 64;
const labelMemo = new WeakMap<TableDecl, Map<string, Target | null>>();

function findLabel(rawNorm: string, table: TableDecl): Target | null {
  const norm = rawNorm.replace(GLOSS_RE, "");
  let best: Target | null = null;
  let bestEnd = -1;
  let bestLen = 0;
  // The target is made only when an alias matches (most rows' aliases are not in a given label).
  const consider = (aliases: string[], row: RowDecl | null, group: GroupDecl | null) => {
    for (const alias of normAliases(aliases)) {
      const pos = norm.lastIndexOf(alias);
      if (pos < 0) continue;
      const end = pos + alias.length;
      if (norm.length - end > MAX_TRAILING_GLOSS) continue;
      // A numbered label after the alias ("(六)其他处理 1.申请人…") makes the alias a group heading,
      // not this row's label: the row is the item that follows.
      if (ITEM_AFTER_RE.test(norm.slice(end))) continue;
      if (end > bestEnd || (end === bestEnd && alias.length > bestLen)) {
        best = row ? { kind: "row", row } : { kind: "group", group: group! };
        bestEnd = end;
        bestLen = alias.length;
      }
    }
  };
  for (const row of table.rows) if (!row.unlabelled) consider(row.aliases, row, null);
  for (const group of table.groups ?? []) consider(group.aliases, null, group);
  return best;
}

/** Identities whose every path lies in `fields`. */
function localIdentities(identities: readonly Identity[], fields: readonly string[]): Identity[] {
  const set = new Set(fields);
  return identities.filter((id) => [...id.lhs, ...id.rhs].every((p) => set.has(p)));
}

function holds(id: Identity, get: (p: string) => number | null | undefined): boolean | null {
  let l = 0;
  let r = 0;
  for (const p of id.lhs) {
    const v = get(p);
    if (v === undefined) return null;
    l += v ?? 0;
  }
  for (const p of id.rhs) {
    const v = get(p);
    if (v === undefined) return null;
    r += v ?? 0;
  }
  return Math.abs(l - r) < 1e-6;
}

/** What the steps share: the rows filled so far and the findings. */
interface MapState {
  template: Template;
  fills: Map<string, RowFill>;
  issues: Issue[];
  /** Paths left null because the parser could not read them. */
  unknown: Set<string>;
  /** Some row was split from glued digits. */
  glued: boolean;
}

/** Step 1's value: a table and the segments of its region. */
interface Region {
  table: TableDecl;
  segments: Segment[];
}

/** Step 2's value: the value runs no label claimed, for step 3. */
interface Leftovers {
  bare: Segment[];
  /** Runs printed with a group's label only (the first item of a group whose item labels were lost). */
  groupLabelled: Set<Segment>;
}

/** Evidence from outside the tables that may choose among glued splits (step 4). */
export interface MapEvidence {
  /** Cells the report's prose states, one cell each (see narrative.ts). */
  facts?: ReadonlyMap<string, NarrativeFact>;
}

export function mapTemplate(stream: TokenStream, template: Template, evidence: MapEvidence = {}): Mapped {
  const state: MapState = { template, fills: new Map(), issues: [], unknown: new Set(), glued: false };
  const found: Record<string, number> = {};
  for (const region of tableRegions(stream, template.tables)) {
    const left = fillLabelledRows(state, region);
    fillUnlabelledRow(state, region);
    placeBareRuns(state, region, left);
    found[region.table.id] = region.table.rows.filter((r) => state.fills.has(fillKey(r, region.table))).length;
  }
  splitAcrossRows(state, evidence);
  return assemble(state, found);
}

/** Step 1: each table's segments, from its anchor to the end of its table. */
function tableRegions(stream: TokenStream, tables: readonly TableDecl[]): Region[] {
  return regions(stream, tables).map(({ start, end }, i) => ({
    table: tables[i]!,
    segments: stream.segments.filter((s) => s.start >= start && s.start < end),
  }));
}

/** Turn a segment's values into exactly `n` cells, or say why not ("refused": said, and not taken). */
function readValues(state: MapState, seg: Segment, row: RowDecl, table: TableDecl): Omit<RowFill, "pos" | "row" | "table"> | "refused" | null {
  const n = row.fields.length;
  let vals = seg.values;
  while (vals.length > n && vals[vals.length - 1]!.chunk.t === "blank") vals = vals.slice(0, -1);
  const unreadable = new Set(seg.unreadable);
  // A count (395条) is never an amount in 万元 and an amount never a count: such a run is not
  // this row's values (a sentence after the table that repeats a label).
  const wrongKind = vals.findIndex((t, i) => t.chunk.t === "num" && t.chunk.unit !== null && i < n && unitKind(t.chunk.unit) !== fieldKind(row, i));
  if (wrongKind >= 0) {
    const t = vals[wrongKind]!;
    state.issues.push({
      code: "unit.wrong_kind",
      severity: "warning",
      message: `${table.title} ${row.label} · ${row.fieldLabels[wrongKind]}：数值“${tidy(t.raw)}”的单位不是该格的单位（${fieldKind(row, wrongKind) === "money" ? "金额" : "数量"}），未采用`,
      paths: [row.fields[wrongKind]!],
      data: { raw: vals.map((v) => v.raw) },
    });
    return "refused";
  }
  if (vals.length === n) {
    const values: (number | null)[] = [];
    const provs: (Provenance | null)[] = [];
    const units: (string | null)[] = [];
    vals.forEach((t, i) => {
      const c = t.chunk;
      // A run of more digits than any cell holds, taken as one cell, is not a number we can trust.
      const tooLong = c.t === "num" && c.digits.replace(".", "").length > MAX_DIGITS;
      values.push(c.t === "num" && !tooLong ? c.value : null);
      units.push(c.t === "num" ? c.unit : null);
      provs.push(prov(t));
      if (unreadable.has(t) || tooLong) {
        state.unknown.add(row.fields[i]!);
        state.issues.push({
          code: "cell.unreadable",
          severity: "error",
          message: `${table.title} ${row.label} · ${row.fieldLabels[i]}：单元格“${tidy(t.raw)}”不是数字，记为空`,
          paths: [row.fields[i]!],
          actual: tidy(t.raw),
        });
      }
    });
    return { values, prov: provs, units };
  }
  if (vals.length > n) {
    state.issues.push({
      code: "row.extra_values",
      severity: "error",
      message: `${table.title} ${row.label}：应有 ${n} 个数值，实际读到 ${vals.length} 个（${vals.map((v) => tidy(v.raw) || "空").join("、")}），无法确定对应关系，均记为空`,
      paths: row.fields,
      expected: n,
      actual: vals.length,
    });
    for (const f of row.fields) state.unknown.add(f);
    return { values: row.fields.map(() => null), prov: row.fields.map(() => null), units: row.fields.map(() => null) };
  }
  // Fewer values than cells: glued digit runs from text may hold several cells each.
  const pieces: SplitPiece[] = vals.map((t) => {
    const c = t.chunk;
    if (c.t === "num" && splittable(t)) return { value: c.value, digits: c.digits, negative: c.value < 0 || /^[-−－减]/.test(c.raw) };
    return { value: c.t === "num" ? c.value : null, digits: null };
  });
  if (!pieces.some((p) => p.digits)) return null;
  const all = splitCandidates(pieces, n);
  if (all === null) {
    state.issues.push({
      code: "split.too_many",
      severity: "error",
      message: `${table.title} ${row.label}：数字粘连（${vals.map((v) => v.raw).join(" ")}），可能的拆分过多，未读取`,
      paths: row.fields,
    });
    for (const f of row.fields) state.unknown.add(f);
    return { values: row.fields.map(() => null), prov: row.fields.map(() => null), units: row.fields.map(() => null) };
  }
  const local = localIdentities(state.template.identities, row.fields);
  const ok = all.filter((cand) => local.every((id) => holds(id, (p) => cand.values[row.fields.indexOf(p)]) !== false));
  if (ok.length === 0) {
    if (all.length === 0) return null;
    state.issues.push({
      code: "split.no_fit",
      severity: "error",
      message: `${table.title} ${row.label}：数字粘连（${vals.map((v) => v.raw).join(" ")}），没有一种拆分满足本行的勾稽关系，未读取`,
      paths: row.fields,
      data: { candidates: all.slice(0, 10).map((c) => c.values) },
    });
    for (const f of row.fields) state.unknown.add(f);
    return { values: row.fields.map(() => null), prov: row.fields.map(() => null), units: row.fields.map(() => null) };
  }
  state.glued = true;
  const first = ok[0]!;
  const provs = first.origin.map(([pi, s, e]) => {
    const t = vals[pi]!;
    return prov(t, s >= 0 && t.chunk.t === "num" ? t.chunk.digits.slice(s, e) : undefined);
  });
  const fill = { values: first.values, prov: provs, units: row.fields.map(() => null) };
  return ok.length === 1 ? fill : { ...fill, candidates: ok, pieces: vals };
}

/** Fill a row from a segment unless it is filled already; false when the values do not fit. */
function fillRow(state: MapState, table: TableDecl, row: RowDecl, seg: Segment, pos: number): boolean {
  if (state.fills.has(fillKey(row, table))) return false;
  const got = readValues(state, seg, row, table);
  if (got === "refused") return true;
  if (!got) return false;
  state.fills.set(fillKey(row, table), { row, table, pos, ...got });
  return true;
}

/** Step 2: labelled segments to the row (or group) whose alias sits nearest their values. */
function fillLabelledRows(state: MapState, { table, segments: segs }: Region): Leftovers {
  const rowIndex = new Map(table.rows.map((r, i) => [r.key, i]));
  const bare: Segment[] = [];
  const groupLabelled = new Set<Segment>();

  // Labelled rows: printed values before all-blank runs (a header row such as "自然人 | 法人或其他组织
  // | 总计" followed by empty cells must not claim the 总计 row), and table cells before running
  // text (a table beats a sentence that repeats a label).
  const blankOnly = (s: Segment) => s.values.every((v) => v.chunk.t === "blank");
  const rank = (s: Segment) => (blankOnly(s) ? 2 : 0) + (s.structured ? 0 : 1);
  const ordered = [...segs].sort((a, b) => rank(a) - rank(b) || a.start - b.start);
  const unlabelledRow = table.rows.find((r) => r.unlabelled);
  for (const seg of ordered) {
    if (seg.values.every((v) => v.chunk.t === "blank") && seg.labels.length === 0) continue;
    const target = seg.labels.length ? matchLabel(segmentLabel(seg), table) : null;
    if (!target) {
      if (!unlabelledRow && seg.values.some((v) => v.chunk.t !== "blank")) bare.push(seg);
      continue;
    }
    if (target.kind === "row") {
      const key = fillKey(target.row, table);
      if (state.fills.has(key)) {
        const prev = state.fills.get(key)!;
        const same = (() => {
          const got = seg.values.filter((v) => v.chunk.t === "num").map((v) => (v.chunk.t === "num" ? v.chunk.value : null));
          const had = prev.values.filter((v) => v !== null);
          return got.length === had.length && got.every((v, i) => v === had[i]);
        })();
        if (prev.pos !== seg.start && !blankOnly(seg) && !same) {
          // Two readings of one row and nothing says which is the row (a label cut by a page
          // break can match another row's label): neither is kept.
          if (!state.issues.some((i) => i.code === "row.duplicate" && i.paths === target.row.fields)) {
            state.issues.push({
              code: "row.duplicate",
              severity: "error",
              message: `${table.title} ${target.row.label}：出现不止一次且数值不同，无法确定哪一处是该行，该行数值不予采用`,
              paths: target.row.fields,
              data: { first: [...prev.values], other: seg.values.slice(0, target.row.fields.length).map((v) => (v.chunk.t === "num" ? v.chunk.value : null)) },
            });
          }
          prev.values = prev.values.map(() => null);
          delete prev.candidates;
        }
        continue;
      }
      if (!fillRow(state, table, target.row, seg, seg.start)) {
        state.issues.push({
          code: "row.missing_values",
          severity: "warning",
          message: `${table.title} ${target.row.label}：标签后只有 ${seg.values.length} 个数值（应为 ${target.row.fields.length} 个），未采用`,
          paths: target.row.fields,
          data: { raw: seg.values.map((v) => v.raw) },
        });
      }
    } else {
      // A group label with the values of all its rows and no item labels (the item labels were lost).
      const members = target.group.rows.map((k) => table.rows[rowIndex.get(k)!]!);
      const n = members.reduce((s, r) => s + r.fields.length, 0);
      const nonBlank = seg.values.filter((v) => v.chunk.t !== "blank");
      const vals = seg.values.length === n ? seg.values : nonBlank.length === n ? nonBlank : null;
      if (!vals) {
        // The first item of a group whose item labels were lost: placed by position below.
        if (!unlabelledRow) {
          bare.push(seg);
          groupLabelled.add(seg);
        }
        continue;
      }
      let off = 0;
      for (const m of members) {
        const sub: Segment = { ...seg, values: vals.slice(off, off + m.fields.length), unreadable: [] };
        fillRow(state, table, m, sub, seg.start + off);
        off += m.fields.length;
      }
      state.issues.push({
        code: "row.labels_missing",
        severity: "warning",
        message: `${table.title} ${target.group.label}：各子项没有标签，按模板顺序读取 ${members.length} 行`,
        paths: members.flatMap((m) => m.fields),
      });
    }
  }

  return { bare, groupLabelled };
}

/** Step 2, 表四: the one unlabelled data row, the first printed run of its region. */
function fillUnlabelledRow(state: MapState, { table, segments: segs }: Region): void {
  const unlabelledRow = table.rows.find((r) => r.unlabelled);
  // The unlabelled row (表四): the first run in the region with a printed value. An all-blank run
  // (an empty spacer row between header and data) is taken only when nothing is printed at all.
  if (unlabelledRow) {
    const n = unlabelledRow.fields.length;
    const printed = (x: Segment) => x.values.some((v) => v.chunk.t !== "blank");
    const at = segs.findIndex(printed);
    let seg: Segment | undefined = at >= 0 ? segs[at] : segs.find((x) => x.values.length === n);
    const next = at >= 0 ? segs[at + 1] : undefined;
    let joined = false;
    // Printed as two rows that complete each other (复议 values then blanks; blanks then 诉讼
    // values): join them, and say so.
    if (seg && next && seg.structured && next.structured && seg.values.length === n && next.values.length === n && seg.labels.length === 0 && next.labels.length === 0) {
      const a = seg.values;
      const b = next.values;
      const complementary = a.every((v, i) => (v.chunk.t === "blank") !== (b[i]!.chunk.t === "blank"));
      if (complementary) {
        seg = { ...seg, values: a.map((v, i) => (v.chunk.t === "blank" ? b[i]! : v)) };
        joined = true;
        state.issues.push({
          code: "row.joined",
          severity: "warning",
          message: `${table.title}：数据分印在两行（空格互补），已合并为一行`,
          paths: unlabelledRow.fields,
        });
      }
    }
    if (seg && !fillRow(state, table, unlabelledRow, seg, seg.start)) {
      state.issues.push({
        code: "row.missing_values",
        severity: "error",
        message: `${table.title}：数据行应有 ${n} 个数值，读到 ${seg.values.length} 个，未采用`,
        paths: unlabelledRow.fields,
        data: { raw: seg.values.map((v) => v.raw) },
      });
    }
    // More printed table rows after the data row (in the same table) were not read: say so.
    if (seg) {
      const used = new Set([seg.start, joined ? next?.start : undefined]);
      const table4Block = seg.values[0]!.block;
      for (const x of segs) {
        if (used.has(x.start) || !x.structured || x.values[0]!.block !== table4Block || !printed(x) || x.start < seg.start) continue;
        if (state.fills.get(fillKey(unlabelledRow, table))?.pos !== seg.start) continue;
        state.issues.push({
          code: "value.stray",
          severity: "warning",
          message: `${table.title}：数据行之后还有数值“${x.values.map((v) => tidy(v.raw) || "空").join(" ")}”，未采用`,
          paths: [],
          data: { raw: x.values.map((v) => v.raw), line: x.values[0]!.row },
        });
      }
    }
  }

}

/** Step 3: bare value runs fill the gaps between labelled rows, in order, when the counts agree. */
function placeBareRuns(state: MapState, { table }: Region, { bare, groupLabelled }: Leftovers): void {
  // Bare value runs fill the gaps between labelled rows, in order, when the counts agree.
  if (bare.length) {
    const filledPos = table.rows
      .map((r, i) => ({ i, fill: state.fills.get(fillKey(r, table)) }))
      .filter((x): x is { i: number; fill: RowFill } => x.fill !== undefined)
      .sort((a, b) => a.fill.pos - b.fill.pos);
    const gaps = new Map<string, { rows: RowDecl[]; segs: Segment[] }>();
    const stray: Segment[] = [];
    for (const seg of bare.sort((a, b) => a.start - b.start)) {
      let before = -1;
      let after = table.rows.length;
      for (const f of filledPos) {
        if (f.fill.pos < seg.start) before = f.i;
        else {
          after = f.i;
          break;
        }
      }
      const gapRows = before < after ? table.rows.slice(before + 1, after).filter((r) => !r.unlabelled && !state.fills.has(fillKey(r, table))) : [];
      const n = gapRows[0]?.fields.length;
      const nonBlank = seg.values.filter((v) => v.chunk.t !== "blank");
      const fits = n !== undefined && (seg.values.length === n || nonBlank.length === n || (nonBlank.length < n && nonBlank.some(splittable)));
      if (!fits) {
        stray.push(seg);
        continue;
      }
      const key = `${before}:${after}`;
      const g = gaps.get(key) ?? { rows: gapRows, segs: [] };
      g.segs.push(seg);
      gaps.set(key, g);
    }
    for (const { rows, segs: gsegs } of gaps.values()) {
      if (rows.length !== gsegs.length) {
        state.issues.push({
          code: "row.unassigned_values",
          severity: "warning",
          message: `${table.title}：${gsegs.length} 行数值没有标签，而此处缺 ${rows.length} 行（${rows.map((r) => r.label).join("、")}），无法对应，未采用`,
          paths: rows.flatMap((r) => r.fields),
        });
        continue;
      }
      rows.forEach((row, i) => {
        const seg = gsegs[i]!;
        const vals = seg.values.length === row.fields.length ? seg : { ...seg, values: seg.values.filter((v) => v.chunk.t !== "blank") };
        if (fillRow(state, table, row, vals, seg.start) && state.fills.has(fillKey(row, table))) {
          // A row printed with a label that matches no row (a garbled "政许可") is placed by
          // position too, but that is worth a second look: a warning, not a note.
          const printed = groupLabelled.has(seg) ? "" : segmentLabel(seg);
          state.issues.push({
            code: "row.label_inferred",
            severity: printed ? "warning" : "info",
            message: printed
              ? `${table.title} ${row.label}：该行标签“${tidy(seg.labels.map((l) => l.raw).join(" "))}”与模板不符，按所在位置（前后行之间）认定`
              : `${table.title} ${row.label}：该行数值没有标签，按所在位置（前后行之间）认定`,
            paths: row.fields,
          });
        }
      });
    }
    for (const seg of stray) {
      if (seg.values.every((v) => v.chunk.t === "blank")) continue;
      state.issues.push({
        code: "value.stray",
        severity: "warning",
        message: `${table.title}：数值“${seg.values.map((v) => tidy(v.raw) || "空").join(" ")}”不属于任何一行，未采用`,
        paths: [],
        data: { raw: seg.values.map((v) => v.raw), line: seg.values[0]!.row },
      });
    }
  }
}

/** Step 4: rows whose glued digits still have several splits: the identities across rows, then the prose. */
function splitAcrossRows(state: MapState, evidence: MapEvidence): void {
  const open = [...state.fills.values()].filter((f) => f.candidates);
  if (open.length) resolveAcrossRows(open, state, evidence.facts ?? new Map());
}

/** Step 5: every path of the template, with its unit and provenance; missing rows and tables said. */
function assemble(state: MapState, found: Record<string, number>): Mapped {
  const { template, unknown } = state;
  const values = new Map<string, number | null>();
  const missing = new Set<string>();
  const units: Record<string, string> = {};
  const provenance: Record<string, Provenance> = {};
  const missingTables: string[] = [];
  for (const table of template.tables) {
    const anyFound = (found[table.id] ?? 0) > 0;
    if (!anyFound) {
      missingTables.push(table.id);
      state.issues.push({
        code: "table.missing",
        severity: "error",
        message: `${table.title}：未找到（表格可能是图片、附件，或页面不完整）`,
        paths: [],
      });
    }
    for (const row of table.rows) {
      const fill = state.fills.get(fillKey(row, table));
      if (!fill && anyFound) {
        state.issues.push({
          code: "row.missing",
          severity: "error",
          message: `${table.title}：缺少“${row.label}”一行`,
          paths: row.fields,
        });
      }
      row.fields.forEach((path, i) => {
        let v = fill ? fill.values[i] ?? null : null;
        // A count is whole: 1.308 or 2023.12 in a count cell is a thousands dot, a date or a typo.
        if (v !== null && !Number.isInteger(v) && fieldKind(row, i) === "count") {
          state.issues.push({
            code: "value.not_integer",
            severity: "error",
            message: `${table.title} ${row.label} · ${row.fieldLabels[i]}：数量“${v}”不是整数（千分位、日期或笔误），记为空`,
            paths: [path],
            actual: v,
          });
          unknown.add(path);
          v = null;
        }
        values.set(path, v);
        if (!fill) missing.add(path);
        const p = fill?.prov[i];
        if (p) provenance[path] = p;
        const printed = fill?.units[i];
        const declared = row.units?.[path];
        if (printed && declared && printed !== declared) {
          state.issues.push({
            code: "unit.conflict",
            severity: "warning",
            message: `${table.title} ${row.label} · ${row.fieldLabels[i]}：单元格单位“${printed}”与表头单位“${declared}”不一致，按单元格记录`,
            paths: [path],
          });
        }
        const unit = printed ?? declared;
        if (unit) units[path] = unit;
      });
    }
  }
  if (state.glued) {
    state.issues.push({
      code: "cells.glued",
      severity: "info",
      message: "表格数字之间没有分隔，已按模板的格数和勾稽关系拆分；拆分不唯一的单元格记为空并单独列出",
      paths: [],
    });
  }
  return { values, missing, unknown, units, provenance, issues: state.issues, missingTables, found };
}

/**
 * Choose among the splits of glued rows using the identities that tie rows together. Only a
 * combination that breaks no identity is accepted. When several remain, the cells the prose states
 * (本年共收到申请17件…) choose among them if exactly that narrows them (an info issue says so);
 * otherwise cells on which they agree are kept and the others are set to null with an issue.
 */
function resolveAcrossRows(open: RowFill[], state: MapState, facts: ReadonlyMap<string, NarrativeFact>): void {
  const { fills, template, issues, unknown } = state;
  const known = new Map<string, number | null>();
  for (const f of fills.values()) if (!f.candidates) f.row.fields.forEach((p, i) => known.set(p, f.values[i] ?? null));
  const openFields = new Set(open.flatMap((f) => f.row.fields));
  const relevant = template.identities.filter((id) => [...id.lhs, ...id.rhs].some((p) => openFields.has(p)));

  let combos = 1;
  for (const f of open) combos *= f.candidates!.length;
  let surviving: number[][] = [];
  if (combos <= 50000) {
    const choice = new Array(open.length).fill(0);
    const current = new Map<string, number | null>();
    const get = (p: string) => (current.has(p) ? current.get(p) : known.has(p) ? known.get(p) : undefined);
    const rec = (i: number) => {
      if (i === open.length) {
        if (relevant.every((id) => holds(id, get) !== false)) surviving.push([...choice]);
        return;
      }
      const f = open[i]!;
      f.candidates!.forEach((c, ci) => {
        choice[i] = ci;
        f.row.fields.forEach((p, k) => current.set(p, c.values[k] ?? null));
        rec(i + 1);
      });
      f.row.fields.forEach((p) => current.delete(p));
    };
    rec(0);
  } else {
    surviving = [];
  }

  // The evidence step: a split that agrees with every cell the prose states.
  const agrees = (f: RowFill, c: SplitCandidate) => f.row.fields.every((p, k) => facts.get(p)?.value === undefined || facts.get(p)!.value === c.values[k]);
  const optionsOf = (combos: number[][], f: RowFill, i: number) => (combos.length ? [...new Set(combos.map((s) => s[i]!))].map((ci) => f.candidates![ci]!) : f.candidates!);
  let told = surviving;
  if (facts.size) {
    const agreeing = surviving.filter((s) => s.every((ci, i) => agrees(open[i]!, open[i]!.candidates![ci]!)));
    if (agreeing.length) told = agreeing;
  }

  open.forEach((f, i) => {
    const before = optionsOf(surviving, f, i);
    let options = optionsOf(told, f, i);
    if (!surviving.length && facts.size) {
      const agreeing = options.filter((c) => agrees(f, c));
      if (agreeing.length) options = agreeing;
    }
    if (options.length === 1 && before.length > 1) {
      const stated = f.row.fields.filter((p) => facts.has(p));
      const sentences = [...new Set([...facts.entries()].filter(([p]) => openFields.has(p)).map(([, x]) => x.sentence))];
      issues.push({
        code: "split.settled_by_narrative",
        severity: "info",
        message: `${f.table.title} ${f.row.label}：数字粘连“${f.pieces!.map((t) => t.raw).join(" ")}”有 ${before.length} 种拆分都成立，按正文所述（“${sentences.join("”“")}”）取 ${options[0]!.values.join("/")}`,
        paths: f.row.fields,
        data: { candidates: before.map((o) => o.values), chosen: options[0]!.values, stated, sentences },
      });
    }
    if (options.length === 1) {
      const c = options[0]!;
      f.values = c.values;
      f.prov = c.origin.map(([pi, s, e], k) => {
        const t = f.pieces![pi]!;
        const p = f.prov[k];
        return p ? { ...p, row: t.row, col: t.col, raw: s >= 0 && t.chunk.t === "num" ? t.chunk.digits.slice(s, e) : t.raw } : null;
      });
      delete f.candidates;
      return;
    }
    const agreed = f.row.fields.map((_, k) => (options.every((o) => o.values[k] === options[0]!.values[k]) ? options[0]!.values[k] ?? null : undefined));
    const unsure = f.row.fields.filter((_, k) => agreed[k] === undefined);
    for (const p of unsure) unknown.add(p);
    f.values = agreed.map((v) => (v === undefined ? null : v));
    f.prov = f.prov.map((p, k) => (agreed[k] === undefined ? null : p));
    issues.push({
      code: "split.ambiguous",
      severity: "error",
      message: `${f.table.title} ${f.row.label}：数字粘连“${f.pieces!.map((t) => t.raw).join(" ")}”有 ${options.length} 种拆分都成立（${options
        .slice(0, 5)
        .map((o) => o.values.join("/"))
        .join("；")}），未选择${before.length > options.length ? `（另 ${before.length - options.length} 种与正文所述不符，已排除）` : ""}；${unsure.map((p) => f.row.fieldLabels[f.row.fields.indexOf(p)]).join("、")} 记为空`,
      paths: unsure,
      data: { candidates: options.map((o) => o.values), raw: f.pieces!.map((t) => t.raw) },
    });
    delete f.candidates;
  });
}
