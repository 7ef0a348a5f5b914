import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { ChildRegistry } from "./compiled-src.js";

describe("ChildRegistry (what kills a test's children when the test ends or times out)", () => {
  // Belt and braces for this test only: if the registry is broken, the child still dies here.
  let hanging: ChildProcess | undefined;
  afterEach(() => void hanging?.kill("SIGKILL"));

  it("kills every child still running, and forgets children that exited", async () => {
    const children = new ChildRegistry();
    const done = children.track(spawn(process.execPath, ["-e", ""], { stdio: "ignore" }));
    await new Promise((ok) => done.once("exit", ok));
    expect(children.size).toBe(0);
    hanging = children.track(spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" }));
    const exited = new Promise<NodeJS.Signals | null>((ok) => hanging!.once("exit", (_code, signal) => ok(signal)));
    expect(children.size).toBe(1);
    children.killAll();
    expect(await exited).toBe("SIGKILL");
    expect(children.size).toBe(0);
  });
});
