import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GroupCommit } from "../../src/store/group-commit.js";

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
