import { z } from "zod";
import { HAZARD_FILTERS } from "../../views/hazard-filter.ts";

/** `?hazards=hide|flag|show` on every listing of content (views/hazard-filter.ts). */
export const HazardsQuery = z.object({
  hazards: z
    .enum(HAZARD_FILTERS, { error: `hazards must be one of ${HAZARD_FILTERS.join(", ")}` })
    .default("flag")
    .describe(
      "Content flagged with injection hazards: hide leaves it out, flag (default) includes it with its hazards list, show includes it without the hazards field.",
    ),
});
