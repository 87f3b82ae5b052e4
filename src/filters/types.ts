import type { Finding } from "../engine/types.js";

/** One small post-processing step: true keeps the finding. */
export type FindingFilter = (finding: Finding) => boolean;

export function applyFilters(findings: Finding[], filters: readonly FindingFilter[]): Finding[] {
  return findings.filter((f) => filters.every((keep) => keep(f)));
}
