import { type FileChange, parsePatch } from "./diff-parser.js";
import { gitRun, gitMessage, PATCH_FORMAT_ARGS } from "./git.js";
import { SourceError } from "../../errors.js";

/**
 * The `staged` source: what `git commit` is about to record, as the added lines of
 * `git diff --cached` (index against HEAD; against the empty tree on the first commit, which git
 * does by itself). Partially staged files are judged by their staged content, since the index is
 * what is diffed. Honours `GIT_INDEX_FILE`, which git sets for hooks of `git commit -a` / `<paths>`.
 * Deleted files are left out; renames are detected so a moved file only shows its edited lines.
 */
export function stagedChanges(root: string, maxAddedBytes: number): FileChange[] {
  const r = gitRun(["diff", "--cached", ...PATCH_FORMAT_ARGS, "-M", "--diff-filter=d", "--"], root);
  if (r.status !== 0) throw new SourceError(`git diff --cached: ${gitMessage(r.stderr)}`);
  return parsePatch(r.stdout, maxAddedBytes);
}
