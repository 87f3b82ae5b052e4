/** Machine-readable JSON report (`--format json`). */
import type { Finding, LogicalLocation, Severity } from "../engine/types.js";
import type { ReportContext, Reporter } from "./types.js";
import { present, round2, sortFindings } from "./util.js";

export const JSON_REPORT_VERSION = 1;

/** One finding as written to the JSON report. Key order is part of the format. */
export interface JsonFinding {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  path: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  preview: string;
  secretSha256: string;
  fingerprint: string;
  entropy: number;
  decodedFrom?: string;
  commit?: string;
  author?: string;
  date?: string;
  logicalLocation?: LogicalLocation;
  /** Only with `--no-redact`. */
  secret?: string;
}

export interface JsonReport {
  version: typeof JSON_REPORT_VERSION;
  tool: { name: string; version: string };
  findings: JsonFinding[];
  stats: { files: number; bytes: number; skipped: number; durationMs: number };
}

function toJsonFinding(f: Finding, redact: boolean): JsonFinding {
  // Built field by field (never spread) so that `lineText`, `secret` and any
  // future internal field cannot leak into the report by accident.
  const out: JsonFinding = {
    ruleId: f.ruleId,
    ruleName: f.ruleName,
    severity: f.severity,
    path: f.path,
    startLine: f.startLine,
    startColumn: f.startColumn,
    endLine: f.endLine,
    endColumn: f.endColumn,
    preview: f.preview,
    secretSha256: f.secretSha256,
    fingerprint: f.fingerprint,
    entropy: round2(f.entropy),
  };
  if (present(f.decodedFrom)) out.decodedFrom = f.decodedFrom;
  if (present(f.commit)) out.commit = f.commit;
  if (present(f.author)) out.author = f.author;
  if (present(f.date)) out.date = f.date;
  if (f.logicalLocation) out.logicalLocation = { ...f.logicalLocation };
  if (!redact) out.secret = f.secret;
  return out;
}

export function buildJsonReport(ctx: ReportContext): JsonReport {
  const redact = ctx.redact !== false;
  return {
    version: JSON_REPORT_VERSION,
    tool: { name: "leakgate", version: ctx.toolVersion },
    findings: sortFindings(ctx.findings).map((f) => toJsonFinding(f, redact)),
    stats: {
      files: ctx.stats.files,
      bytes: ctx.stats.bytes,
      skipped: ctx.stats.skipped,
      durationMs: Number.isFinite(ctx.stats.durationMs) ? Math.round(ctx.stats.durationMs) : 0,
    },
  };
}

export const renderJson: Reporter = (ctx) => `${JSON.stringify(buildJsonReport(ctx), null, 2)}\n`;
