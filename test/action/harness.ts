import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { git, initRepo, ROOT, tempDir, writeTree } from "../helpers/cli.js";

/** The action's entry, as action.yml runs it. */
export const RUN_JS = join(ROOT, "dist", "action", "run.js");

export function requireBuild(): void {
  if (!existsSync(RUN_JS)) throw new Error("build first: npm run build");
}

// Fake credentials built at run time (never committed); the generic .env rule reports this one.
export const PASSWORD = ["Tq9v", "Lm2x", "Rw7p", "Zk4s"].join("");

/** A fresh repository (branch main) in a temp dir. */
export function newRepo(files: Record<string, string> = {}): string {
  const dir = tempDir("leakgate-action-repo-");
  initRepo(dir);
  if (Object.keys(files).length) writeTree(dir, files);
  return dir;
}

/** Writes `files`, deletes `remove`, commits everything; returns the commit's sha. */
export function commit(dir: string, message: string, files: Record<string, string> = {}, remove: string[] = []): string {
  if (Object.keys(files).length) writeTree(dir, files);
  for (const path of remove) rmSync(join(dir, path));
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "--allow-empty", "-m", message);
  return git(dir, "rev-parse", "HEAD").trim();
}

/** A bare copy of `source` (every branch) that serves fetches by commit id, like GitHub does. */
export function bareOrigin(source: string): string {
  const bare = join(tempDir("leakgate-action-origin-"), "origin.git");
  git(source, "clone", "-q", "--bare", source, bare);
  git(bare, "config", "uploadpack.allowAnySHA1InWant", "true");
  return bare;
}

/** Clones `bare` the way actions/checkout does: `depth` 0 is fetch-depth: 0. */
export function checkout(bare: string, branch: string, depth = 0): string {
  const dir = join(tempDir("leakgate-action-ws-"), "repo");
  const args = ["clone", "-q", "--branch", branch, ...(depth > 0 ? ["--depth", String(depth)] : []), `file://${bare}`, dir];
  git(tempDir(), ...args);
  git(dir, "config", "commit.gpgsign", "false");
  return dir;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The SARIF file's text ("" when none was written). */
  sarif: string;
}

/** Parses `$GITHUB_OUTPUT` (heredoc blocks and plain `name=value` lines). */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i]!);
      out[name!] = value.join("\n");
    } else if (line.includes("=")) {
      out[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return out;
}

/**
 * Runs `node dist/action/run.js` as the composite action's scan step does: the runner's GITHUB_*
 * files in a temp dir, inputs as INPUT_* variables, the repository as the workspace.
 */
export function runAction(options: {
  workspace: string;
  eventName: string;
  event: unknown;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
}): ActionRun {
  const runner = tempDir("leakgate-action-runner-");
  mkdirSync(runner, { recursive: true });
  const eventPath = join(runner, "event.json");
  const outputPath = join(runner, "output");
  const summaryPath = join(runner, "summary.md");
  writeFileSync(eventPath, JSON.stringify(options.event));
  writeFileSync(outputPath, "");
  writeFileSync(summaryPath, "");
  // Nothing from a real runner (if these tests run on one) leaks in.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(GITHUB_|INPUT_|RUNNER_|LEAKGATE_)/.test(k)));
  const inputs = Object.fromEntries(
    Object.entries(options.inputs ?? {}).map(([k, v]) => [`INPUT_${k.toUpperCase().replace(/-/g, "_")}`, v]),
  );
  const r = spawnSync(process.execPath, [RUN_JS], {
    cwd: options.workspace,
    env: {
      ...base,
      NO_COLOR: "1",
      GIT_CONFIG_NOSYSTEM: "1",
      GITHUB_ACTIONS: "true",
      GITHUB_EVENT_NAME: options.eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "octo-org/app",
      GITHUB_ACTOR: "octocat",
      ...inputs,
      ...options.env,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  const outputs = parseOutputs(readFileSync(outputPath, "utf8"));
  const sarifPath = outputs["sarif-file"];
  return {
    code: r.status,
    stdout: r.stdout.toString("utf8"),
    stderr: r.stderr.toString("utf8"),
    outputs,
    summary: readFileSync(summaryPath, "utf8"),
    sarif: sarifPath && existsSync(sarifPath) ? readFileSync(sarifPath, "utf8") : "",
  };
}

/** A pull_request payload for `base..head` (same repository unless `fork`). */
export function pullRequestEvent(base: string, head: string, options: { number?: number; fork?: boolean } = {}) {
  const number = options.number ?? 5;
  const repo = { id: 1296269, name: "app", full_name: "octo-org/app", fork: false, default_branch: "main" };
  const headRepo = options.fork ? { id: 5550001, name: "app", full_name: "contributor/app", fork: true, default_branch: "main" } : repo;
  return {
    action: "synchronize",
    number,
    pull_request: {
      number,
      state: "open",
      head: { label: "octo-org:feature", ref: "feature", sha: head, repo: headRepo },
      base: { label: "octo-org:main", ref: "main", sha: base, repo },
    },
    repository: repo,
    sender: { login: "octocat", id: 1, type: "User" },
  };
}

/** A push payload. */
export function pushEvent(ref: string, before: string, after: string, extra: Record<string, unknown> = {}) {
  return {
    ref,
    before,
    after,
    created: /^0+$/.test(before),
    deleted: false,
    forced: false,
    base_ref: null,
    commits: [],
    head_commit: { id: after },
    repository: { id: 1296269, name: "app", full_name: "octo-org/app", default_branch: "main" },
    pusher: { name: "octocat", email: "octocat@example.com" },
    ...extra,
  };
}

export const NULL_SHA = "0".repeat(40);
