import { Readable } from "node:stream";
import type { CliIo } from "../../src/cli/context.js";

export interface Captured extends CliIo {
  out: () => string;
  err: () => string;
}

/** An in-process CliIo with captured stdout/stderr. */
export function captureIo(cwd: string, env: NodeJS.ProcessEnv = {}): Captured {
  let out = "";
  let err = "";
  return {
    stdout: { write: (c: string | Uint8Array) => void (out += String(c)) },
    stderr: { write: (c: string | Uint8Array) => void (err += String(c)) },
    stdin: Readable.from([]),
    env,
    cwd,
    out: () => out,
    err: () => err,
  };
}
