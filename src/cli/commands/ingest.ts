import { Option } from "commander";
import { NianbaoError } from "../../errors.js";
import { parsePage } from "../../pipeline.js";
import { sha256Hex } from "../../store/codec.js";
import { openDb } from "../../store/db.js";
import { collectFiles, ingestInputs, type IngestInput, type IngestSummary } from "../../store/ingest.js";
import { readAll, type CommandModule } from "../context.js";
import { dbOption } from "../main.js";
import { clockFor, dbPathFor, interruptSignal, parserFor, withDb } from "../session.js";

export const ingestCommand: CommandModule = {
  name: "ingest",
  summary: "parse local pages (files, directories, or - for stdin) and store them with their raw bytes",
  example: "nianbao ingest saved-pages/ --db data/nianbao.db",
  configure: (cmd) =>
    cmd
      .argument("<paths...>", "files, directories (walked for .html .htm .shtml .txt .md and source.* files), or - for stdin")
      .addOption(dbOption())
      .addOption(new Option("--json", "print the summary as JSON on stdout"))
      .addOption(new Option("--quiet", "print nothing but errors")),
  async run(args, opts, io) {
    const { files, skipped, unreadable } = collectFiles(args, io.cwd);
    const inputs: IngestInput[] = [];
    for (const f of files) {
      if (f !== "-") {
        inputs.push({ kind: "file", path: f });
        continue;
      }
      const body = await readAll(io.stdin);
      if (body.byteLength === 0) throw new NianbaoError("E_EMPTY_INPUT", "stdin is empty (pipe a saved page into ingest -)");
      // The content's hash makes the URL: piping the same bytes twice adds nothing.
      inputs.push({ kind: "bytes", url: `stdin:${sha256Hex(body).slice(0, 16)}`, body });
    }
    const dbPath = dbPathFor(opts, io);
    const { signal, dispose } = interruptSignal(io);
    try {
      const summary = await withDb(openDb(dbPath), (db) =>
        ingestInputs(db, inputs, { parse: parserFor(io), ...(io.deps?.parse ? {} : { parseWithText: parsePage }), now: clockFor(io), signal, skipped, unreadable }),
      );
      if (opts["json"]) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else if (!opts["quiet"]) io.stderr.write(renderSummary(summary, dbPath));
      return summary.interrupted ? 130 : 0;
    } finally {
      dispose();
    }
  },
};

function renderSummary(s: IngestSummary, dbPath: string): string {
  const pages = s.stored + s.changed + s.unchanged + s.rejected;
  const lines = [
    `${s.interrupted ? "interrupted after" : "ingested"} ${pages} page${pages === 1 ? "" : "s"} into ${dbPath}: ` +
      `${s.stored} stored, ${s.changed} changed (new version), ${s.unchanged} unchanged, ${s.rejected} rejected` +
      (s.skipped ? `; ${s.skipped} other file${s.skipped === 1 ? "" : "s"} skipped` : "") +
      (s.unreadable.length ? `; ${s.unreadable.length} unreadable (skipped)` : ""),
  ];
  for (const u of s.unreadable) lines.push(`  unreadable ${u.input}: ${u.reason}`);
  for (const r of s.rejections) lines.push(`  rejected ${r.input}: ${r.reason} (${r.code})`);
  return `${lines.join("\n")}\n`;
}
