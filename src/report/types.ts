import type { Finding, RuleDefinition } from "../engine/types.js";

export interface ScanStats {
  /** Files (or fragments for stdin / structured sources) scanned. */
  files: number;
  bytes: number;
  /** Files skipped (binary, too large, unreadable...). */
  skipped: number;
  durationMs: number;
}

export interface ReportContext {
  findings: Finding[];
  /** Every rule that may appear in `findings`, keyed by id. */
  rules: ReadonlyMap<string, RuleDefinition>;
  stats: ScanStats;
  /** False only when the user passed `--no-redact`. */
  redact: boolean;
  /** Colour the text report (only when writing to a TTY). */
  color: boolean;
  toolVersion: string;
}

/** A reporter turns findings into the text of one output format. */
export type Reporter = (ctx: ReportContext) => string;
