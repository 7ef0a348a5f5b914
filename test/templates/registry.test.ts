import { describe, expect, it } from "vitest";
import { parseReport } from "../../src/pipeline.js";
import { activeRow } from "../../src/templates/common.js";
import { TEMPLATES, detectTemplate } from "../../src/templates/registry.js";
import { TEMPLATE_2021 } from "../../src/templates/template-2021.js";
import type { Template } from "../../src/templates/template.js";
import { consistentValues, renderText } from "../helpers/render-report.js";

describe("templates as data", () => {
  it("detects each format from its own markers", () => {
    expect(detectTemplate("本年制发件数本年废止件数现行有效件数")?.template.id).toBe("2021");
    expect(detectTemplate("本年新制作数量对外公开总数量政府集中采购")?.template.id).toBe("2019");
    expect(detectTemplate("今天天气很好")).toBeNull();
  });

  it("every template's value paths are unique and its identities name only its own paths", () => {
    for (const t of TEMPLATES) {
      const paths = t.tables.flatMap((tb) => tb.rows.flatMap((r) => r.fields));
      expect(new Set(paths).size, t.id).toBe(paths.length);
      const set = new Set(paths);
      for (const id of t.identities) for (const p of [...id.lhs, ...id.rhs]) expect(set.has(p), `${t.id} ${id.id} ${p}`).toBe(true);
    }
  });

  it("a third format is one declaration: no parser change needed", () => {
    // A hypothetical future format: 2021's tables plus a 表二 row 行政确认 and a marker of its own.
    const active = TEMPLATE_2021.tables[0]!;
    const future: Template = {
      ...TEMPLATE_2021,
      id: "2031",
      name: "假想的2031年格式",
      markers: [...TEMPLATE_2021.markers, "本年确认数量"],
      tables: [
        { ...active, rows: [...active.rows, activeRow("confirmation", "行政确认", ["行政确认"], [["decisions", "本年确认数量"]])] },
        ...TEMPLATE_2021.tables.slice(1),
      ],
    };
    // Distinct values everywhere (seeded), and every 表二 value distinct from its neighbours, so a
    // row shifted by the inserted 行政确认 row reads a wrong number instead of an equal one.
    let seed = 2031;
    const pick = (max: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % (max + 1));
    const values = consistentValues("2021", pick, { maxCell: 40 });
    const activePaths = Object.keys(values).filter((k) => k.startsWith("active."));
    activePaths.forEach((k, i) => (values[k] = 101 + i * 7));
    const page = renderText("2021", values, "rows").replace("行政强制 |", "行政确认 | 本年确认数量 |\n行政确认 | 42 |\n行政强制 |");
    const r = parseReport(page, { templates: [...TEMPLATES, future] });
    expect(r.template).toBe("2031");
    expect(r.active["confirmation"]).toEqual({ decisions: 42 });
    const got = (path: string) => {
      const [section, row, col] = path.split(".") as ["active" | "applications" | "reviewLitigation", string, string];
      return r[section][row]?.[col];
    };
    for (const [path, v] of Object.entries(values)) expect(got(path), path).toBe(v);
    expect(new Set(activePaths.map((p) => values[p])).size).toBe(activePaths.length);
  });
});
