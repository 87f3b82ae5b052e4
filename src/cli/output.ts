import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadConfig } from "../config/config.js";
import { parseSize } from "../config/size.js";
import type { RuleDefinition } from "../engine/types.js";
import { UsageError } from "../errors.js";
import { isReportFormat, type ReportFormat, reporters } from "../report/index.js";
import type { ScanOutcome } from "../scan.js";
import { type CliIO, EXIT_CLEAN, EXIT_FINDINGS } from "./io.js";
import { toolVersion } from "./version.js";

/** Options shared by every scanning command. */
export interface ReportOptions {
  format: string;
  output?: string;
  redact: boolean;
  exitZero?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

export function checkFormat(format: string): ReportFormat {
  if (!isReportFormat(format)) throw new UsageError(`unknown --format "${format}" (use text, json or sarif)`);
  return format;
}

export function loadCommandConfig(options: { config?: string; maxFileSize?: string }, root: string, io: CliIO) {
  const config = loadConfig(options.config ? resolve(io.cwd, options.config) : undefined, root);
  if (options.maxFileSize) config.maxFileSize = parseSize(options.maxFileSize, "--max-file-size");
  return config;
}

/** Renders the outcome, writes it to stdout or --output, prints warnings, and returns the exit code. */
export function emitReport(outcome: ScanOutcome, options: ReportOptions, io: CliIO): number {
  const format = checkFormat(options.format);
  if (options.verbose) for (const w of outcome.warnings) io.stderr(`leakgate: ${w}\n`);
  if (options.verbose && outcome.baselineUsed) io.stderr(`leakgate: baseline ${outcome.baselineUsed}\n`);
  const rules = new Map<string, RuleDefinition>(outcome.rules.map((r) => [r.id, r]));
  const toFile = Boolean(options.output);
  const text = reporters[format]({
    findings: outcome.findings,
    rules,
    stats: outcome.stats,
    redact: options.redact,
    color: format === "text" && !toFile && io.stdoutIsTTY && !io.env.NO_COLOR,
    toolVersion: toolVersion(),
  });
  if (options.output) {
    const target = resolve(io.cwd, options.output);
    try {
      writeFileSync(target, text);
    } catch (error) {
      throw new UsageError(`cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (!options.quiet) {
      io.stderr(
        `leakgate: ${outcome.findings.length} finding(s) in ${outcome.stats.files} file(s); ${format} report written to ${options.output}\n`,
      );
    }
  } else if (!(options.quiet && format === "text" && outcome.findings.length === 0)) {
    io.stdout(text);
  }
  return outcome.findings.length > 0 && !options.exitZero ? EXIT_FINDINGS : EXIT_CLEAN;
}
