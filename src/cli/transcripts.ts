import { statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";
import type { Command } from "commander";
import { effectiveRules } from "../config/config.js";
import { Detector } from "../engine/detector.js";
import type { Finding, RuleDefinition } from "../engine/types.js";
import { UsageError } from "../errors.js";
import { applyFilters } from "../filters/types.js";
import { buildFilters, runScan } from "../scan.js";
import { displayPath } from "../sources/enumerate.js";
import { discoverTranscripts, expandTranscriptPaths, type TranscriptFile } from "../sources/transcripts/discover.js";
import { renderExposure } from "../sources/transcripts/exposure.js";
import { sessionFromPath } from "../sources/transcripts/formats.js";
import { scanTranscriptFile, TranscriptReadError } from "../sources/transcripts/index.js";
import { buildLocation } from "../sources/transcripts/locate.js";
import { parseSince } from "../sources/transcripts/since.js";
import { type CliIO, EXIT_CLEAN, EXIT_FINDINGS } from "./io.js";
import { addReportOptions, workerCount } from "./options.js";
import { checkFormat, emitReport, loadCommandConfig, type ReportOptions } from "./output.js";

interface TranscriptsOptions extends ReportOptions {
  home?: string;
  since?: string;
  list?: boolean;
  config?: string;
  maxFileSize?: string;
  workers?: string;
  decode: boolean;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Transcripts run long (a session file of 100 MB is not rare): a higher default cap than `scan`. */
export const TRANSCRIPT_MAX_FILE_SIZE = 512 * 1024 * 1024;

export function registerTranscripts(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command("transcripts")
    .description(
      "find credentials in AI coding-agent transcripts (Claude Code, Codex, Gemini CLI, Cursor, Cline/Roo, Aider) and report, per secret, every session and tool call where it appeared and whether the agent wrote it into a file, sent it in a tool call or only read it",
    )
    .argument("[paths...]", "transcript files or directories to scan instead of the default locations")
    .option("--home <dir>", "home directory whose agent folders are searched (default: the current user's)")
    .option("--since <when>", "only sessions active since then: 7d, 12h, 30m, 2w, or a date such as 2026-01-31")
    .option("--list", "list the transcript files found, then exit");
  addReportOptions(command)
    .option("-c, --config <file>", "configuration file (default: .leakgate.yaml in the current directory)")
    .option("--max-file-size <size>", "skip transcripts larger than this (default 512MB)")
    .option("--workers <n>", "worker threads (default: one per core)")
    .option("--no-decode", "do not decode base64, hex and percent-encoded text")
    .action(async (paths: string[], options: TranscriptsOptions) => {
      const format = checkFormat(options.format);
      const started = performance.now();
      const config = loadCommandConfig(options, io.cwd, io);
      if (!options.maxFileSize) config.maxFileSize = Math.max(config.maxFileSize, TRANSCRIPT_MAX_FILE_SIZE);
      const since = options.since ? parseSince(options.since) : undefined;

      let files: TranscriptFile[];
      if (paths.length) {
        const expanded = expandTranscriptPaths(paths.map((p) => resolve(io.cwd, p)));
        if (expanded.missing.length)
          throw new UsageError(`no such file or directory: ${displayPath(expanded.missing[0] as string, io.cwd)}`);
        for (const p of expanded.notTranscripts)
          io.stderr(`leakgate: ${displayPath(p, io.cwd)}: not a recognised agent transcript, skipped\n`);
        files = expanded.files;
      } else {
        const home = resolve(io.cwd, options.home ?? homedir());
        if (options.home && !isDirectory(home)) throw new UsageError(`--home ${options.home}: no such directory`);
        files = discoverTranscripts({
          home,
          claudeDir: options.home ? undefined : io.env.CLAUDE_CONFIG_DIR || undefined,
          codexHome: options.home ? undefined : io.env.CODEX_HOME || undefined,
        });
      }
      if (since !== undefined) files = files.filter((f) => f.mtimeMs >= since);

      if (options.list) {
        for (const f of files) io.stdout(`${f.info.agent}\t${f.info.format}\t${displayPath(f.abs, io.cwd)}\n`);
        setExit(EXIT_CLEAN);
        return;
      }

      const rules = effectiveRules(config);
      // Text transcripts go through the scan pipeline (worker pool, structured handlers); compressed
      // rollouts and SQLite databases are read here.
      const textFiles = files.filter((f) => f.info.container !== "sqlite" && !f.info.compressed);
      const binaryFiles = files.filter((f) => f.info.container === "sqlite" || f.info.compressed);
      const outcome = textFiles.length
        ? await runScan({
            paths: textFiles.map((f) => f.abs),
            cwd: io.cwd,
            root: io.cwd,
            config,
            noBaseline: true,
            workers: workerCount(options),
            detectorOptions: { decode: options.decode },
          })
        : { findings: [] as Finding[], stats: { files: 0, bytes: 0, skipped: 0, durationMs: 0 }, warnings: [] as string[], rules };
      const findings = [...outcome.findings];
      const stats = { ...outcome.stats };
      const warnings = [...outcome.warnings];

      if (binaryFiles.length) {
        const detector = new Detector(rules, { validate: false, decode: options.decode });
        const filters = buildFilters(config);
        for (const f of binaryFiles) {
          const rel = displayPath(f.abs, io.cwd);
          try {
            const result = await scanTranscriptFile(detector, f.abs, { path: rel }, f.info, config.maxFileSize);
            stats.files++;
            stats.bytes += result.raw.length;
            const found = result.kind === "sqlite" ? [...result.located, ...result.walFindings] : result.located;
            for (const l of applyFilters(
              found.map((x) => x.finding),
              filters,
            ))
              findings.push(l);
          } catch (error) {
            if (!(error instanceof TranscriptReadError)) throw error;
            stats.skipped++;
            warnings.push(`${rel}: skipped, ${error.message}`);
          }
        }
      }

      // Plain-text agent files carry no location of their own: say which agent and session they belong to.
      const byPath = new Map(files.map((f) => [displayPath(f.abs, io.cwd), f]));
      for (const finding of findings) {
        if (finding.logicalLocation) continue;
        const file = byPath.get(finding.path);
        if (file)
          finding.logicalLocation = buildLocation(
            file.info,
            { session: sessionFromPath(file.abs, file.info), action: "context" },
            undefined,
          );
      }
      const kept =
        since === undefined
          ? findings
          : findings.filter((f) => {
              const ts = f.logicalLocation?.timestamp;
              return typeof ts !== "string" || Date.parse(ts) >= since;
            });
      stats.durationMs = performance.now() - started;

      if (format !== "text") {
        setExit(emitReport({ findings: kept, stats, warnings, rules }, options, io));
        return;
      }
      if (options.verbose) for (const w of warnings) io.stderr(`leakgate: ${w}\n`);
      const text = renderExposure({
        findings: kept,
        rules: new Map<string, RuleDefinition>(rules.map((r) => [r.id, r])),
        stats,
        redact: options.redact,
        color: !options.output && io.stdoutIsTTY && !io.env.NO_COLOR,
        files: files.length,
        since,
      });
      if (options.output) {
        try {
          writeFileSync(resolve(io.cwd, options.output), text);
        } catch (error) {
          throw new UsageError(`cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        }
        if (!options.quiet)
          io.stderr(
            `leakgate: ${kept.length} finding(s) in ${files.length} transcript file(s); exposure report written to ${options.output}\n`,
          );
      } else if (!(options.quiet && kept.length === 0)) io.stdout(text);
      setExit(kept.length > 0 && !options.exitZero ? EXIT_FINDINGS : EXIT_CLEAN);
    });
}
