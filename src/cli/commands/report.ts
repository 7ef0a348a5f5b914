import { resolve } from "node:path";
import { Option } from "commander";
import { NianbaoError } from "../../errors.js";
import { writeReport, type ReportScope } from "../../report/index.js";
import { openForQuery } from "../../store/query.js";
import type { CliIo, CommandModule } from "../context.js";
import { dbOption } from "../main.js";
import { clockFor, dbPathFor } from "../session.js";

/** `--year 2021` or `--year 2019-2022` (inclusive). */
export function parseYearRange(text: string): { yearFrom: number; yearTo: number } {
  const m = /^\s*(\d{4})\s*(?:[-–~]\s*(\d{4}))?\s*$/.exec(text);
  const from = Number(m?.[1]);
  const to = m?.[2] ? Number(m[2]) : from;
  if (!m || from < 1990 || to > 2100 || to < from) {
    throw new NianbaoError("E_BAD_ARGS", `--year must be a year (2021) or a range (2019-2022), got '${text}'`);
  }
  return { yearFrom: from, yearTo: to };
}

/** The scope the flags ask for; an empty --agency or --region is a mistake, not "everything". */
export function scopeFromFlags(opts: Record<string, unknown>): ReportScope {
  const scope: ReportScope = {};
  for (const flag of ["agency", "region"] as const) {
    const v = opts[flag];
    if (v === undefined) continue;
    if (typeof v !== "string" || v.trim() === "") throw new NianbaoError("E_BAD_ARGS", `--${flag} needs a non-empty name`);
    scope[flag] = v.trim();
  }
  if (typeof opts["year"] === "string") Object.assign(scope, parseYearRange(opts["year"]));
  return scope;
}

/** Write the HTML report and say where; shared with `demo`. */
export function reportTo(io: CliIo, dbPath: string, out: string, scope: ReportScope): string {
  const file = resolve(io.cwd, out);
  if (!/\.html?$/i.test(file)) throw new NianbaoError("E_BAD_ARGS", `--out must name an .html file, got '${out}'`);
  return withDbSync(dbPath, (db) => {
    let s: ReturnType<typeof writeReport>;
    try {
      s = writeReport(db, scope, file, clockFor(io)());
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code && ["EACCES", "EISDIR", "ENOTDIR", "EROFS", "EEXIST", "ENOENT", "EPERM"].includes(code)) {
        throw new NianbaoError("E_BAD_ARGS", `cannot write the report to ${file}: ${code}`, { path: file }, { cause: e });
      }
      throw e;
    }
    io.stderr.write(`report: ${s.reports} reports, ${s.bodies} bodies, years ${s.years.length ? `${s.years[0]}–${s.years[s.years.length - 1]}` : "none"}, ${s.failures} failed pages, ${s.broken} broken identities or carry-overs; ${(s.bytes / 1024).toFixed(0)} KiB\n`);
    return s.file;
  });
}

function withDbSync<T>(dbPath: string, f: (db: ReturnType<typeof openForQuery>) => T): T {
  const db = openForQuery(dbPath);
  try {
    return f(db);
  } finally {
    db.close();
  }
}

export const reportCommand: CommandModule = {
  name: "report",
  summary: "write one self-contained HTML report with charts (coverage, trends, comparison, refusal reasons, broken arithmetic); opens with no network",
  example: "nianbao report --out report.html --region 乌海 --year 2019-2023",
  configure: (cmd) =>
    cmd
      .addOption(new Option("--out <file.html>", "HTML file to write (its folder is created)").makeOptionMandatory())
      .addOption(new Option("--agency <name>", "only agencies whose name contains this text"))
      .addOption(new Option("--region <name>", "only reports from sources whose region contains this text"))
      .addOption(new Option("--year <year|from-to>", "only these statistical years, e.g. 2021 or 2019-2022"))
      .addOption(dbOption()),
  async run(_args, opts, io) {
    const scope = scopeFromFlags(opts);
    const file = reportTo(io, dbPathFor(opts, io), opts["out"] as string, scope);
    io.stdout.write(`${file}\n`);
    return 0;
  },
};
