import { resolve } from "node:path";
import { Cron } from "croner";
import type { CommandModule } from "../context.js";
import { NianbaoError, isNianbaoError } from "../../errors.js";
import { loadSources } from "../../crawl/sources.js";
import { addCrawlOptions, crawlSession, dbPathFrom, policyFromFlags } from "../crawl-session.js";

/**
 * `nianbao schedule --cron "<expr>"`: run `crawl` on a schedule (croner). Within one process
 * croner's `protect` skips a tick while a run is going; across processes the crawl lease in the
 * database does (a tick that finds it held is skipped and says so). Every run is recorded in
 * crawl_runs and prints its summary, which lists the reports that are new since the last run.
 */
export const scheduleCommand: CommandModule = {
  name: "schedule",
  summary: "run crawl on a cron schedule, never two crawls at once on one database",
  example: 'nianbao schedule --cron "0 3 * * *" --sources sources.json --contact you@example.org',
  configure: (cmd) =>
    addCrawlOptions(
      cmd
        .option("--cron <expr>", 'cron expression, 5 fields or 6 with seconds (e.g. "0 3 * * *": daily at 03:00); required unless --once')
        .option("--timezone <tz>", "IANA time zone of the expression and of the times printed, e.g. Asia/Shanghai (default: the machine's)")
        .option("--max-runs <n>", "exit after this many ticks (runs or skipped ticks); default: run until stopped")
        .option("--once", "run one crawl now (taking the lease like a scheduled run), then exit"),
    ),
  async run(_args, opts, io) {
    const sourcesPath = resolve(io.cwd, String(opts["sources"] ?? "sources.json"));
    loadSources(sourcesPath); // fail fast on a bad file (exit 2), before waiting for the first tick
    const policy = policyFromFlags(opts, io.env);
    const timezone = typeof opts["timezone"] === "string" ? checkTimezone(opts["timezone"]) : undefined;
    const when = (d: Date) => formatInZone(d, timezone);
    if (opts["once"] !== true && typeof opts["cron"] !== "string") {
      throw new NianbaoError("E_BAD_ARGS", "--cron <expr> is required (or --once to run one crawl now)");
    }
    const maxRuns = opts["maxRuns"] === undefined ? Number.POSITIVE_INFINITY : Number(opts["maxRuns"]);
    if (!(maxRuns >= 1)) throw new NianbaoError("E_BAD_ARGS", `--max-runs must be a positive integer (got ${String(opts["maxRuns"])})`);

    let ticks = 0;
    let failures = 0;
    /** The last run's crawl exit code (3 when a source yielded nothing): what `--once` exits with. */
    let lastExit = 0;
    const tick = async (): Promise<void> => {
      ticks++;
      const at = when(new Date());
      try {
        // Re-read the sources every run: a long-lived scheduler picks up edits.
        const sources = loadSources(sourcesPath);
        const first = opts["fresh"] === true && ticks === 1;
        const { summary, exitCode } = await crawlSession(
          { sources, policy, dbPath: dbPathFrom(opts, io.env), refresh: opts["refresh"] === true, fresh: first, quiet: opts["quiet"] === true, json: opts["json"] === true, trigger: "schedule", warnNoContact: ticks === 1 },
          io,
        );
        lastExit = exitCode;
        const fresh = summary.sources.reduce((n, s) => n + s.reports.new + s.reports.changed, 0);
        io.stderr.write(
          `nianbao schedule: run #${summary.runId} ${summary.outcome}: started ${when(new Date(summary.startedAt))}, ended ${when(new Date(summary.endedAt))}: ${fresh} new or changed report(s)\n`,
        );
      } catch (e) {
        if (isNianbaoError(e) && e.code === "E_LEASE_HELD") {
          io.stderr.write(`nianbao schedule: tick at ${at} skipped: ${e.message}\n`);
          return;
        }
        failures++;
        io.stderr.write(`nianbao schedule: run at ${at} failed: ${(e as Error).message}\n`);
      }
    };

    if (opts["once"] === true) {
      await tick();
      return failures ? 1 : lastExit;
    }
    let job: Cron;
    try {
      job = new Cron(String(opts["cron"]), { protect: true, paused: true, ...(timezone ? { timezone } : {}) });
    } catch (e) {
      throw new NianbaoError("E_BAD_ARGS", `--cron: ${(e as Error).message}`);
    }
    return await new Promise<number>((done) => {
      let stopping = false;
      const finish = () => {
        job.stop();
        off?.();
        done(failures ? 1 : 0);
      };
      const off = io.onSignal?.(() => {
        stopping = true;
        if (!job.isBusy()) finish();
      });
      job.schedule(async () => {
        await tick();
        if (stopping || ticks >= maxRuns) finish();
      });
      job.resume();
      const next = job.nextRun();
      io.stderr.write(`nianbao schedule: next run at ${next ? when(next) : "never"} (${String(opts["cron"])})\n`);
      if (!next) finish();
    });
  },
};

/** An IANA time zone name Node knows, else a one-line E_BAD_ARGS. */
export function checkTimezone(tz: string): string {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz;
  } catch {
    throw new NianbaoError("E_BAD_ARGS", `--timezone: unknown time zone ${JSON.stringify(tz)} (give an IANA name such as Asia/Shanghai or UTC)`);
  }
}

/**
 * A time as the user reads it: in `--timezone` when given (e.g. `2026-01-02 03:00:00 Asia/Shanghai`),
 * else ISO 8601 in UTC as before.
 */
export function formatInZone(d: Date, timezone: string | undefined): string {
  if (!timezone) return d.toISOString();
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: timezone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts["year"]}-${parts["month"]}-${parts["day"]} ${parts["hour"]}:${parts["minute"]}:${parts["second"]} ${timezone}`;
}
