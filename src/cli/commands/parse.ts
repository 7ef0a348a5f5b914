import { Option } from "commander";
import { NianbaoError } from "../../errors.js";
import { loadInput } from "../load-input.js";
import { parseReport } from "../../pipeline.js";
import type { CommandModule } from "../context.js";
import { renderSummary } from "../summary.js";

export const parseCommand: CommandModule = {
  name: "parse",
  summary: "Parse one report (an HTML page; pipe/whitespace/glued text; markdown; a PDF, DOCX or DOC/WPS file) and print the record",
  example: "nianbao parse report.html --format summary",
  configure: (cmd) =>
    cmd
      .argument("<input>", "a file, an http(s) URL, or - for stdin")
      .addOption(new Option("--format <format>", "json (the record) or summary (a readable table)").choices(["json", "summary"]).default("json"))
      .option("--provenance", "add, for every value, the table, row, column and raw text it came from")
      .option("--timeout-ms <n>", "timeout for a URL", "30000")
      .option("--max-bytes <n>", "largest input accepted", String(20 * 1024 * 1024)),
  async run(args, opts, io) {
    const arg = args[0]!;
    const timeoutMs = positiveInt(opts["timeoutMs"], "--timeout-ms");
    const maxBytes = positiveInt(opts["maxBytes"], "--max-bytes");
    const input = await loadInput(arg, io, { timeoutMs, maxBytes });
    const record = parseReport(input.bytes, { sourceUrl: input.sourceUrl, contentType: input.contentType, provenance: opts["provenance"] === true });
    io.stdout.write(opts["format"] === "summary" ? renderSummary(record) : JSON.stringify(record, null, 2) + "\n");
    return 0;
  },
};

export function positiveInt(v: unknown, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new NianbaoError("E_BAD_ARGS", `${flag} must be a positive integer, got "${String(v)}"`);
  return n;
}
