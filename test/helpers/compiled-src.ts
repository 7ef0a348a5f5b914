import { type ChildProcess, execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Compile src/ with the project's tsc into a folder of this test process's own, for tests that run
 * the code in a real separate process. Never `npm run build`: that writes dist/ in the working tree
 * and races with another test or a build. The folder is under node_modules/.cache so the compiled
 * code resolves the project's dependencies; `remove()` deletes it.
 */
export function compileSrc(name: string): { dir: string; remove: () => void } {
  const dir = join(root, "node_modules/.cache", `nianbao-${name}-${process.pid}`);
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json"), "--outDir", dir, "--declaration", "false", "--sourceMap", "false"], {
    cwd: root,
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Children a test file spawned and that have not exited. Call `killAll()` in afterEach/afterAll:
 * hooks run even when a test times out, so a child never outlives the test that started it.
 */
export class ChildRegistry {
  private readonly live = new Set<ChildProcess>();

  track<T extends ChildProcess>(child: T): T {
    this.live.add(child);
    child.once("exit", () => this.live.delete(child));
    return child;
  }

  get size(): number {
    return this.live.size;
  }

  killAll(): void {
    for (const c of this.live) c.kill("SIGKILL");
    this.live.clear();
  }
}
