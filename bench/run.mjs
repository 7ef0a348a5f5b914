// Runs every bench/*.bench.mjs against the built library (dist/) and prints their results.
// Each bench module exports `name` and `async run()` returning lines of text.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here).filter((f) => f.endsWith(".bench.mjs")).sort();
for (const f of files) {
  const mod = await import(pathToFileURL(join(here, f)).href);
  if (only.length && !only.some((o) => f.includes(o))) continue;
  console.log(`\n## ${mod.name ?? f}`);
  const lines = await mod.run();
  for (const line of lines) console.log(line);
}
