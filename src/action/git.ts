/**
 * The git work the action does before scanning: fetch the commits an event names when the checkout
 * lacks them, deepen a shallow clone until a range is complete, and gather the facts `resolveNewRef`
 * decides on. The only network access is `git fetch` from the checkout's own `origin`.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type NewRefFacts, type NewRefTarget, otherBranchRefs, type RangeTarget } from "./plan.js";

export const REMOTE = "origin";
export const FETCH_DEPTH_HINT = "set `fetch-depth: 0` on actions/checkout";
/** Successive `--deepen` steps for a shallow clone (6,250 commits in all) before giving up. */
export const DEEPEN_STEPS = [50, 200, 1000, 5000] as const;

/** History the scan needs is missing and could not be fetched: the message says what to do. */
export class HistoryError extends Error {}

export type Log = (line: string) => void;

interface GitResult {
  status: number;
  stdout: string;
  stderr: string;
}

function git(root: string, args: readonly string[], input?: string): GitResult {
  const r = spawnSync("git", args, {
    cwd: root,
    input,
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
    // Never wait for a password prompt on a runner.
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GCM_INTERACTIVE: "never" },
  });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new Error(code === "ENOENT" ? "git is not installed or not on PATH" : `git ${args[0]} failed: ${r.error.message}`);
  }
  return { status: r.status ?? 128, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

function gitLines(root: string, args: readonly string[], input?: string): string[] {
  const r = git(root, args, input);
  if (r.status !== 0) throw new Error(`git ${args[0]}: ${firstLine(r.stderr) || `exit ${r.status}`}`);
  return r.stdout.split("\n").filter((line) => line !== "");
}

function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "") ?? ""
  ).replace(/^(?:fatal|error):\s*/, "");
}

const short = (s: string) => s.slice(0, 12);

/** The work tree's top-level directory. */
export function repositoryRoot(dir: string): string {
  const r = git(dir, ["rev-parse", "--show-toplevel"]);
  const top = r.stdout.trim();
  if (r.status !== 0 || !top) throw new HistoryError(`${dir} is not a git repository: check out the repository first (actions/checkout)`);
  return top;
}

export function isShallowRepo(root: string): boolean {
  return git(root, ["rev-parse", "--is-shallow-repository"]).stdout.trim() === "true";
}

export function hasCommit(root: string, sha: string): boolean {
  return git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${sha}^{commit}`]).status === 0;
}

/** The commits whose parents a shallow clone lacks. */
function shallowCommits(root: string): Set<string> {
  const path = git(root, ["rev-parse", "--git-path", "shallow"]).stdout.trim();
  try {
    return new Set(readFileSync(resolve(root, path), "utf8").split("\n").filter(Boolean));
  } catch {
    return new Set();
  }
}

/** `git fetch --no-tags --quiet <options> origin <wants>`; true when it worked. */
function fetch(root: string, options: readonly string[], wants: readonly string[], log: Log): boolean {
  const args = ["fetch", "--no-tags", "--quiet", "--no-recurse-submodules", ...options, REMOTE, ...wants];
  log(`git ${args.join(" ")}`);
  const r = git(root, args);
  if (r.status !== 0) log(`  failed: ${firstLine(r.stderr) || `exit ${r.status}`}`);
  return r.status === 0;
}

/**
 * True when every commit between the two tips and their merge bases has its parents here, so that the
 * merge base is the real one and each commit's diff is right. Without a merge base the histories must
 * be complete down to their roots.
 */
export function rangeComplete(root: string, base: string, head: string): boolean {
  if (!isShallowRepo(root)) return true;
  const shallow = shallowCommits(root);
  if (shallow.size === 0) return true;
  const bases = git(root, ["merge-base", "--all", base, head]).stdout.split("\n").filter(Boolean);
  const region = gitLines(root, ["rev-list", "--stdin"], `${[base, head, ...bases.map((b) => `^${b}`)].join("\n")}\n`);
  return !region.some((c) => shallow.has(c));
}

/**
 * Makes `target`'s two commits and the history between them present: fetches missing commits by id
 * (or through `fetchRefs`), then deepens a shallow clone step by step. Returns "base-missing" when the
 * base cannot be had (a force-pushed-away commit); throws a HistoryError otherwise.
 */
export function prepareRange(root: string, target: RangeTarget, log: Log): "ready" | "base-missing" {
  const { base, head } = target;
  const shallow = isShallowRepo(root);
  const depth = shallow ? ["--depth=1"] : [];
  let wants = [base, head];
  const missing = wants.filter((c) => !hasCommit(root, c));
  if (missing.length > 0) {
    const fetched = fetch(root, depth, missing, log);
    if ((!fetched || missing.some((c) => !hasCommit(root, c))) && target.fetchRefs.length > 0) {
      // Fetching by id can be refused (or the id gone); the pull request's refs still name the commits.
      if (fetch(root, depth, target.fetchRefs, log)) wants = target.fetchRefs;
    }
  }
  if (!hasCommit(root, head)) {
    throw new HistoryError(`commit ${head} is not in this checkout and could not be fetched from ${REMOTE}: ${FETCH_DEPTH_HINT}`);
  }
  if (!hasCommit(root, base)) return "base-missing";

  let deepened = 0;
  for (const step of DEEPEN_STEPS) {
    if (rangeComplete(root, base, head)) return "ready";
    if (!fetch(root, [`--deepen=${step}`], wants, log)) break;
    deepened += step;
  }
  if (rangeComplete(root, base, head)) return "ready";
  throw new HistoryError(
    `${short(base)}..${short(head)} needs more history than this shallow clone holds${deepened ? ` (deepened by ${deepened} commits)` : ""}: ${FETCH_DEPTH_HINT}`,
  );
}

/** A history scan reads every commit: a shallow clone is made complete, or the scan refused. */
export function prepareHistory(root: string, log: Log): void {
  if (!isShallowRepo(root)) return;
  if (fetch(root, ["--unshallow"], [], log) && !isShallowRepo(root)) return;
  throw new HistoryError(`a history scan needs the whole history and this clone is shallow: ${FETCH_DEPTH_HINT}`);
}

/** Makes sure a single commit and its parents are here (deepening a shallow clone by one). */
function ensureCommitWithParents(root: string, sha: string, log: Log): void {
  const shallow = isShallowRepo(root);
  if (!hasCommit(root, sha)) fetch(root, shallow ? ["--depth=2"] : [], [sha], log);
  if (!hasCommit(root, sha)) {
    throw new HistoryError(`commit ${sha} is not in this checkout and could not be fetched from ${REMOTE}: ${FETCH_DEPTH_HINT}`);
  }
  if (isShallowRepo(root) && shallowCommits(root).has(sha)) fetch(root, ["--deepen=1"], [sha], log);
  if (isShallowRepo(root) && shallowCommits(root).has(sha)) {
    throw new HistoryError(`the parent of commit ${sha} is not in this shallow clone and could not be fetched: ${FETCH_DEPTH_HINT}`);
  }
}

/** What `resolveNewRef` needs, computed only as far as its strategy goes. */
export function newRefFacts(root: string, target: NewRefTarget, log: Log): NewRefFacts {
  const shallow = isShallowRepo(root);
  const facts: NewRefFacts = { shallow, otherRefs: [] };
  if (!shallow) {
    const remotes = gitLines(root, ["remote"]);
    const refs = gitLines(root, ["for-each-ref", "--format=%(refname)", "refs/remotes/"]);
    facts.otherRefs = otherBranchRefs(refs, remotes, target.branch);
  }
  if (facts.otherRefs.length > 0) {
    ensureCommitWithParents(root, target.head, log);
    const revs = `${[target.head, ...facts.otherRefs.map((r) => `^${r}`)].join("\n")}\n`;
    const listed = gitLines(root, ["rev-list", "--boundary", "--stdin"], revs);
    const boundary = listed.filter((l) => l.startsWith("-")).map((l) => l.slice(1));
    facts.newCommits = listed.length - boundary.length;
    if (facts.newCommits > 0 && boundary.length > 0) {
      const independent = gitLines(root, ["merge-base", "--independent", ...boundary]);
      // Newest first (commit date), so the range starts where the branch most recently forked.
      facts.boundaries = independent.length > 1 ? gitLines(root, ["rev-list", "--no-walk=sorted", ...independent]) : independent;
    } else {
      facts.boundaries = [];
    }
    return facts;
  }
  const first = target.payloadCommits[0];
  if (first) {
    ensureCommitWithParents(root, first, log);
    const [line] = gitLines(root, ["rev-list", "--parents", "-n", "1", first]);
    facts.firstPayloadParent = line?.split(" ")[1] ?? null;
  }
  return facts;
}

/** Commits (merges left out, as `leakgate diff` does) in a range, for the summary. */
export function countCommits(root: string, target: RangeTarget): number | undefined {
  const r = git(root, ["rev-list", "--count", "--no-merges", target.head, `^${target.base}`]);
  const n = Number(r.stdout.trim());
  return r.status === 0 && Number.isInteger(n) ? n : undefined;
}
