import type { CommandModule } from "../context.js";
import { crawlCommand } from "./crawl.js";
import { demoCommand } from "./demo.js";

/** Every command of the CLI, in the order `--help` lists them. */
export const COMMANDS: CommandModule[] = [crawlCommand, demoCommand];
