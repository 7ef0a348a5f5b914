import { resolve } from "node:path";
import type { CommandModule } from "../context.js";
import { loadSources } from "../../crawl/sources.js";
import { addCrawlOptions, crawlSession, dbPathFrom, policyFromFlags } from "../crawl-session.js";

/** `nianbao crawl`: crawl the portals of a sources file into the database. */
export const crawlCommand: CommandModule = {
  name: "crawl",
  summary: "crawl the portals in a sources file: polite, incremental, resumable; store pages and parsed reports",
  example: "nianbao crawl --sources sources.json --db data/nianbao.db --contact you@example.org",
  configure: (cmd) => addCrawlOptions(cmd),
  async run(_args, opts, io) {
    const sources = loadSources(resolve(io.cwd, String(opts["sources"] ?? "sources.json")));
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
