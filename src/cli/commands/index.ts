import type { CommandModule } from "../context.js";
import { crawlCommand } from "./crawl.js";
import { demoCommand } from "./demo.js";
import { exportCommand } from "./export.js";
import { fixtureCommand } from "./fixture.js";
import { ingestCommand } from "./ingest.js";
import { mergeCommand } from "./merge.js";
import { parseCommand } from "./parse.js";
import { pinCommand } from "./pin.js";
import { queryCommand } from "./query.js";
import { reparseCommand } from "./reparse.js";
import { reportCommand } from "./report.js";
import { scheduleCommand } from "./schedule.js";
import { searchCommand } from "./search.js";

/** Every command of the CLI, in the order `--help` lists them (PRODUCT.md's order). */
export const COMMANDS: CommandModule[] = [
  parseCommand,
  crawlCommand,
  ingestCommand,
  searchCommand,
  reparseCommand,
  queryCommand,
  exportCommand,
  reportCommand,
  pinCommand,
  scheduleCommand,
  mergeCommand,
  fixtureCommand,
  demoCommand,
];
