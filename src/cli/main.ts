import { Command, CommanderError, Option } from "commander";
import { NianbaoError, exitCodeFor, isNianbaoError } from "../errors.js";
import type { CliIo } from "./context.js";
import { COMMANDS } from "./commands/index.js";
import { PACKAGE_VERSION } from "../version.js";

/** Build the commander program; exported so tests can list commands and their help. */
export function buildProgram(io: CliIo, exitBox: { code: number }): Command {
  const program = new Command("nianbao")
    .description("Turn government information-disclosure annual reports (政府信息公开工作年度报告) into a checked SQLite dataset.")
    .version(PACKAGE_VERSION, "-V, --version")
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: () => {
        /* the shell prints its own one-line error */
      },
    });
  for (const mod of COMMANDS) {
    const cmd = mod.configure(new Command(mod.name).description(mod.summary));
    cmd
      .addHelpText("after", `\nExample:\n  ${mod.example}\n`)
      .exitOverride()
      .configureOutput({
        writeOut: (s) => void io.stdout.write(s),
        writeErr: (s) => void io.stderr.write(s),
        outputError: () => {},
      })
      .action(async (...params: unknown[]) => {
        const command = params[params.length - 1] as Command;
        const opts = command.opts();
        exitBox.code = await mod.run(command.args, opts, io);
      });
    program.addCommand(cmd);
  }
  return program;
}

/** Shared option: where the database is. */
export function dbOption(): Option {
  return new Option("--db <file>", "SQLite database file (default: $NIANBAO_DB or data/nianbao.db)");
}

/**
 * Run the CLI. Returns the exit code: 0 success, 2 bad input (one line on stderr), 1 internal
 * error. Never throws.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const exitBox = { code: 0 };
  const program = buildProgram(io, exitBox);
  const mod = COMMANDS.find((m) => m.name === argv[0]);
  const args = mod?.normalizeArgv ? [argv[0] as string, ...mod.normalizeArgv(argv.slice(1))] : argv;
  try {
    await program.parseAsync(args, { from: "user" });
    return exitBox.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
      if (e.code === "commander.executeSubCommandAsync") return 0;
      io.stderr.write(`nianbao: ${e.message.replace(/^error: /, "")}\n`);
      return 2;
    }
    if (isNianbaoError(e)) {
      // The code ends the line, so scripts and the README's error table can be matched up.
      io.stderr.write(`nianbao: ${e.message} [${e.code}]\n`);
      return exitCodeFor(e);
    }
    const err = e as Error;
    io.stderr.write(`nianbao: internal error: ${err?.message ?? String(e)}\n`);
    if (io.env["NIANBAO_DEBUG"]) io.stderr.write(`${err?.stack ?? ""}\n`);
    return 1;
  }
}

export { NianbaoError };
