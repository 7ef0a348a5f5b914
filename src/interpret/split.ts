import { MAX_DIGITS } from "../parse/cells.js";

/**
 * Splitting glued digit runs into cells. `行政规范性文件0012` has 4 digits for 3 cells: the only
 * split without leading zeros is 0 | 0 | 12. `690000069` for 7 cells has many splits; the row's
 * identity (总计 = the six columns) leaves one. The splitter lists every split that could have been
 * printed; the caller filters them with the identities and refuses to choose when several remain.
 */

/** One piece of a value run: either fixed (one cell) or a plain digit run that may hold several cells. */
export interface SplitPiece {
  /** The value when the piece is one cell (null for a blank or null marker). */
  value: number | null;
  /** Digits of a plain run, or null when the piece cannot be split. */
  digits: string | null;
  /** A signed run ("-30"): its first cell carries the sign. */
  negative?: boolean;
}

/** A candidate: for each output cell, its value and the piece/offset it came from. */
export interface SplitCandidate {
  values: (number | null)[];
  /** For each cell: [piece index, start, end] in the piece's digits (start = end = -1 when not split). */
  origin: [number, number, number][];
}

/** Ways to cut `digits` into `k` numbers without leading zeros. */
function cuts(digits: string, k: number, limit: number): string[][] {
  const out: string[][] = [];
  const rec = (pos: number, left: number, acc: string[]) => {
    if (out.length >= limit) return;
    const rest = digits.length - pos;
    if (left === 1) {
      const part = digits.slice(pos);
      if ((part.length === 1 || part[0] !== "0") && part.length <= MAX_DIGITS) out.push([...acc, part]);
      return;
    }
    // Each remaining part needs at least one digit.
    for (let len = 1; len <= Math.min(rest - (left - 1), MAX_DIGITS); len++) {
      const part = digits.slice(pos, pos + len);
      if (len > 1 && part[0] === "0") break;
      acc.push(part);
      rec(pos + len, left - 1, acc);
      acc.pop();
    }
  };
  if (k >= 1 && k <= digits.length) rec(0, k, []);
  return out;
}

/**
 * Every way to turn `pieces` into exactly `n` cells. Returns null when there are more than `limit`
 * (the caller reports the run as unreadable rather than guess).
 */
export function splitCandidates(pieces: readonly SplitPiece[], n: number, limit = 20000): SplitCandidate[] | null {
  const out: SplitCandidate[] = [];
  let overflow = false;
  const maxAfter: number[] = new Array(pieces.length + 1).fill(0);
  for (let i = pieces.length - 1; i >= 0; i--) {
    const p = pieces[i]!;
    maxAfter[i] = maxAfter[i + 1]! + (p.digits ? p.digits.length : 1);
  }
  const rec = (i: number, need: number, values: (number | null)[], origin: [number, number, number][]) => {
    if (overflow) return;
    if (i === pieces.length) {
      if (need === 0) {
        if (out.length >= limit) overflow = true;
        else out.push({ values: [...values], origin: [...origin] });
      }
      return;
    }
    const remainingPieces = pieces.length - i - 1;
    const p = pieces[i]!;
    if (!p.digits) {
      if (need < 1) return;
      values.push(p.value);
      origin.push([i, -1, -1]);
      rec(i + 1, need - 1, values, origin);
      values.pop();
      origin.pop();
      return;
    }
    const maxK = Math.min(p.digits.length, need - remainingPieces);
    for (let k = 1; k <= maxK; k++) {
      if (need - k > maxAfter[i + 1]!) continue;
      for (const parts of cuts(p.digits, k, limit + 1)) {
        let pos = 0;
        for (const [pi, part] of parts.entries()) {
          values.push(pi === 0 && p.negative ? -Number(part) : Number(part));
          origin.push([i, pos, pos + part.length]);
          pos += part.length;
        }
        rec(i + 1, need - k, values, origin);
        values.length -= parts.length;
        origin.length -= parts.length;
        if (overflow) return;
      }
    }
  };
  rec(0, n, [], []);
  return overflow ? null : out;
}
