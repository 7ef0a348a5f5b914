import { resolve } from "node:path";
import type { CommandModule } from "../context.js";
import { loadSources, parseShard, sourcesOfShard } from "../../crawl/sources.js";
import { addCrawlOptions, crawlSession, dbPathFrom, policyFromFlags } from "../crawl-session.js";

/** `nianbao crawl`: crawl the portals of a sources file into the database. */
export const crawlCommand: CommandModule = {
  name: "crawl",
  summary: "crawl the portals in a sources file: polite, incremental, resumable; store pages and parsed reports",
  example: "nianbao crawl --sources sources.json --db data/nianbao.db --contact you@example.org",
  configure: (cmd) =>
    addCrawlOptions(cmd).option("--shard <k/N>", "crawl only shard k of N (a stable split of the sources by id), for several machines; join their databases with nianbao merge"),
  async run(_args, opts, io) {
    const shard = typeof opts["shard"] === "string" ? parseShard(opts["shard"]) : null;
    const all = loadSources(resolve(io.cwd, String(opts["sources"] ?? "sources.json")));
    const sources = shard ? sourcesOfShard(all, shard) : all;
    if (shard && opts["quiet"] !== true) {
      io.stderr.write(`shard ${shard.index}/${shard.count}: ${sources.length} of ${all.length} source${all.length === 1 ? "" : "s"}\n`);
    }
    const policy = policyFromFlags(opts, io.env);
    const { exitCode } = await crawlSession(
      {
        sources,
        policy,
        dbPath: dbPathFrom(opts, io.env),
        refresh: opts["refresh"] === true,
        fresh: opts["fresh"] === true,
        quiet: opts["quiet"] === true,
        json: opts["json"] === true,
        trigger: "crawl",
      },
      io,
    );
    return exitCode;
  },
};
