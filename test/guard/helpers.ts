import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, ROOT, type RunResult, tempDir } from "../helpers/cli.js";

/** The lean hook entry that `guard install` writes into agents' settings. */
export const HOOK_BIN = join(ROOT, "dist", "guard", "bin.js");
export const FIXTURES = join(ROOT, "fixtures", "hooks");

/** What the clean variant of a fixture holds where the secret goes: a reference, not a value. */
export const CLEAN_VALUE = "${GITHUB_TOKEN}";

export function assertBuilt(): void {
  if (!existsSync(HOOK_BIN) || !existsSync(BIN)) throw new Error("build first: npm run build");
}

/** A recorded-shape event with `{{SECRET}}` and `{{PROJECT}}` filled in. */
export function fixture(path: string, vars: { secret: string; project: string }): string {
  const text = readFileSync(join(FIXTURES, path), "utf8");
  // Both land inside JSON strings; tokens and temporary paths need no escaping beyond this level.
  const inJson = (s: string) => JSON.stringify(s).slice(1, -1);
  return text.replaceAll("{{SECRET}}", vars.secret).replaceAll("{{PROJECT}}", inJson(vars.project));
}

export interface GuardRun extends RunResult {
  /** stdout parsed as JSON, when it is not empty. */
  json: Record<string, unknown> | undefined;
}

/**
 * Runs the built guard with `input` on stdin: by default the lean hook entry
 * (`node dist/guard/bin.js --agent ...`), with `cli` the full CLI (`node dist/cli/bin.js guard ...`).
 */
export function guard(
  agent: string,
  input: string | Buffer,
  options: { home: string; cwd?: string; args?: string[]; cli?: boolean },
): GuardRun {
  const script = options.cli ? [BIN, "guard"] : [HOOK_BIN];
  const r = spawnSync(process.execPath, [...script, "--agent", agent, ...(options.args ?? [])], {
    cwd: options.cwd ?? options.home,
    input,
    env: { ...process.env, HOME: options.home, USERPROFILE: options.home, NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const stdout = r.stdout.toString("utf8");
  let json: Record<string, unknown> | undefined;
  if (stdout.trim()) json = JSON.parse(stdout) as Record<string, unknown>;
  return { code: r.status, stdout, stderr: r.stderr.toString("utf8"), json };
}

/** A temporary home directory (for the audit log) holding a project directory. */
export function sandbox(): { home: string; project: string } {
  const home = tempDir("leakgate-guard-");
  const project = join(home, "project");
  return { home, project };
}

export function auditLines(home: string): Record<string, unknown>[] {
  const path = join(home, ".leakgate", "guard-audit.jsonl");
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
