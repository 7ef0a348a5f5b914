/** Keep the docs honest: every command has help text and a README section; every error code is documented. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands/index.js";
import { ERROR_CODES } from "../../src/errors.js";
import { runCli } from "./io.js";

const README = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");

describe("docs", () => {
  for (const mod of COMMANDS) {
    it(`${mod.name}: has --help and a README section`, async () => {
      const r = await runCli([mod.name, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout.replace(/\s+/g, " ")).toContain(mod.summary);
      expect(r.stdout).toContain("Example:");
      expect(README).toMatch(new RegExp(`### \`nianbao ${mod.name}`));
    });
  }

  it("lists every command in the top-level help", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const mod of COMMANDS) expect(r.stdout).toContain(mod.name);
  });

  it("documents every issue code the parser can emit", () => {
    const src = join(import.meta.dirname, "..", "..", "src");
    const files = readdirSync(src, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith(".ts"));
    const codes = new Set<string>();
    for (const f of files) for (const m of readFileSync(join(f.parentPath, f.name), "utf8").matchAll(/code: "([a-z]+\.[a-z_.]+)"/g)) codes.add(m[1]!);
    expect(codes.size).toBeGreaterThan(15);
    for (const c of codes) expect(README, c).toContain(`\`${c}\``);
  });

  it("documents every error code", () => {
    for (const code of Object.keys(ERROR_CODES)) expect(README, code).toContain(`\`${code}\``);
  });
});

describe("the repo stands alone", () => {
  it("README and command help never point outside the repository", async () => {
    expect(README).not.toMatch(/\.\.\/shared|shared\/spec|shared\/corpus/);
    for (const mod of COMMANDS) {
      const r = await runCli([mod.name, "--help"]);
      expect(r.stdout, mod.name).not.toMatch(/\.\.\/shared/);
    }
  });

  it("links only to files that exist in the repository", () => {
    const root = join(import.meta.dirname, "..", "..");
    for (const m of README.matchAll(/\]\(((?!https?:|#)[^)\s]+)\)/g)) {
      const target = (m[1] as string).split("#")[0] as string;
      expect(existsSync(join(root, target)), target).toBe(true);
    }
  });
});
