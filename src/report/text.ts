/** Human-readable terminal report. */
import { Chalk, type ChalkInstance } from "chalk";
import type { Finding, Severity } from "../engine/types.js";
import type { ReportContext, Reporter } from "./types.js";
import { escapeForTerminal, firstLine, formatBytes, plural, present, sortFindings } from "./util.js";

const LABEL_WIDTH = 10;

function severityStyle(c: ChalkInstance, severity: Severity): ChalkInstance {
  switch (severity) {
    case "critical":
      return c.bold.red;
    case "high":
      return c.red;
    case "medium":
      return c.yellow;
    case "low":
      return c.blue;
    default:
      return c.reset;
  }
}

function field(c: ChalkInstance, label: string, value: string): string {
  return `  ${c.dim(`${label}:`.padEnd(LABEL_WIDTH))}${value}`;
}

function renderFinding(c: ChalkInstance, ctx: ReportContext, f: Finding): string {
  const safe = escapeForTerminal;
  const severity = String(f.severity);
  const lines: string[] = [];
  lines.push(
    `${severityStyle(c, f.severity)(severity.toUpperCase().padEnd(9))}${c.bold(safe(f.ruleName))} ${c.dim(`(${safe(f.ruleId)})`)}`,
  );
  lines.push(field(c, "file", c.cyan(`${safe(f.path)}:${f.startLine}:${f.startColumn}`)));
  const shown = ctx.redact === false ? f.secret : f.preview;
  lines.push(field(c, "secret", c.magenta(safe(shown))));
  if (present(f.commit)) lines.push(field(c, "commit", safe(f.commit)));
  if (present(f.author)) lines.push(field(c, "author", safe(f.author)));
  if (present(f.date)) lines.push(field(c, "date", safe(f.date)));
  if (f.logicalLocation && present(f.logicalLocation.fullyQualifiedName)) {
    lines.push(field(c, "location", safe(f.logicalLocation.fullyQualifiedName)));
  }
  const fix = f.logicalLocation?.remediation; // client-specific safe form (MCP configs, .env files)
  if (typeof fix === "string" && fix !== "") lines.push(field(c, "fix", c.green(safe(fix))));
  if (present(f.decodedFrom)) lines.push(field(c, "decoded", safe(f.decodedFrom)));
  const hint = firstLine(ctx.rules.get(f.ruleId)?.remediation);
  if (hint !== "") lines.push(field(c, "hint", c.green(safe(hint))));
  return lines.join("\n");
}

/** `N findings in F files (B scanned, S skipped) in T ms`. */
export function summaryLine(ctx: ReportContext): string {
  const { stats } = ctx;
  const ms = Number.isFinite(stats.durationMs) ? Math.max(0, Math.round(stats.durationMs)) : 0;
  return (
    `${plural(ctx.findings.length, "finding")} in ${plural(stats.files, "file")} ` +
    `(${formatBytes(stats.bytes)} scanned, ${stats.skipped} skipped) in ${ms} ms`
  );
}

export const renderText: Reporter = (ctx) => {
  const c = new Chalk({ level: ctx.color ? 1 : 0 });
  const findings = sortFindings(ctx.findings);
  if (findings.length === 0) {
    return `${c.green("No secrets found.")}\n${c.dim(summaryLine(ctx))}\n`;
  }
  const blocks = findings.map((f) => renderFinding(c, ctx, f));
  const summary = summaryLine(ctx);
  const hasSevere = findings.some((f) => f.severity === "critical" || f.severity === "high");
  return `${blocks.join("\n\n")}\n\n${(hasSevere ? c.bold.red : c.bold.yellow)(summary)}\n`;
};
