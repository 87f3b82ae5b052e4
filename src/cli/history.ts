import type { Command } from "commander";
import { UsageError } from "../errors.js";
import type { HistoryProgress } from "../scan-git.js";
import type { CliIO } from "./io.js";
import { workerCount } from "./options.js";
import { addGitScanOptions, emitGitReport, GIT_HINTS, type GitCommandOptions, gitCommandContext } from "./staged.js";

interface HistoryOptions extends GitCommandOptions {
  all?: boolean;
  progress?: boolean;
}

const MB = 1024 * 1024;

function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** `history 1234/5678 blobs, 120.3/450.0 MB, 2 findings, 95 MB/s, ETA 0:04` */
export function progressLine(p: HistoryProgress): string {
  const rate = p.elapsedMs > 0 ? p.bytes / MB / (p.elapsedMs / 1000) : 0;
  const eta = rate > 0 ? (p.totalBytes - p.bytes) / MB / rate : Number.NaN;
  return (
    `leakgate: history ${p.blobs}/${p.totalBlobs} blobs, ${(p.bytes / MB).toFixed(1)}/${(p.totalBytes / MB).toFixed(1)} MB, ` +
    `${p.findings} finding${p.findings === 1 ? "" : "s"}, ${rate.toFixed(0)} MB/s, ETA ${clock(eta)}`
  );
}

export function registerHistory(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command("history")
    .description(
      "audit a repository's past: every unique blob reachable from the refs (or a range) scanned once, findings attributed to the commit that introduced them",
    )
    .argument("[revisions...]", "revisions or ranges (<base>..<head>) to audit instead of every ref")
    .option("--all", "every ref: branches, tags, remotes, stash (the default)")
    .option("--workers <n>", "worker threads (default: one per core)")
    .option("--progress", "show the progress line even when stderr is not a terminal")
    .option("--no-progress", "never show the progress line");
  addGitScanOptions(command).action(async (revisions: string[], options: HistoryOptions) => {
    if (options.all && revisions.length) throw new UsageError("give either --all or revisions, not both");
    const context = gitCommandContext(options, io);
    const workers = workerCount(options);
    const { resolveRange, resolveRevision, rangeRevArgs } = await import("../sources/git/diff.js");
    const revArgs: string[] = [];
    for (const rev of revisions) {
      if (rev.includes("..")) revArgs.push(...rangeRevArgs(context.root, resolveRange(context.root, rev)));
      else revArgs.push(resolveRevision(context.root, rev));
    }
    if (revArgs.length === 0) revArgs.push("--all");
    const showProgress = options.progress ?? Boolean(process.stderr.isTTY);
    let shown = false;
    const onProgress = showProgress
      ? (p: HistoryProgress) => {
          io.stderr(`\r${progressLine(p)}\x1b[K`);
          shown = true;
        }
      : undefined;
    const { runHistoryScan } = await import("../scan-git.js");
    let outcome: Awaited<ReturnType<typeof runHistoryScan>>;
    try {
      outcome = await runHistoryScan({ ...context, revArgs, workers, onProgress });
    } finally {
      if (shown) io.stderr("\n");
    }
    setExit(emitGitReport(outcome, options, io, GIT_HINTS.history));
  });
}
