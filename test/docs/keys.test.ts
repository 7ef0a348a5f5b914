import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { templateValuePaths } from "../../src/pipeline.js";
import { openDb } from "../../src/store/db.js";
import { createReportSink } from "../../src/store/sink.js";
import { keyDictionary, renderKeysMarkdown } from "../../src/templates/dictionary.js";
import { APPLICATION_ROWS, fakeBody, fakeParser, rawPage, sampleRecord } from "../store/helpers.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const docPath = join(root, "docs/keys.md");

describe("the key dictionary", () => {
  it("docs/keys.md is generated from the templates (UPDATE_DOCS=1 rewrites it)", () => {
    const want = renderKeysMarkdown();
    if (process.env["UPDATE_DOCS"]) writeFileSync(docPath, want);
    expect(readFileSync(docPath, "utf8")).toBe(want);
  });

  it("names every key a template can fill, with a Chinese label", () => {
    const dict = new Set(keyDictionary().map((e) => `${e.section === "review_litigation" ? "reviewLitigation" : e.section}.${e.row_key}.${e.col_key}`));
    for (const path of templateValuePaths()) expect(dict.has(path), path).toBe(true);
    for (const e of keyDictionary()) expect(e.row_label + e.col_label).toMatch(/[\u4e00-\u9fff]/);
  });

  it("is in the database as value_labels, and reads applications in printed order (the docs' SQL)", () => {
    const db = openDb(":memory:");
    const id = createReportSink(db, { parse: fakeParser() }).ingest(rawPage(fakeBody(sampleRecord({ template: "2021" })))).reportId;
    const doc = readFileSync(docPath, "utf8");
    const sql = /```sql\n([\s\S]*?)```/.exec(doc)?.[1]?.replace("a.report_id = 1", `a.report_id = ${id}`) as string;
    const rows = db.prepare(sql).all() as { row_label: string }[];
    const labels = new Map(keyDictionary().filter((e) => e.template === "2021" && e.section === "applications").map((e) => [e.row_key, e.row_label]));
    expect(rows.map((r) => r.row_label)).toEqual(APPLICATION_ROWS["2021"].map((k) => labels.get(k)));
    expect(rows[0]?.row_label).toBe("一、本年新收政府信息公开申请数量");
    db.close();
  });
});
