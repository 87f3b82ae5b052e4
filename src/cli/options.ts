import { type Command, Option } from "commander";
import { UsageError } from "../errors.js";
import type { ReportOptions } from "./output.js";

export interface ScanCommandOptions extends ReportOptions {
  config?: string;
  baseline?: string;
  maxFileSize?: string;
  workers?: string;
  decode: boolean;
}

export function addReportOptions(command: Command): Command {
  return command
    .addOption(new Option("-f, --format <format>", "report format").choices(["text", "json", "sarif"]).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("--no-redact", "print secrets in full (the only way to see one; keep such output private)")
    .option("--exit-zero", "exit 0 even when findings remain")
    .option("-v, --verbose", "list skipped files and other warnings")
    .option("-q, --quiet", "print nothing when there are no findings");
}

export function addScanOptions(command: Command): Command {
  return command
    .option("-c, --config <file>", "configuration file (default: .leakgate.yaml in the scan root)")
    .option("-b, --baseline <file>", "ignore findings listed in this baseline (default: .leakgate-baseline.json if present)")
    .option("--max-file-size <size>", "skip files larger than this (default 25MB)")
    .option("--workers <n>", "worker threads (default: one per core)")
    .option("--no-decode", "do not decode base64, hex and percent-encoded text");
}

export function workerCount(options: { workers?: string }): number | undefined {
  if (options.workers === undefined) return undefined;
  const n = Number(options.workers);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new UsageError(`--workers must be a whole number from 1 to 256, got "${options.workers}"`);
  return n;
}
