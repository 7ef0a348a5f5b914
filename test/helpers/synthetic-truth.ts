import { join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * What the synthetic portal's reports say, worked out from how they are made — the sample portal's
 * generator (fixtures/portal/report-template.mjs) and src/crawl/synthetic-portal.ts — never from
 * the parser. Report i (0-based) is 合成市第{i+1}局, listed as year 2019 + i % 5, and its page is
 * the sample TRS report TEMPLATES[i % 3] with the agency replaced everywhere but only the first
 * "20xx年" replaced: the statistical period in the body keeps the template's year.
 */
const TEMPLATES = [
  // [template, statistical year, generator seed] of the sample TRS pages the synthetic portal copies (generate.mjs).
  { template: "2021", periodYear: 2023, seed: 11 },
  { template: "2019", periodYear: 2020, seed: 14 },
  { template: "2021", periodYear: 2021, seed: 13 },
] as const;

export interface SyntheticReportTruth {
  agency: string;
  listedYear: number;
  /** The year the page's statistical period states (what a record must say). */
  periodYear: number;
  template: "2019" | "2021";
  /** Path of the report page on the portal. */
  path: string;
  title: string;
  /** 表三 rows as the generator printed them: 7 columns, the last is 总计. */
  newReceived: number[];
  carriedForward: number[];
}

type Cell = [string, number?, number?];
interface Generator {
  rng(seed: number): () => number;
  reportGrids(template: string, r: () => number): { t3: Cell[][] };
}

let gen: Promise<Generator> | undefined;
function generator(): Promise<Generator> {
  gen ??= import(pathToFileURL(join(import.meta.dirname, "..", "..", "fixtures", "portal", "report-template.mjs")).href) as Promise<Generator>;
  return gen;
}

export async function syntheticTruth(count: number): Promise<SyntheticReportTruth[]> {
  const g = await generator();
  const out: SyntheticReportTruth[] = [];
  for (let i = 0; i < count; i++) {
    const t = TEMPLATES[i % TEMPLATES.length]!;
    const { t3 } = g.reportGrids(t.template, g.rng(t.seed));
    const numbers = (row: Cell[]) => row.slice(1).map((c) => Number(c[0]));
    const agency = `合成市第${i + 1}局`;
    const listedYear = 2019 + (i % 5);
    out.push({
      agency,
      listedYear,
      periodYear: t.periodYear,
      template: t.template,
      path: `/zfxxgk/zfxxgknb/${listedYear + 1}01/t${listedYear + 1}0120_${i + 1}.html`,
      title: `${agency}${listedYear}年政府信息公开工作年度报告`,
      newReceived: numbers(t3[3]!),
      carriedForward: numbers(t3[t3.length - 1]!),
    });
  }
  return out;
}
