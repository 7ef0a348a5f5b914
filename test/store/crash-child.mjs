// Child process of crash.test.ts: ingests every page file in a folder into a database, as
// `nianbao ingest` does, until it is killed. Plain .mjs over a compiled copy of src/ (the test
// compiles it), because the point is a real separate process that dies mid-write.
//
// argv: <compiled src dir> <db path> <pages dir>
// The page format is the record's JSON; anything else is "not a report".
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [distDir, dbPath, pagesDir] = process.argv.slice(2);
const load = (p) => import(pathToFileURL(join(distDir, p)).href);
const { openDb } = await load("store/db.js");
const { collectFiles, ingestInputs } = await load("store/ingest.js");
const { NianbaoError } = await load("errors.js");

const parse = (body) => {
  const text = new TextDecoder().decode(body);
  if (!text.startsWith("{")) throw new NianbaoError("E_NOT_REPORT", "not a test record");
  return JSON.parse(text);
};

const db = openDb(dbPath);
const { files } = collectFiles([pagesDir], "/");
process.stdout.write("ready\n");
let n = 0;
const summary = await ingestInputs(
  db,
  files.map((path) => ({ kind: "file", path })),
  { parse, onOutcome: () => ++n % 10 === 0 && process.stdout.write(`${n}\n`) },
);
db.close();
process.stdout.write(`done ${JSON.stringify({ ...summary, outcomes: undefined })}\n`);
