import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, createGzip, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NianbaoError } from "../../src/errors.js";
import { DEFAULT_USER_AGENT, fetchUrl, httpError, parseRetryAfter, type FetchResult } from "../../src/crawl/http.js";

const PAGE = "<html><body><h1>2023年政府信息公开工作年度报告</h1></body></html>";
const MiB = 1024 * 1024;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function serve(routes: Record<string, Handler>): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const handler = routes[path];
    if (handler) return handler(req, res);
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const close = (s: Server): Promise<void> =>
  new Promise((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  });

const portOf = (s: Server): number => (s.address() as AddressInfo).port;

let server: Server;
let other: Server;
let base: string;
let otherBase: string;
let closedPortUrl: string;
/** What the server saw of the endless gzip bomb. */
const endless: { inflated: number; inflatedAtClose: number; closedEarly: boolean | null } = { inflated: 0, inflatedAtClose: 0, closedEarly: null };
const agent = new Agent({ keepAliveTimeout: 10, keepAliveMaxTimeout: 10 });
/** Every test fetch: short budget, local agent. */
const opts = { timeoutMs: 1000, dispatcher: agent } as const;

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
  const html = Buffer.from(PAGE);
  // 64 MiB of zeros squeezes into ~64 KB of gzip: a small download that would eat memory.
  const bomb = gzipSync(Buffer.alloc(64 * MiB));
  const big = Buffer.alloc(2 * MiB, 0x61);
  const routes: Record<string, Handler> = {
    "/ok": (_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html),
    "/echo": (req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(req.headers)),
    "/gzip": (_req, res) => res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(html)),
    "/br": (_req, res) => res.writeHead(200, { "content-encoding": "br" }).end(brotliCompressSync(html)),
    "/deflate": (_req, res) => res.writeHead(200, { "content-encoding": "deflate" }).end(deflateSync(html)),
    "/deflate-raw": (_req, res) => res.writeHead(200, { "content-encoding": "deflate" }).end(deflateRawSync(html)),
    "/bad-gzip": (_req, res) => res.writeHead(200, { "content-encoding": "gzip" }).end(Buffer.from("this is not gzip at all")),
    "/bad-br": (_req, res) => res.writeHead(200, { "content-encoding": "br" }).end(Buffer.from("this is not brotli at all, no")),
    "/cut-gzip": (_req, res) => res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(html).subarray(0, 20)),
    "/bomb": (_req, res) => res.writeHead(200, { "content-encoding": "gzip", "content-length": String(bomb.length) }).end(bomb),
    // An endless gzip stream of zeros: the fetch can only end by closing the connection early.
    "/bomb-endless": (_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip" });
      const gz = createGzip();
      gz.pipe(res);
      const zeros = Buffer.alloc(MiB);
      let open = true;
      res.on("close", () => {
        open = false;
        endless.closedEarly = !res.writableFinished;
        endless.inflatedAtClose = endless.inflated;
        gz.destroy();
      });
      const pump = () => {
        while (open && gz.write(zeros)) endless.inflated += MiB;
        if (open) {
          endless.inflated += MiB;
          gz.once("drain", pump);
        }
      };
      pump();
    },
    "/big": (_req, res) => res.writeHead(200, { "content-length": String(big.length) }).end(big),
    "/big-chunked": (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      for (let i = 0; i < 8; i++) res.write(big.subarray(0, 256 * 1024));
      res.end();
    },
    "/slow": (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const t = setInterval(() => res.write("x"), 50);
      res.on("close", () => clearInterval(t));
    },
    "/hang": () => undefined,
    "/truncated": (req, res) => {
      res.writeHead(200, { "content-length": "1000" });
      res.write(Buffer.alloc(100, 0x62), () => setTimeout(() => req.socket.destroy(), 20));
    },
    "/reset": (req) => req.socket.resetAndDestroy(),
    "/r1": (_req, res) => res.writeHead(302, { location: "/r2" }).end(),
    "/r2": (_req, res) => res.writeHead(301, { location: "r3?x=1" }).end("moved"),
    "/r3": (_req, res) => res.writeHead(307, { location: `${base}/ok` }).end(),
    "/loop": (_req, res) => res.writeHead(302, { location: "/loop" }).end(),
    "/off-host": (_req, res) => res.writeHead(302, { location: `http://localhost:${portOf(server)}/ok` }).end(),
    "/other-port": (_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${portOf(server) === 1 ? 2 : 1}/ok` }).end(),
    "/to-other": (_req, res) => res.writeHead(303, { location: `${otherBase}/echo` }).end(),
    "/to-ftp": (_req, res) => res.writeHead(302, { location: "ftp://127.0.0.1/file" }).end(),
    "/no-location": (_req, res) => res.writeHead(302).end("no location"),
    "/304": (_req, res) => res.writeHead(304, { etag: '"v1"' }).end(),
    "/429": (_req, res) => res.writeHead(429, { "retry-after": "120" }).end("slow down"),
    "/503": (_req, res) =>
      res
        .writeHead(503, { date: "Wed, 21 Oct 2025 07:28:00 GMT", "retry-after": "Wed, 21 Oct 2025 07:29:30 GMT" })
        .end("maintenance"),
    "/500": (_req, res) => res.writeHead(500).end("oops"),
  };
  server = await serve(routes);
  other = await serve({ "/echo": routes["/echo"] });
  base = `http://127.0.0.1:${portOf(server)}`;
  otherBase = `http://127.0.0.1:${portOf(other)}`;
  const closed = await serve({});
  closedPortUrl = `http://127.0.0.1:${portOf(closed)}/`;
  await close(closed);
});

afterAll(async () => {
  await close(server);
  await close(other);
  await agent.close();
});

describe("fetchUrl: bodies", () => {
  it("fetches a 200 page with lower-case headers and metadata", async () => {
    const res = await fetchUrl(`${base}/ok`, opts);
    expect(res.status).toBe(200);
    expect(Buffer.from(res.body).toString()).toBe(PAGE);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res).toMatchObject({ url: `${base}/ok`, finalUrl: `${base}/ok`, redirects: [] });
    expect(Number.isNaN(Date.parse(res.fetchedAt))).toBe(false);
  });

  it("sends the default User-Agent, Accept-Encoding and the caller's headers", async () => {
    const res = await fetchUrl(`${base}/echo`, { ...opts, headers: { "If-None-Match": '"abc"' } });
    const seen = JSON.parse(Buffer.from(res.body).toString()) as Record<string, string>;
    expect(seen["user-agent"]).toBe(DEFAULT_USER_AGENT);
    expect(DEFAULT_USER_AGENT).toMatch(/^nianbao\/\d+\.\d+\.\d+$/);
    expect(seen["accept-encoding"]).toBe("gzip, deflate, br");
    expect(seen["if-none-match"]).toBe('"abc"');
    const custom = await fetchUrl(`${base}/echo`, { ...opts, userAgent: "test-agent/1" });
    expect((JSON.parse(Buffer.from(custom.body).toString()) as Record<string, string>)["user-agent"]).toBe("test-agent/1");
  });

  it.each(["/gzip", "/br", "/deflate", "/deflate-raw"])("decompresses %s", async (path) => {
    const res = await fetchUrl(`${base}${path}`, opts);
    expect(Buffer.from(res.body).toString()).toBe(PAGE);
  });

  it.each([
    ["/bad-gzip", "gzip"],
    ["/cut-gzip", "gzip"],
    ["/bad-br", "br"],
  ])("fails with E_FETCH_NETWORK on a body that does not decompress (%s)", async (path, enc) => {
    const e = await fails(fetchUrl(`${base}${path}`, opts));
    expect(e.code).toBe("E_FETCH_NETWORK");
    expect(e.message).toContain(`does not decompress as ${enc}`);
  });

  it("stops a gzip bomb early with E_FETCH_TOO_LARGE: it closes the connection once maxBytes is passed", async () => {
    const e = await fails(fetchUrl(`${base}/bomb`, { ...opts, maxBytes: MiB }));
    expect(e.code).toBe("E_FETCH_TOO_LARGE");
    expect(e.details).toMatchObject({ maxBytes: MiB });
    // The endless bomb never ends by itself: the fetch finishing with E_FETCH_TOO_LARGE (not a
    // timeout) means the client hung up, and the server saw it hang up with its answer unfinished,
    // after inflating a bounded amount (what the client and the socket buffers took).
    const endlessError = await fails(fetchUrl(`${base}/bomb-endless`, { ...opts, timeoutMs: 5000, maxBytes: MiB }));
    expect(endlessError.code).toBe("E_FETCH_TOO_LARGE");
    for (let i = 0; i < 100 && endless.closedEarly === null; i++) await new Promise((ok) => setTimeout(ok, 20));
    expect(endless.closedEarly).toBe(true);
    expect(endless.inflatedAtClose).toBeLessThan(512 * MiB);
  });

  it("rejects an oversized plain body, by Content-Length and while streaming", async () => {
    expect((await fails(fetchUrl(`${base}/big`, { ...opts, maxBytes: MiB }))).code).toBe("E_FETCH_TOO_LARGE");
    expect((await fails(fetchUrl(`${base}/big-chunked`, { ...opts, maxBytes: MiB }))).code).toBe("E_FETCH_TOO_LARGE");
    const ok = await fetchUrl(`${base}/big`, { ...opts, maxBytes: 2 * MiB });
    expect(ok.body.length).toBe(2 * MiB);
  });
});

describe("fetchUrl: failures", () => {
  it("times out a slow-drip body with E_FETCH_TIMEOUT", async () => {
    const started = Date.now();
    const e = await fails(fetchUrl(`${base}/slow`, { ...opts, timeoutMs: 300 }));
    expect(e.code).toBe("E_FETCH_TIMEOUT");
    expect(e.message).toMatch(/300 ms/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("times out a server that never answers", async () => {
    expect((await fails(fetchUrl(`${base}/hang`, { ...opts, timeoutMs: 300 }))).code).toBe("E_FETCH_TIMEOUT");
  });

  it("reports a truncated body as E_FETCH_NETWORK", async () => {
    const e = await fails(fetchUrl(`${base}/truncated`, opts));
    expect(e.code).toBe("E_FETCH_NETWORK");
    expect(e.message).toMatch(/after 100 of 1000 bytes; the body is truncated/);
    expect(e.details).toMatchObject({ receivedBytes: 100, expectedBytes: 1000 });
  });

  it("reports a connection reset and a refused connection as E_FETCH_NETWORK", async () => {
    expect((await fails(fetchUrl(`${base}/reset`, opts))).code).toBe("E_FETCH_NETWORK");
    const refused = await fails(fetchUrl(closedPortUrl, opts));
    expect(refused.code).toBe("E_FETCH_NETWORK");
    expect(refused.details).toMatchObject({ code: "ECONNREFUSED" });
  });

  it("accepts only http and https URLs", async () => {
    expect((await fails(fetchUrl("ftp://127.0.0.1/x", opts))).code).toBe("E_BAD_ARGS");
    expect((await fails(fetchUrl("file:///etc/passwd", opts))).code).toBe("E_BAD_ARGS");
    expect((await fails(fetchUrl("not a url", opts))).code).toBe("E_BAD_ARGS");
  });

  it("rejects with the caller's abort reason, not a NianbaoError", async () => {
    const ac = new AbortController();
    const reason = new Error("stop");
    setTimeout(() => ac.abort(reason), 50);
    await expect(fetchUrl(`${base}/slow`, { ...opts, signal: ac.signal })).rejects.toBe(reason);
  });
});

describe("fetchUrl: redirects", () => {
  it("follows a chain within the host, resolving relative Locations", async () => {
    const res = await fetchUrl(`${base}/r1`, { ...opts, allowHosts: ["127.0.0.1"] });
    expect(res.status).toBe(200);
    expect(res.finalUrl).toBe(`${base}/ok`);
    expect(res.redirects).toEqual([`${base}/r2`, `${base}/r3?x=1`, `${base}/ok`]);
    expect(Buffer.from(res.body).toString()).toBe(PAGE);
  });

  it("does not follow a redirect off the allowed hosts", async () => {
    const e = await fails(fetchUrl(`${base}/off-host`, { ...opts, allowHosts: ["127.0.0.1"] }));
    expect(e.code).toBe("E_OFF_HOST_REDIRECT");
    expect(e.details["location"]).toBe(`http://localhost:${portOf(server)}/ok`);
  });

  it("an allowed host given with its port allows that port only, as for links", async () => {
    const withPort = [`127.0.0.1:${portOf(server)}`];
    const res = await fetchUrl(`${base}/r1`, { ...opts, allowHosts: withPort });
    expect(res.finalUrl).toBe(`${base}/ok`);
    const e = await fails(fetchUrl(`${base}/other-port`, { ...opts, allowHosts: withPort }));
    expect(e.code).toBe("E_OFF_HOST_REDIRECT");
  });

  it("does not follow a redirect to a non-http scheme", async () => {
    const e = await fails(fetchUrl(`${base}/to-ftp`, opts));
    expect(e.code).toBe("E_OFF_HOST_REDIRECT");
    expect(e.details["location"]).toBe("ftp://127.0.0.1/file");
  });

  it("drops credentials when a redirect leaves the origin", async () => {
    const res = await fetchUrl(`${base}/to-other`, { ...opts, headers: { Cookie: "s=1", "If-None-Match": '"x"' } });
    const seen = JSON.parse(Buffer.from(res.body).toString()) as Record<string, string>;
    expect(res.finalUrl).toBe(`${otherBase}/echo`);
    expect(seen["cookie"]).toBeUndefined();
    expect(seen["if-none-match"]).toBe('"x"');
  });

  it("fails a redirect loop after maxRedirects", async () => {
    const e = await fails(fetchUrl(`${base}/loop`, { ...opts, maxRedirects: 3 }));
    expect(e.code).toBe("E_FETCH_HTTP");
    expect(e.message).toMatch(/more than 3 times/);
    expect(e.details["redirects"]).toHaveLength(3);
  });

  it("returns a redirect without Location as data", async () => {
    const res = await fetchUrl(`${base}/no-location`, opts);
    expect(res.status).toBe(302);
    expect(Buffer.from(res.body).toString()).toBe("no location");
  });
});

describe("fetchUrl: statuses are data", () => {
  it.each([
    ["/304", 304],
    ["/404", 404],
    ["/429", 429],
    ["/500", 500],
  ])("returns %s without throwing", async (path, status) => {
    const res = await fetchUrl(`${base}${path}`, opts);
    expect(res.status).toBe(status);
  });

  it("keeps the body of an error page", async () => {
    const res = await fetchUrl(`${base}/404`, opts);
    expect(Buffer.from(res.body).toString()).toBe("not found");
  });
});

describe("httpError and Retry-After", () => {
  const result = (status: number, headers: Record<string, string> = {}): FetchResult => ({
    url: "http://a.gov.cn/x",
    finalUrl: "http://a.gov.cn/y",
    status,
    headers,
    body: new Uint8Array(0),
    redirects: [],
    fetchedAt: new Date(0).toISOString(),
  });

  it("parses delta-seconds and HTTP-dates", () => {
    const now = Date.parse("Wed, 21 Oct 2025 07:28:00 GMT");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Wed, 21 Oct 2025 07:28:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 21 Oct 2025 07:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("-5", now)).toBeNull();
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it("builds E_FETCH_THROTTLED for 429 with retryAfterMs from a live response", async () => {
    const e = httpError(await fetchUrl(`${base}/429`, opts));
    expect(e.code).toBe("E_FETCH_THROTTLED");
    expect(e.group).toBe("throttled");
    expect(e.details).toMatchObject({ status: 429, retryAfterMs: 120_000 });
    expect(e.message).toMatch(/wait 120 s/);
  });

  it("measures an HTTP-date Retry-After against the response's Date header", async () => {
    const e = httpError(await fetchUrl(`${base}/503`, opts));
    expect(e.code).toBe("E_FETCH_THROTTLED");
    expect(e.details["retryAfterMs"]).toBe(90_000);
  });

  it("gives retryAfterMs null when a 429 has no usable Retry-After", () => {
    expect(httpError(result(429)).details["retryAfterMs"]).toBeNull();
  });

  it("builds E_FETCH_HTTP for other statuses", () => {
    const e = httpError(result(404));
    expect(e.code).toBe("E_FETCH_HTTP");
    expect(e.message).toBe("http://a.gov.cn/y answered 404 Not Found; check the URL");
    expect(e.details).toEqual({ url: "http://a.gov.cn/x", finalUrl: "http://a.gov.cn/y", status: 404 });
    expect(httpError(result(500)).message).toMatch(/retry later/);
  });
});
