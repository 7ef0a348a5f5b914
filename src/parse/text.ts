import type { Block, Doc } from "./grid.js";
import { isPipeLine, parsePipeLines } from "./pipe-text.js";

/**
 * Turn lines into blocks: runs of pipe lines become pipe or markdown Grids, other lines stay text.
 * Shared by text pages and by HTML pages whose tables were pasted as pipe text in paragraphs.
 */
export function linesToBlocks(lines: readonly { text: string; line: number }[]): Block[] {
  const blocks: Block[] = [];
  let textLines: { text: string; line: number }[] = [];
  let pipeLines: string[] = [];
  let pipeStart = 0;
  const flushText = () => {
    if (textLines.length) blocks.push({ kind: "text", lines: textLines });
    textLines = [];
  };
  const flushPipe = () => {
    if (pipeLines.length) {
      const { grid } = parsePipeLines(pipeLines, pipeStart);
      if (grid.rows.some((r) => r.some((c) => c.text !== ""))) blocks.push({ kind: "table", grid });
    }
    pipeLines = [];
  };
  for (const l of lines) {
    if (l.text === "") {
      // A blank line ends a pipe table but not a run of text.
      flushPipe();
      continue;
    }
    if (isPipeLine(l.text)) {
      if (!pipeLines.length) {
        flushText();
        pipeStart = l.line;
      }
      pipeLines.push(l.text);
      continue;
    }
    flushPipe();
    textLines.push(l);
  }
  flushPipe();
  flushText();
  return blocks;
}

/**
 * Plain text → Doc. Runs of pipe lines become pipe or markdown Grids; every other line is text.
 * Whitespace-separated and glued cells stay in the text lines: the interpreter cuts them with the
 * template's help, since nothing else marks where their cells end.
 */

const MAX_FIELD_LINE = 300;
const HEADER_FIELD_RE = /^(标题|发布时间|发布日期|成文日期|发布机构|来源|文号|索引号|栏目|原文链接)\s*[:：]\s*(.*)$/;

export function extractText(text: string): Doc {
  const rawLines = text.normalize("NFKC").split(/\r\n|\r|\n/);
  const meta: Record<string, string> = {};
  const titles: string[] = [];
  const lines: { text: string; line: number }[] = [];
  rawLines.forEach((raw, i) => {
    const t = raw.replace(/[\s\u00a0\u3000]+/g, " ").trim();
    // A header field is a short line; a page body flattened into one line that starts "来源： …"
    // is the report, not a field.
    const field = t && i < 40 && t.length <= MAX_FIELD_LINE && !t.endsWith("|") ? HEADER_FIELD_RE.exec(t) : null;
    if (field) {
      const key = field[1]!;
      const value = field[2]!.trim();
      if (value) {
        meta[key] = value;
        if (key === "标题") titles.push(value);
      }
      return;
    }
    lines.push({ text: t, line: i + 1 });
  });
  const blocks = linesToBlocks(lines);
  const allText = blocks
    .map((b) => (b.kind === "text" ? b.lines.map((l) => l.text).join("\n") : b.grid.rows.map((r) => r.map((c) => c.text).join(" ")).join("\n")))
    .join("\n");
  return { kind: "text", blocks, titles, meta, attachments: [], images: 0, text: allText };
}
