import type { CommandModule } from "../context.js";
import { fixtureCommand } from "./fixture.js";
import { parseCommand } from "./parse.js";

/** Every command of the CLI, in the order `--help` lists them. */
export const COMMANDS: CommandModule[] = [parseCommand, fixtureCommand];
