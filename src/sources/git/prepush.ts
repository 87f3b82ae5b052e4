import { isNullSha, resolveCommit } from "./git.js";

/**
 * The `prepush` source: git's pre-push hook gets one line per ref on stdin,
 * `<local ref> <local sha> <remote ref> <remote sha>`. What is about to be pushed is every commit
 * reachable from the local shas that the remote does not have yet:
 *
 * - an update: `<remote sha>..<local sha>`;
 * - a new branch (remote sha all zeros): the commits that are on no remote-tracking ref;
 * - a deletion (local sha all zeros): nothing to scan.
 *
 * All of it goes to one `git log` as `<local shas> ^<remote shas> --not --remotes`: a commit some
 * remote already has was published (and scanned) before.
 */

export interface PushUpdate {
  localRef: string;
  localSha: string;
  remoteRef: string;
  remoteSha: string;
}

export function parsePushLines(text: string): PushUpdate[] {
  const updates: PushUpdate[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const parts = raw.trim().split(/\s+/);
    if (parts.length !== 4) continue;
    const [localRef, localSha, remoteRef, remoteSha] = parts as [string, string, string, string];
    if (!/^[0-9a-f]{40,64}$/i.test(localSha) || !/^[0-9a-f]{40,64}$/i.test(remoteSha)) continue;
    updates.push({ localRef, localSha, remoteRef, remoteSha });
  }
  return updates;
}

/**
 * `git log` revision arguments for the pushed commits, or undefined when nothing is pushed (only
 * deletions, or no input).
 */
export function pushRevArgs(root: string, updates: readonly PushUpdate[]): string[] | undefined {
  const positives = new Set<string>();
  const negatives = new Set<string>();
  for (const u of updates) {
    if (isNullSha(u.localSha)) continue;
    // A tag pointing at a tree or blob pushes no commit.
    const local = resolveCommit(root, u.localSha);
    if (!local) continue;
    positives.add(local);
    // A remote sha we do not have (someone else pushed since our last fetch) cannot be excluded by
    // name; `--not --remotes` still excludes what we know the remote has.
    if (!isNullSha(u.remoteSha) && resolveCommit(root, u.remoteSha)) negatives.add(u.remoteSha);
  }
  if (positives.size === 0) return undefined;
  return [...positives, ...[...negatives].map((s) => `^${s}`), "--not", "--remotes"];
}

/**
 * The pre-commit framework consumes the pre-push stdin itself and passes the range in the
 * environment instead: `PRE_COMMIT_FROM_REF` / `PRE_COMMIT_TO_REF` (older releases:
 * `PRE_COMMIT_SOURCE` / `PRE_COMMIT_ORIGIN`), or, when the push reaches a root commit, only
 * `PRE_COMMIT_LOCAL_BRANCH` (scan what no remote has).
 */
export function preCommitFrameworkRevArgs(env: NodeJS.ProcessEnv): string[] | undefined {
  const from = env.PRE_COMMIT_FROM_REF ?? env.PRE_COMMIT_SOURCE;
  const to = env.PRE_COMMIT_TO_REF ?? env.PRE_COMMIT_ORIGIN;
  if (from && to) return [to, `^${from}`];
  const local = env.PRE_COMMIT_LOCAL_BRANCH;
  if (local) return [local, "--not", "--remotes"];
  return undefined;
}
