import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { NianbaoError, isNianbaoError } from "../../errors.js";
import { looksLikeHtml } from "../../parse/decode.js";
import { decodeInput } from "../../parse/input-text.js";
import { sniffFile } from "../../parse/files.js";
import { parseReport } from "../../pipeline.js";
import type { CommandModule } from "../context.js";
import { loadInput } from "../load-input.js";

/**
 * `nianbao fixture add <file|url>`: save a page as a regression fixture under
 * fixtures/reports/<name>/ with its current parse as expected.json/issues.json, for a maintainer to
 * review and correct. The golden test (test/golden.test.ts) picks the folder up.
 */
export const fixtureCommand: CommandModule = {
  name: "fixture",
  summary: "Save a page and its current parse as a regression fixture for review (fixture add <file|url>)",
  example: "nianbao fixture add https://example.gov.cn/zfxxgknb/2024.html --name html-2021-example",
  configure: (cmd) =>
    cmd
      .argument("<action>", "add")
      .argument("<input>", "a file, an http(s) URL, or - for stdin")
      .option("--name <name>", "folder name under fixtures/reports (default: from the input's name)")
      .option("--dir <dir>", "fixtures root", "fixtures/reports")
      .option("--force", "overwrite an existing fixture"),
  async run(args, opts, io) {
    const [action, arg] = args as [string, string];
    if (action !== "add") throw new NianbaoError("E_BAD_ARGS", `unknown fixture action "${action}" (use: fixture add <file|url>)`);
    const input = await loadInput(arg, io, {});
    const name = slug(typeof opts["name"] === "string" ? opts["name"] : defaultName(arg));
    const dir = join(io.cwd, String(opts["dir"]), name);
    if (existsSync(dir) && opts["force"] !== true) throw new NianbaoError("E_BAD_ARGS", `fixture ${name} exists (use --force to overwrite, or --name)`);
    // A PDF or Word file keeps its kind's extension (what sniffFile sees in the bytes).
    const kind = sniffFile(input.bytes);
    const ext = kind ?? (looksLikeHtml(decodeInput(input.bytes, input.contentType).text) ? "html" : "txt");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `input.${ext}`), input.bytes);
    const meta: Record<string, unknown> = { origin: input.sourceUrl ?? basename(arg), added: new Date().toISOString().slice(0, 10), review: "check expected.json against the page by hand, then delete this line" };
    if (input.contentType) meta["contentType"] = input.contentType;
    if (input.sourceUrl) meta["sourceUrl"] = input.sourceUrl;
    try {
      const record = parseReport(input.bytes, { sourceUrl: input.sourceUrl, contentType: input.contentType });
      const { issues, parserVersion, provenance, ...rest } = record;
      void parserVersion;
      void provenance;
      writeFileSync(join(dir, "expected.json"), JSON.stringify(rest, null, 2) + "\n");
      writeFileSync(join(dir, "issues.json"), JSON.stringify(issues.map((i) => ({ code: i.code, severity: i.severity, paths: i.paths })), null, 2) + "\n");
      io.stderr.write(`fixture ${name}: ${record.template} template, ${issues.filter((i) => i.severity === "error").length} error issue(s); review ${join(String(opts["dir"]), name, "expected.json")}\n`);
    } catch (e) {
      if (!isNianbaoError(e) || e.code !== "E_NOT_REPORT") throw e;
      meta["notReport"] = "not a readable annual report";
      io.stderr.write(`fixture ${name}: saved as a non-report (${e.message})\n`);
    }
    writeFileSync(join(dir, "meta.json"), JSON.stringify(meta, null, 2) + "\n");
    io.stdout.write(`${join(String(opts["dir"]), name)}\n`);
    return 0;
  },
};

function defaultName(arg: string): string {
  if (arg === "-") return `stdin-${Date.now()}`;
  try {
    const u = new URL(arg);
    return `${u.hostname}-${basename(u.pathname, extname(u.pathname)) || "index"}`;
  } catch {
    return basename(arg, extname(arg));
  }
}

function slug(s: string): string {
  const out = s.replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/^-+|-+$/g, "");
  if (!out) throw new NianbaoError("E_BAD_ARGS", "--name must contain letters or digits");
  return out;
}
