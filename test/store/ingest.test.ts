import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NianbaoError } from "../../src/errors.js";
import { openDb } from "../../src/store/db.js";
import { collectFiles, ingestInputs, isPageFile } from "../../src/store/ingest.js";
import { fakeBody, fakeParser, sampleRecord } from "./helpers.js";

describe("collectFiles / ingestInputs", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "nianbao-ingest-"));
    // The corpus layout: one folder per case with the page and its expectations.
    for (const [name, record] of [["case-a", sampleRecord()], ["case-b", sampleRecord({ year: 2020, template: "2019" })]] as const) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, "source.html"), fakeBody(record));
      writeFileSync(join(dir, name, "expected.json"), "{}");
      writeFileSync(join(dir, name, "meta.json"), "{}");
    }
    writeFileSync(join(dir, "README.md"), "# pages");
    writeFileSync(join(dir, "list.htm"), fakeBody(null));
    writeFileSync(join(dir, ".hidden.html"), "x");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("walks directories for pages, skipping expectations, READMEs and hidden files", () => {
    const { files, skipped } = collectFiles([dir], "/");
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(["case-a/source.html", "case-b/source.html", "list.htm"]);
    expect(skipped).toBe(5);
    expect(["a.shtml", "b.TXT", "c.md", "source.pdf", "expected.json", "README.txt"].map(isPageFile)).toEqual([true, true, true, true, false, false]);
  });

  it("takes a named file whatever its extension, and refuses a missing path before storing anything", () => {
    expect(collectFiles(["case-a/expected.json"], dir).files).toEqual([join(dir, "case-a/expected.json")]);
    expect(() => collectFiles([dir, "nope"], dir)).toThrow(NianbaoError);
  });

  it("stores, rejects with reasons, and records the run; a second ingest finds everything unchanged", async () => {
    const db = openDb(":memory:");
    const { files } = collectFiles([dir], "/");
    const inputs = files.map((path) => ({ kind: "file" as const, path }));
    const first = await ingestInputs(db, inputs, { parse: fakeParser() });
    expect(first).toMatchObject({ stored: 2, changed: 0, unchanged: 0, rejected: 1, interrupted: false });
    expect(first.rejections).toEqual([{ input: join(dir, "list.htm"), code: "E_NOT_REPORT", reason: "no 政府信息公开 report tables found on the page" }]);
    const second = await ingestInputs(db, inputs, { parse: fakeParser() });
    expect(second).toMatchObject({ stored: 0, changed: 0, unchanged: 3, rejected: 0 });
    expect(db.prepare("SELECT kind, status FROM crawl_runs ORDER BY id").all()).toEqual([
      { kind: "ingest", status: "completed" },
      { kind: "ingest", status: "completed" },
    ]);
    expect(db.prepare("SELECT url FROM pages ORDER BY id").pluck().all()).toEqual(files.map((f) => `file://${f}`));
    db.close();
  });
});
