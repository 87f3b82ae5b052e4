import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync } from "node:fs";
import { expect } from "vitest";
import { BIN, git, initRepo, tempDir, writeTree } from "../helpers/cli.js";

/** Shared set-up for the git end-to-end tests. */

// Fake credentials built at run time; the generic rule reports them (name + entropy).
export const PASSWORD = ["Tq9v", "Lm2x", "Rw7p", "Zk4s"].join("");
export const secretLine = (suffix = "") => `DB_PASSWORD=${PASSWORD}${suffix}\n`;

export function requireBuild(): void {
  if (!existsSync(BIN)) throw new Error("build first: npm run build");
}

export const GIT_ENV = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.invalid",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
};

/** A fresh repository (branch main) in a temp dir. */
export function newRepo(files: Record<string, string | Buffer> = {}): string {
  const dir = tempDir("leakgate-git-");
  initRepo(dir);
  if (Object.keys(files).length) writeTree(dir, files);
  return dir;
}

/** Writes files, stages everything and commits; returns the new commit's sha. */
export function commit(dir: string, message: string, files: Record<string, string | Buffer> = {}): string {
  if (Object.keys(files).length) writeTree(dir, files);
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "--allow-empty", "-m", message);
  return git(dir, "rev-parse", "HEAD").trim();
}

/** Runs git without throwing (for commands expected to fail, e.g. a commit blocked by a hook). */
export function gitTry(cwd: string, args: string[], input?: string) {
  const r = spawnSync("git", args, { cwd, input, env: { ...process.env, ...GIT_ENV, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout.toString("utf8"), stderr: r.stderr.toString("utf8") };
}

/** A real PEM private key block, generated now (never committed). */
export function pemKey(): string {
  return generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
}

export interface JsonFinding {
  ruleId: string;
  path: string;
  startLine: number;
  endLine: number;
  startColumn: number;
  commit?: string;
  author?: string;
  date?: string;
  fingerprint: string;
}

export function findingsOf(stdout: string): JsonFinding[] {
  const doc = JSON.parse(stdout);
  expect(doc.version).toBe(1);
  return doc.findings;
}

export { git, writeTree };
