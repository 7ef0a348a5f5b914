import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { NianbaoError } from "../errors.js";

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), { message: "must be an http(s) URL" });

/** One portal to crawl. `start` is a home page or a report list page. */
export const SourceSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "must be letters, digits, '.', '_' or '-'"),
    name: z.string().min(1).optional(),
    region: z.string().optional(),
    start: z.array(httpUrl).min(1),
    /** Hosts (host or host:port) the crawler may fetch; default: the hosts of `start`. */
    allowHosts: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const SourcesFileSchema = z
  .object({ sources: z.array(SourceSchema).min(1) })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.sources.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: "custom", path: ["sources", i, "id"], message: `duplicate id "${s.id}"` });
      seen.add(s.id);
    });
  });

export type SourceInput = z.input<typeof SourceSchema>;
export type SourcesFile = z.output<typeof SourcesFileSchema>;

/** A source with its defaults filled in. */
export interface Source {
  id: string;
  name: string;
  region: string | null;
  start: string[];
  allowHosts: string[];
}

/** Validate a parsed sources document; throws E_BAD_SOURCES with a one-line message naming the field. */
export function parseSources(doc: unknown, origin = "sources file"): Source[] {
  const r = SourcesFileSchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.length ? issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "") : "(top level)";
    throw new NianbaoError("E_BAD_SOURCES", `${origin}: ${path}: ${issue.message}`, { path: issue.path, origin });
  }
  return r.data.sources.map((s) => ({
    id: s.id,
    name: s.name ?? s.id,
    region: s.region ?? null,
    start: s.start,
    allowHosts: (s.allowHosts ?? s.start.map((u) => new URL(u).host)).map((h) => h.toLowerCase()),
  }));
}

/** Read and validate a sources file. */
export function loadSources(path: string): Source[] {
  let text: string;
  try {
    // Editors on Windows save UTF-8 with a byte-order mark; JSON.parse refuses it.
    text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  } catch (cause) {
    throw new NianbaoError("E_BAD_SOURCES", `cannot read sources file ${path}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message} (pass --sources <file>)`, { path }, { cause });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new NianbaoError("E_BAD_SOURCES", `${path}: not valid JSON: ${(cause as Error).message}`, { path }, { cause });
  }
  return parseSources(doc, path);
}

/** One machine's share of the sources: shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Parse `k/N` (1 ≤ k ≤ N), as `crawl --shard` takes it. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new NianbaoError("E_BAD_ARGS", `--shard must be k/N with 1 ≤ k ≤ N (e.g. 2/4), got ${JSON.stringify(text)}`);
  }
  return { index, count };
}

/**
 * The shard a source belongs to (1-based): a stable hash of its id, so the same sources file gives
 * every machine the same split, and adding or removing a source moves no other source.
 */
export function shardOf(sourceId: string, count: number): number {
  const h = createHash("sha256").update(sourceId).digest();
  return (h.readUInt32BE(0) % count) + 1;
}

/** The sources of one shard. */
export function sourcesOfShard(sources: readonly Source[], shard: Shard): Source[] {
  return sources.filter((s) => shardOf(s.id, shard.count) === shard.index);
}
