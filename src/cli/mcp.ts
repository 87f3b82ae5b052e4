import { statSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { effectiveRules } from "../config/config.js";
import { Detector } from "../engine/detector.js";
import type { Finding } from "../engine/types.js";
import { UsageError } from "../errors.js";
import { pathMatcher } from "../filters/allowlist.js";
import { readBaseline } from "../filters/baseline.js";
import { readIgnoreFile } from "../filters/ignore-file.js";
import { applyFilters } from "../filters/types.js";
import { buildFilters, DEFAULT_BASELINE_NAME, IGNORE_FILE_NAME, type ScanOutcome } from "../scan.js";
import { analyzeMcpConfig } from "../sources/mcp/analyze.js";
import { discoverMcpConfigs } from "../sources/mcp/discover.js";
import { readFileForScan } from "../sources/read-file.js";
import type { CliIO } from "./io.js";
import { addReportOptions, type ScanCommandOptions } from "./options.js";
import { checkFormat, emitReport, loadCommandConfig } from "./output.js";
import { scanRoot } from "./scan.js";

interface McpCommandOptions extends Omit<ScanCommandOptions, "workers"> {
  home?: string;
  user: boolean;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function registerMcp(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command("mcp")
    .description(
      "find MCP client configs (project level under the paths, user level under the home directory) and report credentials in server env, headers, args, URLs and OAuth settings",
    )
    .argument("[paths...]", "project directories to search, or config files", ["."]);
  addReportOptions(command)
    .option("-c, --config <file>", "configuration file (default: .leakgate.yaml in the first directory)")
    .option("-b, --baseline <file>", "ignore findings listed in this baseline (default: .leakgate-baseline.json if present)")
    .option("--home <dir>", "home directory to search for user-level configs (default: yours)")
    .option("--no-user", "skip user-level configs")
    .option("--max-file-size <size>", "skip configs larger than this (default 25MB)")
    .option("--no-decode", "do not decode base64, hex and percent-encoded text")
    .action(async (paths: string[], options: McpCommandOptions) => {
      checkFormat(options.format);
      const started = performance.now();
      const root = scanRoot(paths, io);
      const config = loadCommandConfig(options, root, io);
      let home: string | undefined;
      if (options.user) {
        home = options.home ? resolve(io.cwd, options.home) : homedir();
        if (options.home && !isDirectory(home)) throw new UsageError(`--home ${options.home}: not a directory`);
      }
      const rules = effectiveRules(config);
      const ignoreFile = readIgnoreFile(join(root, IGNORE_FILE_NAME));
      let baselinePath = options.baseline ? resolve(io.cwd, options.baseline) : undefined;
      if (!baselinePath && isFileWithContent(join(root, DEFAULT_BASELINE_NAME))) baselinePath = join(root, DEFAULT_BASELINE_NAME);
      const baseline = baselinePath ? readBaseline(baselinePath) : undefined;
      const filters = buildFilters(config, { ignoreFingerprints: ignoreFile?.fingerprints, ignorePaths: ignoreFile?.paths, baseline });
      const skipPath = pathMatcher([...config.allowPaths, ...(ignoreFile?.paths ?? [])]);

      const configs = (await discoverMcpConfigs(paths, io.cwd, home)).filter((c) => !skipPath(c.rel));
      const detector = new Detector(rules, { validate: false, decode: options.decode });
      const findings: Finding[] = [];
      const warnings: string[] = [];
      const stats = { files: 0, bytes: 0, skipped: 0, durationMs: 0 };
      for (const entry of configs) {
        const read = readFileForScan(entry.abs, config.maxFileSize);
        if (!read.ok) {
          stats.skipped++;
          warnings.push(`${entry.rel}: skipped, ${read.reason}`);
          continue;
        }
        stats.files++;
        stats.bytes += read.bytes.length;
        const report = analyzeMcpConfig(detector, read.bytes, { path: entry.rel }, entry.client);
        if (report.error) io.stderr(`leakgate: warning: ${entry.rel}: ${report.error}; scanned as plain text\n`);
        warnings.push(`mcp: ${report.client} ${entry.scope} ${entry.rel} (${report.servers} server${report.servers === 1 ? "" : "s"})`);
        for (const f of report.findings) findings.push(f);
      }
      if (configs.length === 0) warnings.push("mcp: no MCP client configs found");
      stats.durationMs = performance.now() - started;
      const outcome: ScanOutcome = {
        findings: applyFilters(findings, filters),
        stats,
        warnings,
        rules,
        baselineUsed: baseline ? baselinePath : undefined,
      };
      setExit(emitReport(outcome, options, io));
    });
}

function isFileWithContent(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}
