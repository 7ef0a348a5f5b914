import type { CommandModule } from "../context.js";

/** Every command of the CLI, in the order `--help` lists them. */
export const COMMANDS: CommandModule[] = [];
