/**
 * Report keys on pages as a reader meets them: every fixture with a known agency and year,
 * flattened to text (the seed's one-cell-per-line layout, or plain text with a row per line) with
 * portal chrome first — breadcrumbs, the site name (the zone's, on a department's page), the
 * 政府信息公开年报 column title — with or without the title line, with a signature at the end.
 * The agency and year must be right, or null with an issue: never a wrong value without one.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractDocument, parseReport } from "../../src/pipeline.js";
import { decodeInput } from "../../src/parse/input-text.js";
import { renderPipeText } from "../../src/parse/pipe-text.js";
import type { ReportRecord } from "../../src/schema/record.js";

const ROOT = new URL("../../fixtures/reports/", import.meta.url).pathname;

interface Case {
  name: string;
  input: Buffer;
  title: string | null;
  agency: string;
  year: number;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const name of readdirSync(ROOT).sort()) {
    const dir = join(ROOT, name);
    if (!existsSync(join(dir, "expected.json"))) continue;
    const exp = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as ReportRecord;
    if (!exp.agency || !exp.year) continue;
    const file = readdirSync(dir).find((f) => f.startsWith("input."))!;
    out.push({ name, input: readFileSync(join(dir, file)), title: exp.title, agency: exp.agency, year: exp.year });
  }
  return out;
}

/** The page's body as text lines: tables in the seed's layout or as plain rows, title lines left out. */
function bodyLines(c: Case, tables: "seed" | "plain"): string[] {
  const doc = extractDocument(decodeInput(new Uint8Array(c.input), null).text);
  const fold = (s: string) => s.normalize("NFKC").replace(/\s+/g, "");
  const title = c.title ? fold(c.title) : null;
  const out: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind === "table") {
      if (tables === "seed") out.push(renderPipeText(b.grid, "seed"));
      else for (const r of b.grid.rows) out.push(r.map((x) => x.text).join(" "));
      continue;
    }
    for (const l of b.lines) {
      // The title line and the archive's header fields (标题: …) go: the variant decides where the title stands.
      if (/^(标题|发布时间|文号|发布机构|栏目|原文链接|本地目录)[:：]/.test(l.text)) continue;
      if (title && fold(l.text) === title) continue;
      out.push(l.text);
    }
  }
  return out;
}

const BREADCRUMBS = "当前位置：首页 > 政务公开 > 政府信息公开 > 政府信息公开年报";
const SITE = "某市人民政府门户网站";
const ZONE_SITE = "平潭综合实验区管理委员会";
const COLUMN = "政府信息公开年报";

interface Variant {
  name: string;
  text: string | Uint8Array;
  /** The page names its agency in a strong place (title line, signature, hint): it must be found. */
  named: boolean;
  titleHint?: string;
}

/** An HTML page of the fixture with a department page's head: the zone's site name as ContentSource and in <title>. */
function zoneHead(c: Case, withTitle: boolean): string | null {
  const html = decodeInput(new Uint8Array(c.input), null).text;
  if (!/<html|<body|<table/i.test(html)) return null;
  let page = html.replace(/<title>[\s\S]*?<\/title>/i, "").replace(/<meta[^>]+(?:ArticleTitle|ContentSource)[^>]*>/gi, "");
  const head = `<title>${withTitle && c.title ? `${c.title}_` : ""}${ZONE_SITE}</title><meta name="ContentSource" content="${ZONE_SITE}">`;
  page = /<head[^>]*>/i.test(page) ? page.replace(/<head[^>]*>/i, (m) => m + head) : head + page;
  if (!withTitle && c.title) page = page.split(c.title).join("");
  return page;
}

function variants(c: Case): Variant[] {
  const seed = bodyLines(c, "seed");
  const plain = bodyLines(c, "plain");
  const signature = [c.agency, `${c.year + 1}年1月20日`];
  const out: Variant[] = [];
  if (c.title) {
    out.push({ name: "chrome, title line, seed layout", text: [BREADCRUMBS, SITE, COLUMN, c.title, ...seed].join("\n"), named: true });
    out.push({ name: "zone's site name, title line, plain text", text: [ZONE_SITE, "首页 > 信息公开 > 政府信息公开年报", COLUMN, `发布时间：${c.year + 1}-01-20 来源：本站`, c.title, ...plain].join("\n"), named: true });
    out.push({ name: "title beside the breadcrumbs", text: [`${BREADCRUMBS} ${c.title}`, SITE, ...seed].join("\n"), named: true });
    out.push({ name: "title after the column name on one line", text: [SITE, `${COLUMN} ${c.title} 来源： 时间：${c.year + 1}-01-20`, ...plain].join("\n"), named: true });
  }
  out.push({ name: "chrome, no title", text: [BREADCRUMBS, SITE, COLUMN, ...plain].join("\n"), named: false });
  out.push({ name: "chrome, no title, signature", text: [BREADCRUMBS, ZONE_SITE, COLUMN, ...seed, ...signature].join("\n"), named: true });
  out.push({ name: "no title, signature on one line, plain text", text: [SITE, COLUMN, ...plain, signature.join(" ")].join("\n"), named: true });
  out.push({ name: "chrome, no title, the list link's title as hint", text: [BREADCRUMBS, SITE, COLUMN, ...plain].join("\n"), named: true, titleHint: c.title ?? `${c.agency}${c.year}年政府信息公开工作年度报告` });
  const withTitle = zoneHead(c, true);
  if (withTitle) out.push({ name: "HTML, zone's site name in <title> and ContentSource", text: withTitle, named: Boolean(c.title) });
  const noTitle = zoneHead(c, false);
  if (noTitle) out.push({ name: "HTML, zone's site name only, title removed", text: noTitle, named: false });
  return out;
}

function has(r: ReportRecord, code: string): boolean {
  return r.issues.some((i) => i.code === code);
}

describe("report keys on chrome-wrapped, flattened fixtures", () => {
  const all = cases();
  it("covers every fixture with a known agency and year", () => {
    expect(all.length).toBeGreaterThan(20);
  });
  for (const c of all) {
    it(`${c.name}: agency and year right, or null with an issue`, () => {
      for (const v of variants(c)) {
        const r = parseReport(v.text, { titleHint: v.titleHint ?? null });
        const where = `${c.name} / ${v.name}: agency ${r.agency}, year ${r.year}`;
        if (r.agency !== c.agency) {
          expect(r.agency, where).toBeNull();
          expect(has(r, "meta.agency_missing"), where).toBe(true);
        }
        if (v.named) expect(r.agency, where).toBe(c.agency);
        if (r.year !== c.year) {
          expect(r.year, where).toBeNull();
          expect(has(r, "meta.year_missing"), where).toBe(true);
        }
        // The title is the report's own (never a breadcrumb, the column name or the site name).
        if (c.title && v.named && v.name !== "chrome, no title, signature" && !v.name.startsWith("no title")) expect(r.title, where).toBe(c.title);
        else expect(r.title === null || r.title === c.title || r.title === v.titleHint, where).toBe(true);
      }
    });
  }
});
