import { accessSync, closeSync, constants, mkdirSync, openSync, statSync, writeSync } from "node:fs";
import { NianbaoError } from "../../errors.js";
import { join, resolve } from "node:path";
import { Option } from "commander";
import { exportableRelations } from "../../store/export.js";
import { openForQuery, runReadOnly } from "../../store/query.js";
import type { CommandModule } from "../context.js";
import { dbOption } from "../main.js";
import { noHeadersOption, writeRows, type OutputFormat } from "../output.js";
import { writeParquet } from "../../report/parquet.js";
import { dbPathFor, withDb } from "../session.js";

export const exportCommand: CommandModule = {
  name: "export",
  summary: "write every view (and with --tables every table) as CSV, JSONL or Parquet files into --out",
  example: "nianbao export --out export/ --format csv",
  configure: (cmd) =>
    cmd
      .addOption(new Option("--out <dir>", "directory to write into (created if missing)").makeOptionMandatory())
      .addOption(new Option("--format <format>", "output format: csv, jsonl, parquet").choices(["csv", "jsonl", "parquet"]).default("csv"))
      .addOption(new Option("--tables", "also export the tables (raw page bodies and the search index's internals excluded)"))
      .addOption(noHeadersOption("csv"))
      .addOption(dbOption()),
  async run(_args, opts, io) {
    const format = opts["format"] as OutputFormat | "parquet";
    const out = resolve(io.cwd, opts["out"] as string);
    prepareOutDir(out, opts["out"] as string);
    return withDb(openForQuery(dbPathFor(opts, io)), (db) => {
      for (const rel of exportableRelations(db, { tables: Boolean(opts["tables"]) })) {
        const file = join(out, `${rel.name}.${format}`);
        if (format === "parquet") {
          // Two passes (types, then rows): the first reuses this statement, the second reruns it.
          const first = runReadOnly(db, rel.select);
          let passes = 0;
          const n = writeParquet(file, first.columns, () => (passes++ === 0 ? first.rows : runReadOnly(db, rel.select).rows) as Iterable<unknown[]>);
          io.stderr.write(`${rel.kind} ${rel.name}: ${n} rows → ${file}\n`);
          continue;
        }
        const { columns, rows } = runReadOnly(db, rel.select);
        const fd = openSync(file, "w");
        try {
          const n = writeRows((s) => writeSync(fd, s), columns, rows, format, { headers: opts["headers"] !== false });
          io.stderr.write(`${rel.kind} ${rel.name}: ${n} rows → ${file}\n`);
        } finally {
          closeSync(fd);
        }
      }
      return 0;
    });
  },
};

/** --out must be a folder this user can write: made if missing; a file or a locked folder is a one-line error. */
function prepareOutDir(out: string, given: string): void {
  let isDir = false;
  try {
    isDir = statSync(out).isDirectory();
  } catch {
    try {
      mkdirSync(out, { recursive: true });
      return;
    } catch (cause) {
      throw new NianbaoError("E_BAD_ARGS", `--out ${given}: cannot create this folder: ${(cause as NodeJS.ErrnoException).code === "EACCES" ? "permission denied" : (cause as Error).message}`, { out }, { cause });
    }
  }
  if (!isDir) throw new NianbaoError("E_BAD_ARGS", `--out ${given}: this is a file; give a folder to write the files into`, { out });
  try {
    accessSync(out, constants.W_OK | constants.X_OK);
  } catch (cause) {
    throw new NianbaoError("E_BAD_ARGS", `--out ${given}: cannot write into this folder: permission denied`, { out }, { cause });
  }
}
