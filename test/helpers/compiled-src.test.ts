import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ChildRegistry } from "./compiled-src.js";

describe("ChildRegistry (what kills a test's children when the test ends or times out)", () => {
  it("kills every child still running, and forgets children that exited", async () => {
    const children = new ChildRegistry();
    const done = children.track(spawn(process.execPath, ["-e", ""], { stdio: "ignore" }));
    await new Promise((ok) => done.once("exit", ok));
    expect(children.size).toBe(0);
    const hanging = children.track(spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" }));
    const exited = new Promise<NodeJS.Signals | null>((ok) => hanging.once("exit", (_code, signal) => ok(signal)));
    expect(children.size).toBe(1);
    children.killAll();
    expect(await exited).toBe("SIGKILL");
    expect(children.size).toBe(0);
  });
});
