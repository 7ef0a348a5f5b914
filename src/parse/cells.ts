/**
 * Cell values and the chunk tokenizer. A table cell (from HTML, pipe text or markdown) is atomic:
 * it is a number, a null marker, blank, or a label. A run of plain text (whitespace-separated or
 * glued cells) is cut into chunks: label text, numbers, null markers.
 */

/** Units that real reports print inside value cells. */
export const CELL_UNITS = ["万元", "元", "笔", "个", "件", "项", "条", "次", "家", "人", "份"] as const;
// Longest first, so 万元 is not read as 万 + 元.
const UNIT_ALT = [...CELL_UNITS].sort((a, b) => b.length - a.length).join("|");

/** A piece of a cell or of a text run. */
export type Chunk =
  | { t: "label"; text: string; start: number; end: number }
  | {
      t: "num";
      /** The text as printed, e.g. `2笔`, `-1`, `减4`, `1,216,800`. */
      raw: string;
      /** The digits only (for splitting glued runs). */
      digits: string;
      value: number;
      unit: string | null;
      start: number;
      end: number;
    }
  | { t: "null"; raw: string; start: number; end: number }
  | { t: "blank"; start: number; end: number };


const NULL_MARKERS = new Set(["—", "——", "-", "--", "－", "/", "／", "无", "―", "─", "–", "一一", "\\", "×", "x", "X"]);

/**
 * No cell of these tables has more than 15 digits (money is in 元 or 万元); a longer run is not a
 * number we can hold exactly (or at all: Number("1".repeat(400)) is Infinity). Runs stay number
 * chunks (in running text they are usually several glued cells); the interpreter refuses to take
 * one as a single cell, and the splitter never makes a part this long.
 */
export const MAX_DIGITS = 15;

// Groups: 1 sign, 2 number, 3 unit (numbered, not named: a match then allocates no groups object).
const NUM_CELL_RE = new RegExp(`^([+\\-−－]|减|增)?\\s*(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)\\s*(${UNIT_ALT})?$`);

const CELL_SPACE_RE = /[\s\u00a0\u3000]/;

/** A number's digits without thousands commas (most have none: no copy then). */
function withoutCommas(num: string): string {
  return num.includes(",") ? num.replace(/,/g, "") : num;
}

/**
 * Read one table cell. `text` should already be NFKC-normalised. Returns a number chunk, a null
 * marker, a blank, or a label.
 */
export function readCell(text: string): Chunk {
  // (Tested first: the replace copies the string even when there is no space to drop.)
  const s = CELL_SPACE_RE.test(text) ? text.replace(/[\s\u00a0\u3000]+/g, "") : text;
  if (s === "") return { t: "blank", start: 0, end: text.length };
  // Digits parted by a space are one number only as thousands (1 308); "1 2" is two numbers in
  // one cell (merged cells, a line break), not 12.
  if (/\d[\s\u00a0\u3000]+\d/.test(text) && !/^\D*\d{1,3}(?:[\s\u00a0\u3000]\d{3})+(?:\.\d+)?\D*$/.test(text.trim())) return { t: "label", text: text.trim(), start: 0, end: text.length };
  if (NULL_MARKERS.has(s)) return { t: "null", raw: s, start: 0, end: text.length };
  const m = NUM_CELL_RE.exec(s);
  if (m) {
    const num = m[2]!;
    const sign = m[1];
    const unit = m[3] ?? null;
    const digits = withoutCommas(num);
    let value = Number(digits);
    if (sign === "-" || sign === "−" || sign === "－" || sign === "减") value = -value;
    return {
      t: "num",
      raw: s,
      digits,
      value: value === 0 ? 0 : value,
      unit,
      start: 0,
      end: text.length,
    };
  }
  return { t: "label", text: text.trim(), start: 0, end: text.length };
}

// A number inside running text. Units and signs attach; the rest is decided by the context checks below.
const NUM_IN_TEXT_RE = new RegExp(`([+\\-−－]|减)?(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)(${UNIT_ALT})?`, "g");
const DATE_OR_ORDINAL_AFTER = /^[年月日号时%％]/;
const NUMBERING_AFTER = /^[.．、](?=[^\d\s])/;
const WORDISH = /[A-Za-z_@:/]/;

/**
 * Cut a run of text into label, number and null chunks. Used for text whose table cells are
 * separated by whitespace, or not separated at all (`行政规范性文件0012`).
 *
 * - A digit followed by `.`/`、` and text is an item number (`2.重复申请`): it goes with the label,
 *   also when glued to the previous cells (`00000002.其他…` → `0000000`, `2.其他…`).
 * - Numbers followed by 年/月/日/% or preceded by 第 are part of the text, not cells.
 * - Null markers (—, -, /, 无) count only when they stand alone between spaces.
 */
export function tokenizeText(text: string): Chunk[] {
  const out: Chunk[] = [];
  // Start of the text not yet emitted. An item number cut from a digit run stays in it, so it
  // becomes the beginning of the next label.
  let labelStart = 0;

  const pushLabel = (from: number, to: number) => {
    if (to <= from) return;
    const piece = text.slice(from, to);
    // Split on whitespace so standalone null markers can be recognised.
    let pos = from;
    // A stray "|" in running text separates cells like a space does.
    for (const part of piece.split(/([\s\u00a0\u3000|｜]+)/)) {
      const partStart = pos;
      pos += part.length;
      if (part === "" || /^[\s\u00a0\u3000|｜]+$/.test(part)) continue;
      if (NULL_MARKERS.has(part)) {
        out.push({ t: "null", raw: part, start: partStart, end: pos });
        continue;
      }
      const last = out[out.length - 1];
      if (last && last.t === "label" && last.end === partStart) {
        last.text += part;
        last.end = pos;
      } else if (last && last.t === "label" && /^[\s\u00a0\u3000]+$/.test(text.slice(last.end, partStart))) {
        // (A "|" between two labels keeps them apart: they were different cells.)
        // Labels separated by spaces stay one label ("商业 企业", "(三) 不予公开").
        last.text += " " + part;
        last.end = pos;
      } else {
        out.push({ t: "label", text: part, start: partStart, end: pos });
      }
    }
  };

  NUM_IN_TEXT_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NUM_IN_TEXT_RE.exec(text))) {
    const start = m.index;
    const end = start + m[0].length;
    const before = start > 0 ? text[start - 1]! : "";
    const after = text.slice(end, end + 2);
    const sign = m[1];
    const num = m[2]!;
    const unit = m[3] ?? null;
    const isDecimal = num.includes(".");
    // Context that makes the digits part of the text.
    if (
      (!unit && DATE_OR_ORDINAL_AFTER.test(after)) ||
      before === "第" ||
      (before !== "" && WORDISH.test(before)) ||
      (after !== "" && WORDISH.test(after[0]!) && !unit)
    ) {
      continue;
    }
    if (!unit && !isDecimal && NUMBERING_AFTER.test(after)) {
      // The last digit is an item number belonging to the next label.
      const digitsOnly = withoutCommas(num);
      if (sign || digitsOnly.length === 1 || num.includes(",")) {
        // Only the item number itself (e.g. "2."), or an odd case: keep as label text.
        continue;
      }
      pushLabel(labelStart, start);
      const runDigits = digitsOnly.slice(0, -1);
      out.push({ t: "num", raw: runDigits, digits: runDigits, value: Number(runDigits), unit: null, start, end: end - 1 });
      labelStart = end - 1;
      continue;
    }
    pushLabel(labelStart, start);
    const digits = withoutCommas(num);
    let value = Number(digits);
    if (sign === "-" || sign === "−" || sign === "－" || sign === "减") value = -value;
    out.push({
      t: "num",
      raw: m[0],
      digits,
      value: value === 0 ? 0 : value,
      unit,
      start,
      end,
    });
    labelStart = end;
  }
  pushLabel(labelStart, text.length);
  return out;
}
