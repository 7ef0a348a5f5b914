import type Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NianbaoError } from "../../src/errors.js";
import { openDb } from "../../src/store/db.js";
import { searchReports } from "../../src/store/search.js";
import { createReportSink } from "../../src/store/sink.js";
import { fakeBody, fakeParser, rawPage, sampleRecord } from "./helpers.js";

describe("searchReports", () => {
  let db: Database.Database;
  beforeEach(() => {
    db = openDb(":memory:");
    const sink = createReportSink(db, { parse: fakeParser() });
    sink.ingest(rawPage(fakeBody(sampleRecord({ agency: "甲市财政局", title: "甲市财政局2021年报告（旧）" }), "本年度未收取信息处理费。"), "http://a.cn/1"));
    sink.ingest(rawPage(fakeBody(sampleRecord({ agency: "甲市财政局", title: "甲市财政局2021年报告" }), "本年度未收取信息处理费，依申请公开工作平稳。"), "http://a.cn/2"));
    sink.ingest(rawPage(fakeBody(sampleRecord({ agency: "乙县教育局", year: 2020, title: "乙县教育局2020年报告" }), "主动公开规范性文件12件。"), "http://b.cn/1"));
    sink.flush();
  });
  afterEach(() => db.close());

  it("finds Chinese text with the trigram index, latest versions only, with a marked snippet", () => {
    const { mode, hits } = searchReports(db, "信息处理费");
    expect(mode).toBe("fts");
    expect(hits.map((h) => [h.agency, h.year, h.title])).toEqual([["甲市财政局", 2021, "甲市财政局2021年报告"]]);
    expect(hits[0]?.snippet).toContain("[信息处理费]");
  });

  it("with all, searches every stored version", () => {
    expect(searchReports(db, "信息处理费", { all: true }).hits).toHaveLength(2);
  });

  it("requires every term, and treats FTS syntax as plain text", () => {
    expect(searchReports(db, "信息处理费 依申请公开").hits).toHaveLength(1);
    expect(searchReports(db, "信息处理费 规范性文件").hits).toHaveLength(0);
    expect(searchReports(db, '"OR* NEAR(').hits).toEqual([]);
  });

  it("finds text that looks like FTS syntax as the characters it is", () => {
    const sink = createReportSink(db, { parse: fakeParser() });
    sink.ingest(rawPage(fakeBody(sampleRecord({ agency: "丙区司法局", year: 2022, title: "丙区司法局2022年报告" }), '附表写作 "OR* 与 NEAR(3) 的编号。'), "http://c.cn/1"));
    sink.flush();
    const { mode, hits } = searchReports(db, '"OR* NEAR(');
    expect(mode).toBe("fts");
    expect(hits.map((h) => h.agency)).toEqual(["丙区司法局"]);
    // Both terms are required, each as plain text: a quote or a star does not widen the search.
    expect(searchReports(db, '"OR* 信息处理费').hits).toEqual([]);
    expect(searchReports(db, "NEAR(3) AND").hits).toEqual([]);
  });

  it("falls back to a substring scan for terms shorter than three characters", () => {
    const { mode, hits } = searchReports(db, "乙县");
    expect(mode).toBe("like");
    expect(hits.map((h) => h.agency)).toEqual(["乙县教育局"]);
    expect(hits[0]?.snippet).toContain("[乙县]");
    expect(searchReports(db, "文件").hits.map((h) => h.agency)).toEqual(["乙县教育局"]);
  });

  it("refuses an empty search", () => {
    expect(() => searchReports(db, "  ")).toThrow(NianbaoError);
  });
});
