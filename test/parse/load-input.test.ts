import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NianbaoError } from "../../src/errors.js";
import { loadInput } from "../../src/parse/load-input.js";

const PAGE = iconv.encode("<html><body>2023年政府信息公开工作年度报告</body></html>", "gb18030");
const noStdin = { stdin: Readable.from([]) };

let dir: string;
let server: Server;
let base: string;

async function fails(p: Promise<unknown>): Promise<NianbaoError> {
  const e = await p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(NianbaoError);
  return e as NianbaoError;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nianbao-load-"));
  await writeFile(join(dir, "report.html"), PAGE);
  await writeFile(join(dir, "big.html"), Buffer.alloc(2048, 0x61));
  server = createServer((req, res) => {
    if (req.url === "/report") res.writeHead(200, { "content-type": "text/html; charset=gbk" }).end(PAGE);
    else if (req.url === "/old") res.writeHead(301, { location: "/report" }).end();
    else if (req.url === "/busy") res.writeHead(429, { "retry-after": "5" }).end();
    else res.writeHead(404).end("gone");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe("loadInput: files", () => {
  it("reads a file's bytes unchanged", async () => {
    const out = await loadInput(join(dir, "report.html"), noStdin);
    expect(Buffer.from(out.bytes).equals(PAGE)).toBe(true);
    expect(out).toMatchObject({ contentType: null, sourceUrl: null });
  });

  it("reads a file: URL", async () => {
    const out = await loadInput(pathToFileURL(join(dir, "report.html")).href, noStdin);
    expect(Buffer.from(out.bytes).equals(PAGE)).toBe(true);
  });

  it("fails with E_FILE_NOT_FOUND naming the path", async () => {
    const missing = join(dir, "nope.html");
    const e = await fails(loadInput(missing, noStdin));
    expect(e.code).toBe("E_FILE_NOT_FOUND");
    expect(e.message).toContain(missing);
    expect(e.details).toEqual({ path: missing });
  });

  it("fails with E_BAD_ARGS for a directory", async () => {
    expect((await fails(loadInput(dir, noStdin))).code).toBe("E_BAD_ARGS");
  });

  it("fails with E_INPUT_TOO_LARGE for a file over maxBytes", async () => {
    const e = await fails(loadInput(join(dir, "big.html"), noStdin, { maxBytes: 1024 }));
    expect(e.code).toBe("E_INPUT_TOO_LARGE");
    expect(e.details).toMatchObject({ size: 2048, maxBytes: 1024 });
    expect((await loadInput(join(dir, "big.html"), noStdin, { maxBytes: 2048 })).bytes.length).toBe(2048);
  });

  it("rejects URL schemes it cannot read", async () => {
    expect((await fails(loadInput("ftp://example.org/x.html", noStdin))).code).toBe("E_BAD_ARGS");
  });
});

describe("loadInput: stdin", () => {
  it("reads - from stdin, Buffer and string chunks alike", async () => {
    const out = await loadInput("-", { stdin: Readable.from([PAGE.subarray(0, 10), PAGE.subarray(10)]) });
    expect(Buffer.from(out.bytes).equals(PAGE)).toBe(true);
    expect(out).toMatchObject({ contentType: null, sourceUrl: null });
    const text = await loadInput("-", { stdin: Readable.from(["年度", "报告"]) });
    expect(Buffer.from(text.bytes).toString("utf8")).toBe("年度报告");
  });

  it("reads empty stdin as empty bytes", async () => {
    expect((await loadInput("-", noStdin)).bytes.length).toBe(0);
  });

  it("fails with E_INPUT_TOO_LARGE when stdin passes maxBytes", async () => {
    const chunks = Array.from({ length: 10 }, () => Buffer.alloc(512));
    const e = await fails(loadInput("-", { stdin: Readable.from(chunks) }, { maxBytes: 2000 }));
    expect(e.code).toBe("E_INPUT_TOO_LARGE");
  });
});

describe("loadInput: URLs", () => {
  it("fetches a URL, keeping its Content-Type and final URL", async () => {
    const out = await loadInput(`${base}/old`, noStdin, { timeoutMs: 1000 });
    expect(Buffer.from(out.bytes).equals(PAGE)).toBe(true);
    expect(out.contentType).toBe("text/html; charset=gbk");
    expect(out.sourceUrl).toBe(`${base}/report`);
  });

  it("throws the HTTP error for a non-2xx answer", async () => {
    const e = await fails(loadInput(`${base}/missing`, noStdin, { timeoutMs: 1000 }));
    expect(e.code).toBe("E_FETCH_HTTP");
    expect(e.details).toMatchObject({ status: 404 });
    const busy = await fails(loadInput(`${base}/busy`, noStdin, { timeoutMs: 1000 }));
    expect(busy.code).toBe("E_FETCH_THROTTLED");
    expect(busy.details).toMatchObject({ retryAfterMs: 5000 });
  });
});
