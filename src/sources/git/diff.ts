import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { SourceError } from "../../errors.js";
import { COMMIT_FORMAT, type FileChange, PatchParser, parsePatch } from "./diff-parser.js";
import { GIT_CONFIG_ARGS, gitMessage, gitOut, gitRun, isNullSha, isShallow, PATCH_FORMAT_ARGS, resolveCommit } from "./git.js";

/**
 * The `diff` source: the added lines of every commit in a range (what a pull request or a push brings
 * in), each attributed to its commit, so a secret added in one commit and removed in a later one is
 * still reported. `--squash` reads the net diff instead.
 */

export interface ResolvedRange {
  /** What the user wrote. */
  spec: string;
  base: string;
  head: string;
  /** `base...head`: commits since the merge base (and, with --squash, the diff from the merge base). */
  threeDot: boolean;
}

const FETCH_HINT = "fetch the missing history first (`git fetch --unshallow`, or actions/checkout with fetch-depth: 0)";

/** Splits `A..B`, `A...B` or a single `A` (meaning `A..HEAD`). */
export function parseRangeSpec(spec: string): { base: string; head: string; threeDot: boolean } {
  const three = spec.indexOf("...");
  if (three !== -1) return { base: spec.slice(0, three) || "HEAD", head: spec.slice(three + 3) || "HEAD", threeDot: true };
  const two = spec.indexOf("..");
  if (two !== -1) return { base: spec.slice(0, two) || "HEAD", head: spec.slice(two + 2) || "HEAD", threeDot: false };
  return { base: spec, head: "HEAD", threeDot: false };
}

/** A revision as a commit sha, with an error naming it and how to fetch it when it is missing. */
export function resolveRevision(root: string, rev: string, role = "revision", shallow?: boolean): string {
  if (isNullSha(rev)) {
    throw new SourceError(`the ${role} is the all-zero sha (a new or deleted branch): pass a real commit, e.g. origin/main`);
  }
  const sha = resolveCommit(root, rev);
  if (!sha) {
    const isShallowClone = shallow ?? isShallow(root);
    throw new SourceError(`${role} ${rev} is not in this repository${isShallowClone ? " (this is a shallow clone)" : ""}: ${FETCH_HINT}`);
  }
  return sha;
}

/** Resolves both ends to commits, with an error naming the missing one and how to fetch it. */
export function resolveRange(root: string, spec: string): ResolvedRange {
  if (!spec.trim()) throw new SourceError("empty revision range (expected <base>..<head>)");
  const parts = parseRangeSpec(spec);
  const base = resolveRevision(root, parts.base, "base revision");
  const head = resolveRevision(root, parts.head, "head revision");
  return { spec, base, head, threeDot: parts.threeDot };
}

/** The merge base of two commits, with a clear error when the history that holds it is missing. */
export function mergeBase(root: string, a: string, b: string): string {
  const r = gitRun(["merge-base", a, b], root);
  const sha = r.stdout.toString("utf8").trim();
  if (r.status !== 0 || !sha) {
    throw new SourceError(
      `no merge base between ${a.slice(0, 12)} and ${b.slice(0, 12)}${isShallow(root) ? " (this is a shallow clone)" : ""}: ${FETCH_HINT}`,
    );
  }
  return sha;
}

/** `git log` revision arguments for the commits of a resolved range. */
export function rangeRevArgs(root: string, range: ResolvedRange): string[] {
  const base = range.threeDot ? mergeBase(root, range.base, range.head) : range.base;
  return [range.head, `^${base}`];
}

/**
 * In a shallow clone, a commit at the boundary has no parents here, so its diff would show its whole
 * tree as added: refuse, naming it, rather than report every file in the repository.
 */
export function checkShallowBoundary(root: string, revArgs: readonly string[]): void {
  if (!isShallow(root)) return;
  const shallowFile = gitOut(["rev-parse", "--git-path", "shallow"], root).toString("utf8").trim();
  let boundary: Set<string>;
  try {
    boundary = new Set(
      readFileSync(shallowFile.startsWith("/") ? shallowFile : `${root}/${shallowFile}`, "utf8")
        .split("\n")
        .filter(Boolean),
    );
  } catch {
    return;
  }
  if (boundary.size === 0) return;
  const commits = gitOut(["rev-list", "--no-merges", ...revArgs, "--"], root)
    .toString("utf8")
    .split("\n");
  const hit = commits.find((c) => boundary.has(c));
  if (hit) {
    throw new SourceError(
      `commit ${hit} is at the edge of this shallow clone (its parent is missing, so its changes cannot be computed): ${FETCH_HINT}`,
    );
  }
}

/** The `git log` arguments shared by `diff` and `prepush`. */
function logArgs(revArgs: readonly string[]): string[] {
  return [
    ...GIT_CONFIG_ARGS,
    "log",
    "--no-merges",
    "--topo-order",
    "--reverse",
    "--root",
    "--no-notes",
    COMMIT_FORMAT,
    "-p",
    ...PATCH_FORMAT_ARGS,
    "-M",
    "--diff-filter=d",
    ...revArgs,
    "--",
  ];
}

/**
 * Streams `git log -p` over the commits named by `revArgs`, oldest first, calling `onFile` for every
 * changed file of every commit (memory stays at one file's added lines).
 */
export function streamCommitChanges(
  root: string,
  revArgs: readonly string[],
  maxAddedBytes: number,
  onFile: (file: FileChange) => void,
): Promise<{ commits: number }> {
  return new Promise((resolvePromise, reject) => {
    let commits = 0;
    const parser = new PatchParser(onFile, maxAddedBytes, () => {
      commits++;
    });
    const child = spawn("git", logArgs(revArgs), { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let failure: unknown;
    child.stdout.on("data", (chunk: Buffer) => {
      if (failure) return;
      try {
        parser.write(chunk);
      } catch (error) {
        failure = error;
        child.kill();
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString("utf8");
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "ENOENT" ? new SourceError("git is not installed or not on PATH") : error);
    });
    child.on("close", (code) => {
      if (failure) return reject(failure);
      if (code !== 0) return reject(new SourceError(`git log: ${gitMessage(stderr)}`));
      try {
        parser.end();
      } catch (error) {
        return reject(error);
      }
      resolvePromise({ commits });
    });
  });
}

/** The net diff of a range (`--squash`): no commit attribution. */
export function squashedChanges(root: string, range: ResolvedRange, maxAddedBytes: number): FileChange[] {
  const from = range.threeDot ? mergeBase(root, range.base, range.head) : range.base;
  const out = gitOut(["diff", ...PATCH_FORMAT_ARGS, "-M", "--diff-filter=d", from, range.head, "--"], root);
  return parsePatch(out, maxAddedBytes);
}
