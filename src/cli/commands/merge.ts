import { resolve } from "node:path";
import { NianbaoError } from "../../errors.js";
import { openDb } from "../../store/db.js";
import { mergeDatabases } from "../../store/merge.js";
import type { CommandModule } from "../context.js";
import { dbOption } from "../main.js";
import { dbPathFor, withDb } from "../session.js";

/** `nianbao merge`: union databases crawled separately (shards) into one. */
export const mergeCommand: CommandModule = {
  name: "merge",
  summary: "union databases crawled separately (crawl --shard k/N on several machines) into the --db database; safe to repeat",
  example: "nianbao merge shard-1.db shard-2.db --db data/nianbao.db",
  configure: (cmd) =>
    cmd
      .argument("<db...>", "databases to merge in")
      .addOption(dbOption())
      .option("--json", "print what each database added as JSON"),
  async run(args, opts, io) {
    if (args.length === 0) throw new NianbaoError("E_BAD_ARGS", "merge needs at least one database to merge in");
    const out = dbPathFor(opts, io);
    const inputs = args.map((a) => resolve(io.cwd, a));
    return withDb(openDb(out), (db) => {
      const results = mergeDatabases(db, inputs);
      if (opts["json"]) io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      else {
        for (const [i, r] of results.entries()) {
          io.stdout.write(`${args[i]}: ${r.pages} page${r.pages === 1 ? "" : "s"}, ${r.reports} report${r.reports === 1 ? "" : "s"}, ${r.rejections} rejection${r.rejections === 1 ? "" : "s"}, ${r.runs} run${r.runs === 1 ? "" : "s"} added\n`);
        }
      }
      return 0;
    });
  },
};
