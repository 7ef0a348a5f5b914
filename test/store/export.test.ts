import { describe, expect, it } from "vitest";
import { openDb } from "../../src/store/db.js";
import { exportableRelations } from "../../src/store/export.js";

describe("exportableRelations", () => {
  it("lists every view; with tables, the tables too, without page bodies or the search index's internals", () => {
    const db = openDb(":memory:");
    const views = exportableRelations(db);
    expect(views.every((r) => r.kind === "view")).toBe(true);
    expect(views.map((r) => r.name)).toEqual(expect.arrayContaining(["reports_latest", "applications", "active_disclosure", "review_litigation", "report_issues"]));
    const all = exportableRelations(db, { tables: true });
    const tables = all.filter((r) => r.kind === "table").map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(["pages", "reports", "report_values", "issues", "rejections", "sources", "crawl_runs", "report_text", "_migrations"]));
    expect(tables.filter((t) => t.startsWith("report_text_"))).toEqual([]);
    const pages = all.find((r) => r.name === "pages");
    expect(pages?.select).not.toMatch(/"body"/);
    for (const r of all) expect(() => db.prepare(r.select).all()).not.toThrow();
    db.close();
  });
});
