import type { Doc } from "./grid.js";
import { renderPipeText, type PipeStyle } from "./pipe-text.js";

/**
 * Render a document as text with its tables flattened in one of the pipe styles, the way scrapers
 * do (FORMAT.md part B). Used to check that a page parses the same once flattened.
 */
export function flattenDoc(doc: Doc, style: PipeStyle = "seed"): string {
  const out: string[] = [];
  if (doc.titles[0]) out.push(doc.titles[0]);
  for (const b of doc.blocks) {
    if (b.kind === "text") for (const l of b.lines) out.push(l.text);
    else out.push(renderPipeText(b.grid, style));
  }
  return out.join("\n");
}
