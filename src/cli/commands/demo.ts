import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { NianbaoError } from "../../errors.js";
import { Option } from "commander";
import type { CommandModule } from "../context.js";
import { resolvePolicy } from "../../crawl/policy.js";
import { SAMPLE_PORTAL_DIR, startPortal } from "../../crawl/sample-portal.js";
import { parseSources } from "../../crawl/sources.js";
import { crawlSession, dbPathFrom } from "../crawl-session.js";
import { dbOption } from "../main.js";
import { reportTo } from "./report.js";

/**
 * `nianbao demo` (what `npm start` runs): serve the bundled sample portal on 127.0.0.1, crawl it
 * into the database with demo-sized politeness, print the summary, stop the servers, and write the
 * HTML report next to the database (data/report.html), printing its path.
 */
export const demoCommand: CommandModule = {
  name: "demo",
  summary: "serve the bundled sample portal on 127.0.0.1, crawl it into the database and print the summary (npm start)",
  example: "nianbao demo --db data/nianbao.db",
  configure: (cmd) =>
    cmd
      .addOption(dbOption())
      .option("--portal <dir>", "portal directory to serve (default: the bundled fixtures/portal)")
      .addOption(new Option("--delay-ms <n>", "ms between requests to one site (robots.txt Crawl-delay wins when larger)").default("100"))
      .option("--report <file.html>", "where to write the HTML report (default: report.html next to the database)")
      .option("--quiet", "no progress on stderr")
      .option("--json", "print the run summary as JSON on stdout"),
  async run(_args, opts, io) {
    const dir = typeof opts["portal"] === "string" ? resolve(io.cwd, opts["portal"]) : SAMPLE_PORTAL_DIR;
    if (!existsSync(join(dir, "portal.json"))) {
      throw new NianbaoError("E_BAD_ARGS", `--portal ${String(opts["portal"] ?? dir)}: no portal.json there (give a folder made like fixtures/portal)`, { dir });
    }
    const portal = await startPortal(dir);
    try {
      const sources = parseSources(portal.sources(), "sample portal");
      io.stderr.write(`nianbao demo: serving ${portal.sites.length} sample sites: ${portal.sites.map((s) => `${s.id} ${s.origin}/`).join(", ")}\n`);
      const policy = resolvePolicy({ delayMs: opts["delayMs"], perHost: 1, concurrency: 4, retries: 2, retryBaseMs: 100, timeoutMs: 5000 }, {});
      const { exitCode } = await crawlSession(
        {
          sources,
          policy,
          dbPath: dbPathFrom(opts, io.env),
          // The sites get new ports every run: forget the sample sources' old frontier, keep everything else.
          fresh: { sourceIds: sources.map((s) => s.id) },
          quiet: opts["quiet"] === true,
          json: opts["json"] === true,
          trigger: "demo",
          // The demo talks to its own loopback sites: no contact needed, no warning.
          warnNoContact: false,
        },
        io,
      );
      if (exitCode !== 0) return exitCode;
      // The same path the crawl session opened (relative to the process), and the report beside it.
      const dbPath = resolve(dbPathFrom(opts, io.env));
      const out = typeof opts["report"] === "string" ? opts["report"] : join(dirname(dbPath), "report.html");
      const file = reportTo(io, dbPath, out, {});
      // With --json, stdout is the summary alone; the path then goes to stderr.
      (opts["json"] === true ? io.stderr : io.stdout).write(`report: ${file}\n`);
      return exitCode;
    } finally {
      await portal.close();
    }
  },
};
