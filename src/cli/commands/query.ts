import { Option } from "commander";
import { NianbaoError } from "../../errors.js";
import { coerceParam, openForQuery, runReadOnly, type ParamValue } from "../../store/query.js";
import { readAll, type CommandModule } from "../context.js";
import { dbOption } from "../main.js";
import { formatOption, noHeadersOption, writeRows, type OutputFormat } from "../output.js";
import { dbPathFor, withDb } from "../session.js";

export const queryCommand: CommandModule = {
  name: "query",
  summary: "run one read-only SQL statement against the database (views: reports_latest, applications, …)",
  example: `nianbao query "SELECT * FROM applications WHERE report_id = :id" -p id 1 --format table`,
  configure: (cmd) =>
    cmd
      .argument("<sql>", "one SQL statement, or - to read it from stdin")
      .addOption(dbOption())
      .addOption(formatOption("json"))
      .addOption(noHeadersOption())
      .addOption(
        new Option("-p, --param <name value>", "bind a named parameter (:name, @name or $name); repeatable; numbers bind as numbers")
          .argParser((pair: string, previous: string[] | undefined) => [...(previous ?? []), pair])
          .default([]),
      ),
  // commander options take one value; rewrite `-p name value` into `--param name=value`.
  normalizeArgv(args) {
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === "--") {
        out.push(...args.slice(i));
        break;
      }
      if ((a === "-p" || a === "--param") && i + 2 < args.length && !args[i + 1].includes("=")) {
        out.push("--param", `${args[i + 1]}=${args[i + 2]}`);
        i += 2;
      } else out.push(a);
    }
    return out;
  },
  async run(args, opts, io) {
    let sql = args[0] ?? "";
    if (sql === "-") sql = Buffer.from(await readAll(io.stdin)).toString("utf8");
    if (!sql.trim()) throw new NianbaoError("E_BAD_ARGS", "no SQL given (pass a statement, or - and pipe it on stdin)");
    const params: Record<string, ParamValue> = {};
    for (const pair of opts["param"] as string[]) {
      const eq = pair.indexOf("=");
      if (eq <= 0) throw new NianbaoError("E_BAD_ARGS", `-p needs a name and a value (-p year 2020), got "${pair}"`);
      params[pair.slice(0, eq).replace(/^[:@$]/, "")] = coerceParam(pair.slice(eq + 1));
    }
    return withDb(openForQuery(dbPathFor(opts, io)), (db) => {
      const { columns, rows } = runReadOnly(db, sql, params);
      if (columns.length) {
        writeRows((s) => io.stdout.write(s), columns, rows, opts["format"] as OutputFormat, { headers: opts["headers"] !== false });
      }
      return 0;
    });
  },
};
