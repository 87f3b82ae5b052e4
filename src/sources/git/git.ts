import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { SourceError } from "../../errors.js";

/**
 * Plain `child_process` calls to git (no wrapper library on the pre-commit hot path). Every call pins
 * the settings that change git's output format, so a user's config (`diff.noprefix`, `color.ui`,
 * `diff.relative`, `core.quotePath`, `log.showSignature`, `diff.external`...) cannot break parsing.
 */
export const GIT_CONFIG_ARGS = [
  "-c",
  "core.quotePath=false",
  "-c",
  "color.ui=never",
  "-c",
  "diff.relative=false",
  "-c",
  "log.showSignature=false",
  "-c",
  "diff.renames=true",
];

/** Options that make `git diff` / `git log -p` print exactly what the patch parser expects. */
export const PATCH_FORMAT_ARGS = [
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  "--full-index",
  "--submodule=short",
  "--src-prefix=a/",
  "--dst-prefix=b/",
  "-U0",
  "--inter-hunk-context=0",
];

/** The all-zero object id git uses for "no object" (pre-push stdin, `before` of a new branch). */
export function isNullSha(sha: string): boolean {
  return /^0+$/.test(sha) && (sha.length === 40 || sha.length === 64);
}

export interface GitResult {
  status: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs git synchronously; never throws for a non-zero exit (the caller decides), only when git is missing. */
export function gitRun(args: readonly string[], cwd: string, input?: string | Buffer): GitResult {
  const r: SpawnSyncReturns<Buffer> = spawnSync("git", [...GIT_CONFIG_ARGS, ...args], {
    cwd,
    input,
    stdio: ["pipe", "pipe", "pipe"],
    maxBuffer: 2 * 1024 * 1024 * 1024,
  });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new SourceError("git is not installed or not on PATH");
    throw new SourceError(`git ${args[0]} failed: ${code ?? r.error.message}`);
  }
  return { status: r.status ?? 128, stdout: r.stdout, stderr: r.stderr.toString("utf8") };
}

/** First non-empty line of git's stderr, without the `fatal: ` prefix. */
export function gitMessage(stderr: string): string {
  const line = stderr
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l !== "");
  return (line ?? "unknown error").replace(/^(fatal|error):\s*/, "");
}

/** Runs git and returns stdout; a non-zero exit becomes a one-line SourceError. */
export function gitOut(args: readonly string[], cwd: string, input?: string | Buffer): Buffer {
  const r = gitRun(args, cwd, input);
  if (r.status !== 0) throw new SourceError(`git ${args[0]}: ${gitMessage(r.stderr)}`);
  return r.stdout;
}

/** The work tree's top-level directory; a clear error outside a work tree. */
export function workTreeRoot(cwd: string): string {
  const r = gitRun(["rev-parse", "--show-toplevel"], cwd);
  const top = r.stdout.toString("utf8").trim();
  if (r.status !== 0 || !top) {
    const reason = gitMessage(r.stderr);
    throw new SourceError(
      /not a git repository/i.test(reason) ? `${cwd} is not inside a git repository` : `not in a git work tree: ${reason}`,
    );
  }
  return top;
}

/** True when the repository is a shallow clone. */
export function isShallow(cwd: string): boolean {
  return gitRun(["rev-parse", "--is-shallow-repository"], cwd).stdout.toString("utf8").trim() === "true";
}

/** The commit a revision names, or undefined when it is not in this repository. */
export function resolveCommit(cwd: string, rev: string): string | undefined {
  const r = gitRun(["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`], cwd);
  const sha = r.stdout.toString("utf8").trim();
  return r.status === 0 && sha ? sha : undefined;
}

/**
 * Undoes git's C-style path quoting (`"dir/\303\251\tx"`), used for names with control characters,
 * quotes or backslashes (and non-ASCII bytes when `core.quotePath` is on). Unquoted text is returned as is.
 */
export function unquoteGitPath(text: Buffer): Buffer {
  if (text.length < 2 || text[0] !== 0x22 || text[text.length - 1] !== 0x22) return text;
  const out: number[] = [];
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i] as number;
    if (c !== 0x5c) {
      out.push(c);
      continue;
    }
    const n = text[++i] as number;
    if (n >= 0x30 && n <= 0x37) {
      // Three octal digits: one raw byte.
      const oct = text.subarray(i, i + 3).toString("latin1");
      out.push(Number.parseInt(oct, 8) & 0xff);
      i += 2;
      continue;
    }
    const simple: Record<number, number> = { 97: 7, 98: 8, 116: 9, 110: 10, 118: 11, 102: 12, 114: 13 };
    out.push(simple[n] ?? n);
  }
  return Buffer.from(out);
}
