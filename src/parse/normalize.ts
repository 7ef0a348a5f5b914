/**
 * Label normalisation. Reports differ in bracket width, spaces, quotes, numbering punctuation and
 * line breaks inside cells; labels are compared on this folded form only.
 */

const WS_RE = /[\s\u00a0\u3000\u200b\ufeff]+/g;
const QUOTES_RE = /["'“”‘’「」『』《》〈〉]/g;

/** NFKC, no whitespace, no quotes, lower-case ASCII. */
export function normLabel(s: string): string {
  return foldLabel(s.normalize("NFKC"));
}

// Tests before the replacements: a global replace or toLowerCase copies the string even when
// nothing changes, and most labels are CJK text with nothing to remove or lower-case.
const WS_TEST_RE = /[\s\u00a0\u3000\u200b\ufeff]/;
const QUOTES_TEST_RE = /["'“”‘’「」『』《》〈〉]/;
// Every character toLowerCase can change lies in these blocks (Latin to Glagolitic/Coptic,
// Cyrillic and Latin extensions, Cherokee, full-width Latin) or outside the BMP (a surrogate);
// test/parse/normalize.test.ts checks this over all of Unicode. CJK text never matches.
const MAY_CHANGE_CASE_RE = /[A-Z\u00c0-\u2dff\ua640-\ua7ff\uab70-\uabbf\uff21-\uff3a\ud800-\udbff]/;

/** normLabel for text that is already NFKC (everything extraction produces): skips the costly step. */
export function foldLabel(s: string): string {
  let out = WS_TEST_RE.test(s) ? s.replace(WS_RE, "") : s;
  if (QUOTES_TEST_RE.test(out)) out = out.replace(QUOTES_RE, "");
  return MAY_CHANGE_CASE_RE.test(out) ? out.toLowerCase() : out;
}

const NUMBERING_RE = /^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|[0-9]{1,2}[.、]|\([0-9]{1,2}\)|[0-9]{1,2}(?=[^\d.,]))+/;

/** Drop a leading numbering such as `三、`, `(一)`, `1.`, `2、` from a normalised label. */
export function stripNumbering(normalised: string): string {
  return normalised.replace(NUMBERING_RE, "");
}

/** Collapse whitespace for display (keeps the text readable in messages and provenance). */
export function tidy(s: string): string {
  return s.replace(WS_RE, " ").trim();
}
