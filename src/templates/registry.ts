import { TEMPLATE_2019 } from "./template-2019.js";
import { TEMPLATE_2021 } from "./template-2021.js";
import type { Template } from "./template.js";

/** Every known format. A new national format is one more declaration file added here. */
export const TEMPLATES: readonly Template[] = [TEMPLATE_2019, TEMPLATE_2021];

export interface Detection {
  template: Template;
  /** Marker hits per template id. */
  scores: Record<string, number>;
  /** True when another template's markers were found too. */
  mixed: boolean;
}

/**
 * Pick the template whose markers occur most often in the normalised text. Returns null when no
 * marker of any template occurs.
 */
export function detectTemplate(normText: string, templates: readonly Template[] = TEMPLATES): Detection | null {
  const scores: Record<string, number> = {};
  let best: Template | null = null;
  let bestScore = 0;
  for (const t of templates) {
    let score = 0;
    for (const m of t.markers) if (normText.includes(m)) score++;
    scores[t.id] = score;
    if (score > bestScore) {
      best = t;
      bestScore = score;
    }
  }
  if (!best) return null;
  const mixed = Object.entries(scores).some(([id, s]) => id !== best!.id && s > 0);
  return { template: best, scores, mixed };
}
