import * as cheerio from "cheerio";

/**
 * Flatten a rendered report page to pipe text the way a scraper does — each <p>/<h1> a line, each
 * table row a line of "cell |" — with cheerio alone, none of the project's own flattening code, so
 * the round-trip property has a text input the parser's side did not produce.
 */
export function scrapeText(html: string): string {
  const $ = cheerio.load(html);
  const lines: string[] = [];
  const title = $("title").text().trim();
  if (title) lines.push(title);
  $("body")
    .find("h1, p, table")
    .each((_, el) => {
      const node = $(el);
      if (node.parents("table").length) return;
      if (el.tagName === "table") {
        node.find("tr").each((_r, tr) => {
          const cells = $(tr)
            .children("td, th")
            .map((_c, td) => $(td).text().replace(/\s+/g, " ").trim())
            .get();
          lines.push(cells.map((c) => `${c} |`).join(" "));
        });
      } else {
        const text = node.text().replace(/\s+/g, " ").trim();
        if (text) lines.push(text);
      }
    });
  return lines.join("\n");
}
