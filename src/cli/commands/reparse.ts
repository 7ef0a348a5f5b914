import { Option } from "commander";
import { parsePage } from "../../pipeline.js";
import { openDb } from "../../store/db.js";
import { reparseAll, type ReparseSummary } from "../../store/reparse.js";
import { PARSER_VERSION } from "../../version.js";
import type { CommandModule } from "../context.js";
import { dbOption } from "../main.js";
import { clockFor, dbPathFor, interruptSignal, parserFor, withDb } from "../session.js";

export const reparseCommand: CommandModule = {
  name: "reparse",
  summary: "re-run the current parser over every stored raw page (after a parser upgrade), without fetching",
  example: "nianbao reparse --db data/nianbao.db",
  configure: (cmd) =>
    cmd.addOption(dbOption()).addOption(new Option("--json", "print the summary as JSON on stdout")).addOption(new Option("--quiet", "print nothing but errors")),
  async run(_args, opts, io) {
    const { signal, dispose } = interruptSignal(io);
    try {
      const summary = await withDb(openDb(dbPathFor(opts, io), { mustExist: true }), (db) => reparseAll(db, { parse: parserFor(io), ...(io.deps?.parse ? {} : { parseWithText: parsePage }), now: clockFor(io), signal }));
      if (opts["json"]) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else if (!opts["quiet"]) io.stderr.write(renderSummary(summary));
      return summary.interrupted ? 130 : 0;
    } finally {
      dispose();
    }
  },
};

function renderSummary(s: ReparseSummary): string {
  const lines = [
    `${s.interrupted ? "interrupted after" : "reparsed"} ${s.pages} page${s.pages === 1 ? "" : "s"} with parser ${PARSER_VERSION}: ` +
      `${s.changes.length} changed, ${s.unchanged} unchanged` +
      (s.restamped ? ` (${s.restamped} re-stamped with the new parser version)` : "") +
      `, ${s.stillRejected} still not reports`,
  ];
  for (const c of s.changes) {
    const who = `${c.year ?? "?"} ${c.agency ?? c.url}`;
    if (c.kind === "rejected") lines.push(`  ${who}: no longer a report: ${c.reason}`);
    else if (c.kind === "parsed") lines.push(`  ${who} (report ${c.reportId}): now a report, ${c.values} values, ${c.issues} issues`);
    else {
      const fields = c.fields.length ? `, fields ${c.fields.join(", ")}` : "";
      lines.push(`  ${who} (report ${c.reportId}): ${c.values} values changed, ${c.issues} issues added or removed${fields}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
