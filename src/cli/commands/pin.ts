import { Option } from "commander";
import { NianbaoError } from "../../errors.js";
import { openDb } from "../../store/db.js";
import { copiesOf, pinReport, unpinReport } from "../../store/pins.js";
import type { CommandModule } from "../context.js";
import { dbOption } from "../main.js";
import { writeRows } from "../output.js";
import { clockFor, dbPathFor, withDb } from "../session.js";

/**
 * `nianbao pin <report_id>`: make one copy of a report the one the contract views show, whatever
 * the ranking says (e.g. the text copy when the HTML page is known to be wrong). `--clear` goes back
 * to the ranking, `--show` only lists the copies. Pins are rows of `report_pins`, so SQL works too.
 */
export const pinCommand: CommandModule = {
  name: "pin",
  summary: "choose which copy of a report the views show (or --clear the choice, --show the copies)",
  example: "nianbao pin 42 --note \"HTML page has a typo in 表三\"",
  configure: (cmd) =>
    cmd
      .argument("<report_id>", "a report id (reports_all, report_copies)")
      .addOption(new Option("--note <text>", "why this copy, kept with the pin"))
      .addOption(new Option("--clear", "remove the pin of this report: the ranking decides again").conflicts(["note", "show"]))
      .addOption(new Option("--show", "only list the report's copies"))
      .addOption(dbOption()),
  async run(args, opts, io) {
    const raw = args[0] ?? "";
    if (!/^\d+$/.test(raw)) throw new NianbaoError("E_BAD_ARGS", `report_id must be a positive integer (got ${JSON.stringify(raw)})`);
    const id = Number(raw);
    return withDb(openDb(dbPathFor(opts, io), { mustExist: true }), (db) => {
      if (opts["clear"]) {
        const had = unpinReport(db, id);
        io.stderr.write(had ? `unpinned report ${id}'s copies: the best-ranked copy is shown again\n` : `report ${id} had no pin\n`);
      } else if (!opts["show"]) {
        pinReport(db, id, clockFor(io)(), typeof opts["note"] === "string" ? opts["note"] : null);
        io.stderr.write(`pinned report ${id}: reports_latest and the contract views show this copy\n`);
      }
      const copies = copiesOf(db, id);
      if (!copies.length) throw new NianbaoError("E_BAD_ARGS", `no report ${id} in the database (see reports_all or report_copies)`);
      writeRows((s) => io.stdout.write(s), Object.keys(copies[0] as object), copies.map((c) => Object.values(c)), "table", { headers: true });
      return 0;
    });
  },
};
