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
    // The columns each export gives, as SQLite reports them for the statement: every column of the
    // relation, except a page's raw body.
    const columns = (select: string) => db.prepare(select).columns().map((c) => c.name);
    const declared = (name: string) => db.prepare("SELECT name FROM pragma_table_info(?)").pluck().all(name) as string[];
    const pages = all.find((r) => r.name === "pages")!;
    expect(declared("pages")).toContain("body");
    expect(columns(pages.select)).toEqual(declared("pages").filter((c) => c !== "body"));
    expect(columns(pages.select)).toEqual(expect.arrayContaining(["id", "url", "status", "body_codec"]));
    for (const r of all) {
      if (r.name === "pages" || r.name === "report_text") continue;
      expect(columns(r.select), r.name).toEqual(declared(r.name));
    }
    expect(columns(all.find((r) => r.name === "report_text")!.select)).toEqual(["report_id", "title", "body"]);
    expect(columns(views.find((r) => r.name === "applications")!.select)).toEqual(["report_id", "row_key", "natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total"]);
    for (const r of all) expect(() => db.prepare(r.select).all()).not.toThrow();
    db.close();
  });
});
