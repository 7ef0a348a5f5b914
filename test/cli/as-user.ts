import { spawn } from "node:child_process";
import { chmodSync, chownSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Run the CLI (from source, through tsx) in a child process as a user that file permissions apply
 * to: this user, or "nobody" (65534) when the tests run as root, since root ignores permissions.
 * Killed after `timeoutMs` so a CLI that hangs fails the test instead of stalling it.
 */
export const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const asRoot = process.getuid?.() === 0;
const other = 65534;

/**
 * Why the CLI cannot run as that other user here, or null. Run as root, the child needs to enter
 * every folder above the checkout; a checkout inside a folder only its owner may enter (a mkdtemp
 * folder, mode 700) makes tsx and the sources unreachable, and the tests that need another user are
 * skipped with this reason (printed once per file) instead of failing for a reason of the machine.
 */
export const asUserSkipReason: string | null = (() => {
  if (!asRoot) return null;
  for (let d = root; ; d = dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) return `the folder ${d} (mode ${(mode & 0o777).toString(8)}) cannot be entered by other users, so the CLI cannot run as an unprivileged user to test file permissions`;
    if (dirname(d) === d) return null;
  }
})();
if (asUserSkipReason) console.warn(`skipping the tests that run the CLI as another user: ${asUserSkipReason}`);

/** Give a folder to the user the CLI runs as, so it can create files there before we lock it. */
export function handOver(path: string): void {
  if (asRoot) chownSync(path, other, other);
  chmodSync(path, 0o755);
}

export function runCliAs(argv: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/bin.ts"), ...argv], {
      cwd: root,
      env: { PATH: process.env["PATH"] ?? "", HOME: "/tmp", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      ...(asRoot ? { uid: other, gid: other } : {}),
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const t = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 25_000);
    child.on("exit", (code) => {
      clearTimeout(t);
      ok({ code, stdout, stderr, timedOut });
    });
  });
}
