import { Option } from "commander";
import { NianbaoError } from "../../errors.js";
import { openForSearch, searchReports } from "../../store/search.js";
import type { CommandModule } from "../context.js";
import { dbOption } from "../main.js";
import { formatOption, noHeadersOption, writeRows, type OutputFormat } from "../output.js";
import { dbPathFor, withDb } from "../session.js";

export const searchCommand: CommandModule = {
  name: "search",
  summary: "full-text search over the stored reports' text (Chinese-aware); lists agency, year, title and a snippet",
  example: "nianbao search 信息处理费",
  configure: (cmd) =>
    cmd
      .argument("<text...>", "words to find, all of them; 3+ characters each use the index, shorter ones a slower scan")
      .addOption(dbOption())
      .addOption(new Option("--limit <n>", "most results to list").default("20"))
      .addOption(new Option("--all", "search every stored version, not only the latest per agency and year"))
      .addOption(formatOption("table"))
      .addOption(noHeadersOption()),
  async run(args, opts, io) {
    const limit = Number(opts["limit"]);
    if (!Number.isInteger(limit) || limit <= 0) throw new NianbaoError("E_BAD_ARGS", `--limit must be a positive whole number, got ${String(opts["limit"])}`);
    const { db: handle, indexed } = openForSearch(dbPathFor(opts, io));
    if (indexed) io.stderr.write(`indexed ${indexed} report${indexed === 1 ? "" : "s"} waiting for the search index\n`);
    return withDb(handle, (db) => {
      const { mode, hits } = searchReports(db, args.join(" "), { limit, all: Boolean(opts["all"]) });
      if (mode === "like") io.stderr.write("note: a term is shorter than 3 characters, so this searched by scanning the text (slower on large databases)\n");
      const columns = ["report_id", "agency", "year", "title", "snippet"] as const;
      writeRows((s) => io.stdout.write(s), columns, hits.map((h) => columns.map((c) => h[c])), opts["format"] as OutputFormat, {
        headers: opts["headers"] !== false,
        maxCellWidth: 100,
      });
      if (hits.length === 0) io.stderr.write("no matching reports\n");
      return 0;
    });
  },
};
