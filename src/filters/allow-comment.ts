import type { FindingFilter } from "./types.js";

/**
 * Inline suppression on the finding's line: our own `leakgate:allow`, plus the spellings users
 * already have from gitleaks (`gitleaks:allow`) and detect-secrets (`pragma: allowlist secret`).
 */
const ALLOW_COMMENT = /\bleakgate:allow\b|\bgitleaks:allow\b|\bpragma:\s*allowlist[ -]secret\b/i;

export function hasAllowComment(line: string): boolean {
  return ALLOW_COMMENT.test(line);
}

export const allowCommentFilter: FindingFilter = (finding) => !hasAllowComment(finding.lineText);
