import type { CommandModule } from "../context.js";
import { exportCommand } from "./export.js";
import { ingestCommand } from "./ingest.js";
import { queryCommand } from "./query.js";
import { reparseCommand } from "./reparse.js";
import { searchCommand } from "./search.js";

/** Every command of the CLI, in the order `--help` lists them. */
export const COMMANDS: CommandModule[] = [ingestCommand, searchCommand, reparseCommand, queryCommand, exportCommand];
