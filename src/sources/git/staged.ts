import { spawn } from "node:child_process";
import { SourceError } from "../../errors.js";
import { type FileChange, parsePatch } from "./diff-parser.js";
import { GIT_CONFIG_ARGS, gitMessage, PATCH_FORMAT_ARGS } from "./git.js";

/**
 * The `staged` source: what `git commit` is about to record, as the added lines of
 * `git diff --cached` (index against HEAD; against the empty tree on the first commit, which git
 * does by itself). Partially staged files are judged by their staged content, since the index is
 * what is diffed. Honours `GIT_INDEX_FILE`, which git sets for hooks of `git commit -a` / `<paths>`.
 * Deleted files are left out; renames are detected so a moved file only shows its edited lines.
 *
 * The diff is started asynchronously so that git computes it while the caller loads the config and
 * compiles the rule set (pre-commit latency). Paths are relative to the repository root whatever the
 * working directory (`diff.relative` is pinned off).
 */
export function startStagedDiff(cwd: string): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("git", [...GIT_CONFIG_ARGS, "diff", "--cached", ...PATCH_FORMAT_ARGS, "-M", "--diff-filter=d", "--"], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString("utf8");
    });
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new SourceError("git is not installed or not on PATH") : error),
    );
    child.on("close", (code) => {
      if (code === 0) resolvePromise(Buffer.concat(out));
      else reject(new SourceError(`git diff --cached: ${gitMessage(stderr)}`));
    });
  });
}

/** The staged changes, each file's added lines capped at `maxAddedBytes`. */
export async function stagedChanges(cwd: string, maxAddedBytes: number, pending?: Promise<Buffer>): Promise<FileChange[]> {
  return parsePatch(await (pending ?? startStagedDiff(cwd)), maxAddedBytes);
}
