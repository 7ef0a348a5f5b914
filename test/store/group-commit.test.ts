import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDb } from "../../src/store/db.js";
import { GroupCommit } from "../../src/store/group-commit.js";
import { deleteReport, holdSearchTexts } from "../../src/store/records.js";
import { createReportSink } from "../../src/store/sink.js";
import { rawPage, sampleRecord } from "./helpers.js";

describe("GroupCommit", () => {
  let dir: string;
  let db: Database.Database;
  let other: Database.Database;
  let clock = 0;
  const count = () => other.prepare("SELECT count(*) FROM t").pluck().get() as number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-group-"));
    db = new Database(join(dir, "g.db"));
    db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE t (x INTEGER UNIQUE)");
    other = new Database(join(dir, "g.db"), { readonly: true });
    clock = 0;
  });
  afterEach(() => {
    other.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("commits every maxUnits units; until then another connection sees none of the batch", () => {
    const g = new GroupCommit(db, { maxUnits: 3, maxMs: 60_000, now: () => clock });
    const insert = db.prepare("INSERT INTO t VALUES (?)");
    g.run(() => insert.run(1));
    g.run(() => insert.run(2));
    expect(count()).toBe(0);
    g.run(() => insert.run(3));
    expect(count()).toBe(3);
    g.run(() => insert.run(4));
    expect(count()).toBe(3);
    g.flush();
    expect(count()).toBe(4);
    expect(g.commits).toBe(2);
  });

  it("commits a batch once it is maxMs old", () => {
    const g = new GroupCommit(db, { maxUnits: 100, maxMs: 200, now: () => clock });
    const insert = db.prepare("INSERT INTO t VALUES (?)");
    g.run(() => insert.run(1));
    clock = 150;
    g.run(() => insert.run(2));
    expect(count()).toBe(0);
    clock = 200;
    g.run(() => insert.run(3));
    expect(count()).toBe(3);
  });

  it("commits an idle batch from its timer", async () => {
    const g = new GroupCommit(db, { maxUnits: 100, maxMs: 20 });
    g.run(() => db.prepare("INSERT INTO t VALUES (1)").run());
    expect(count()).toBe(0);
    for (let i = 0; i < 100 && count() === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(count()).toBe(1);
  });

  it("undoes a unit that throws, alone: the rest of the batch is stored", () => {
    const g = new GroupCommit(db, { maxUnits: 100, maxMs: 60_000, now: () => clock });
    const insert = db.prepare("INSERT INTO t VALUES (?)");
    g.run(() => insert.run(1));
    expect(() =>
      g.run(() => {
        insert.run(2);
        insert.run(1); // UNIQUE violation: the whole unit (2 included) is undone
      }),
    ).toThrow(/UNIQUE/);
    g.run(() => insert.run(3));
    g.flush();
    expect(other.prepare("SELECT x FROM t ORDER BY x").pluck().all()).toEqual([1, 3]);
  });

  it("rollback gives up the open batch", () => {
    const g = new GroupCommit(db, { maxUnits: 100, maxMs: 60_000, now: () => clock });
    g.run(() => db.prepare("INSERT INTO t VALUES (1)").run());
    g.rollback();
    g.flush();
    expect(count()).toBe(0);
  });
});

describe("GroupCommit with held search texts (the crawl's batches)", () => {
  let db: Database.Database;
  beforeEach(() => {
    db = openDb(":memory:");
  });
  afterEach(() => db.close());

  /** A sink whose parser reads "agency|text" pages: a report of that agency, indexed under that text. */
  function sinkOf() {
    return createReportSink(db, {
      parse: () => sampleRecord(),
      parseWithText: (body) => {
        const [agency, text] = new TextDecoder().decode(body).split("|") as [string, string];
        return { record: sampleRecord({ agency, title: `${agency}报告` }), searchText: text };
      },
      indexEvery: 0,
    });
  }
  const indexed = () => db.prepare("SELECT rowid AS id, body FROM report_text ORDER BY rowid").all();
  const page = (s: string, n: number) => rawPage(new TextEncoder().encode(s), `http://example.gov.cn/${n}.html`);

  it("indexes a batch's reports at its commit, never with the text of a unit undone or a report deleted since", () => {
    const held = holdSearchTexts(db);
    const g = new GroupCommit(db, { maxUnits: 100, maxMs: 60_000, buffers: [held] });
    const sink = sinkOf();
    const a = g.run(() => sink.ingest(page("甲市财政局|甲文本", 1)));
    expect(indexed()).toEqual([]); // held until the commit
    expect(() =>
      g.run(() => {
        sink.ingest(page("乙市财政局|乙文本", 2));
        throw new Error("the unit fails after its report was stored");
      }),
    ).toThrow(/unit fails/);
    // The undone report's id goes to the next report, stored without a search text (queued for the
    // indexer): 乙's text must not be indexed under it.
    const plain = createReportSink(db, { parse: () => sampleRecord({ agency: "丙市财政局" }), indexEvery: 0 });
    const c = g.run(() => plain.ingest(page("丙", 3)));
    expect(c.reportId).toBe(2);
    const d = g.run(() => sink.ingest(page("丁市财政局|丁文本", 4)));
    g.run(() => deleteReport(db, d.reportId as number));
    g.flush();
    held.release();
    expect(indexed()).toEqual([{ id: a.reportId, body: "甲文本" }]);
    expect(db.prepare("SELECT report_id FROM search_pending").pluck().all()).toEqual([c.reportId]);
  });

  it("rollback drops every held text; released, inserts index at once again", () => {
    const held = holdSearchTexts(db);
    const g = new GroupCommit(db, { maxUnits: 100, maxMs: 60_000, buffers: [held] });
    const sink = sinkOf();
    g.run(() => sink.ingest(page("甲市财政局|甲文本", 1)));
    g.rollback();
    g.flush();
    expect(indexed()).toEqual([]);
    held.release();
    const b = sink.ingest(page("乙市财政局|乙文本", 2));
    expect(indexed()).toEqual([{ id: b.reportId, body: "乙文本" }]);
  });
});
