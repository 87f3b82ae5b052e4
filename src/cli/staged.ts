import { resolve } from "node:path";
import type { Command } from "commander";
import type { ScanOutcome } from "../scan.js";
import { workTreeRoot } from "../sources/git/git.js";
import { startStagedDiff } from "../sources/git/staged.js";
import { type CliIO, EXIT_FINDINGS } from "./io.js";
import { addReportOptions, type ScanCommandOptions } from "./options.js";
import { checkFormat, emitReport, loadCommandConfig } from "./output.js";

/** Options of the git modes: the report options plus config, baseline, size cap and decoding. */
export function addGitScanOptions(command: Command): Command {
  return addReportOptions(command)
    .option("-c, --config <file>", "configuration file (default: .leakgate.yaml at the repository root)")
    .option("-b, --baseline <file>", "ignore findings listed in this baseline (default: .leakgate-baseline.json if present)")
    .option("--max-file-size <size>", "skip a file whose added text (or blob) is larger than this (default 25MB)")
    .option("--no-decode", "do not decode base64, hex and percent-encoded text");
}

export type GitCommandOptions = Omit<ScanCommandOptions, "workers"> & { workers?: string };

/** Root, config and baseline of a git-mode command run from `io.cwd`. */
export function gitCommandContext(options: GitCommandOptions, io: CliIO) {
  checkFormat(options.format);
  const root = workTreeRoot(io.cwd);
  const config = loadCommandConfig(options, root, io);
  return {
    root,
    config,
    baselinePath: options.baseline ? resolve(io.cwd, options.baseline) : undefined,
    detectorOptions: { decode: options.decode },
  };
}

/** What to do about findings, per command (stderr, after the report). */
export const GIT_HINTS = {
  staged:
    "commit blocked: take the secret out of the staged files (and rotate it if it was ever shared), or accept it with a 'leakgate:allow' comment, .leakgateignore or a baseline; skip once with git commit --no-verify",
  prepush:
    "push blocked: a commit being pushed adds a secret, even if a later one removes it: rotate it, then rewrite those commits (git rebase -i) before pushing; skip once with git push --no-verify",
  diff: "secrets were added in this range: rotate them (removing them in a later commit does not un-leak them), or accept them with .leakgateignore or a baseline",
  history:
    "secrets are in the history: rotate them (rewriting history does not un-leak a pushed secret), then accept them with a baseline or .leakgateignore",
} as const;

/** Reports, then explains what to do when there are findings (also with --quiet, which only silences a clean run). */
export function emitGitReport(outcome: ScanOutcome, options: GitCommandOptions, io: CliIO, hint: string): number {
  const code = emitReport(outcome, options, io);
  if (code === EXIT_FINDINGS) io.stderr(`leakgate: ${hint}\n`);
  return code;
}

export function registerStaged(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command("staged")
    .description("scan the lines staged for the next commit (index against HEAD): what the pre-commit hook runs");
  addGitScanOptions(command).action(async (options: GitCommandOptions) => {
    // git computes the diff while the config loads and the rules compile.
    const pendingDiff = startStagedDiff(io.cwd);
    pendingDiff.catch(() => {
      // Reported below, after the clearer "not a git repository" check.
    });
    const context = gitCommandContext(options, io);
    const { runStagedScan } = await import("../scan-git.js");
    setExit(emitGitReport(await runStagedScan({ ...context, pendingDiff }), options, io, GIT_HINTS.staged));
  });
}
