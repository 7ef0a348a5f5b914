import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { applied, migrate, pending, type Migration } from "../../src/store/migrate.js";
import { NianbaoError } from "../../src/errors.js";

const steps: Migration[] = [
  { name: "001-a", up: (db) => db.exec("CREATE TABLE a (x INTEGER)") },
  { name: "002-b", up: (db) => db.exec("CREATE TABLE b (y INTEGER)") },
];

describe("migrate", () => {
  it("applies pending steps in order, records them, and is idempotent", () => {
    const db = new Database(":memory:");
    expect(pending(db, steps).map((m) => m.name)).toEqual(["001-a", "002-b"]);
    expect(migrate(db, steps)).toEqual(["001-a", "002-b"]);
    expect(applied(db)).toEqual(["001-a", "002-b"]);
    expect(migrate(db, steps)).toEqual([]);
  });

  it("upgrades a database made with fewer steps", () => {
    const db = new Database(":memory:");
    migrate(db, steps.slice(0, 1));
    expect(migrate(db, steps)).toEqual(["002-b"]);
  });

  it("rolls back a failing step with its ledger row and reports E_MIGRATION_FAILED", () => {
    const db = new Database(":memory:");
    const bad: Migration[] = [
      ...steps,
      {
        name: "003-bad",
        up: (d) => {
          d.exec("CREATE TABLE c (z INTEGER)");
          d.exec("THIS IS NOT SQL");
        },
      },
    ];
    let err: unknown;
    try {
      migrate(db, bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NianbaoError);
    expect((err as NianbaoError).code).toBe("E_MIGRATION_FAILED");
    expect(applied(db)).toEqual(["001-a", "002-b"]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name='c'").get()).toBeUndefined();
  });
});
