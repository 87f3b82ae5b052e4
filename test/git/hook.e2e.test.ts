import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { leakgate, tempDir } from "../helpers/cli.js";
import { commit, git, gitTry, newRepo, PASSWORD, requireBuild, secretLine, writeTree } from "./repo.js";

beforeAll(requireBuild);

const hook = (dir: string, ...args: string[]) => leakgate(["hook", ...args], { cwd: dir });
const FOREIGN = '#!/bin/sh\necho foreign-ran >> "$(git rev-parse --show-toplevel)/foreign.log"\nexit 0\n';

describe("leakgate hook install / uninstall (pre-commit)", () => {
  it("installs an executable pre-commit hook that blocks a commit adding a secret and lets a clean one through", () => {
    const dir = newRepo({ "a.txt": "a\n" });
    commit(dir, "base");
    const r = hook(dir, "install");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/installed \.git\/hooks\/pre-commit/);
    const file = join(dir, ".git/hooks/pre-commit");
    expect(statSync(file).mode & 0o111).not.toBe(0);
    expect(readFileSync(file, "utf8")).toContain(process.execPath);

    writeTree(dir, { "k.env": secretLine() });
    git(dir, "add", "-A");
    const blocked = gitTry(dir, ["commit", "-qm", "add key"]);
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain("k.env:1:");
    expect(blocked.stdout + blocked.stderr).not.toContain(PASSWORD);
    expect(git(dir, "log", "--oneline").trim().split("\n")).toHaveLength(1);

    git(dir, "rm", "-q", "--cached", "k.env");
    writeTree(dir, { "b.txt": "fine\n" });
    git(dir, "add", "b.txt");
    expect(gitTry(dir, ["commit", "-qm", "clean"]).code).toBe(0);
    // Installing again is idempotent.
    expect(hook(dir, "install").code).toBe(0);
  });

  it("refuses to overwrite a foreign hook without --force, then keeps it, chains to it and restores it", () => {
    const dir = newRepo({ "a.txt": "a\n" });
    commit(dir, "base");
    const file = join(dir, ".git/hooks/pre-commit");
    writeFileSync(file, FOREIGN, { mode: 0o755 });
    const refused = hook(dir, "install");
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(/--force/);
    expect(readFileSync(file, "utf8")).toBe(FOREIGN);

    expect(hook(dir, "install", "--force").stdout).toMatch(/previous hook kept as pre-commit\.leakgate-backup/);
    expect(readFileSync(`${file}.leakgate-backup`, "utf8")).toBe(FOREIGN);
    writeTree(dir, { "b.txt": "b\n" });
    git(dir, "add", "b.txt");
    expect(gitTry(dir, ["commit", "-qm", "clean"]).code).toBe(0);
    expect(readFileSync(join(dir, "foreign.log"), "utf8")).toBe("foreign-ran\n");

    const removed = hook(dir, "uninstall");
    expect(removed.code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(FOREIGN);
    expect(existsSync(`${file}.leakgate-backup`)).toBe(false);
    // A hook we did not write is left alone.
    expect(hook(dir, "uninstall").stdout).toMatch(/not written by leakgate/);
    expect(readFileSync(file, "utf8")).toBe(FOREIGN);
  });

  it("uninstall removes its own hook when there was none before", () => {
    const dir = newRepo();
    hook(dir, "install");
    expect(hook(dir, "uninstall").stdout).toMatch(/removed/);
    expect(existsSync(join(dir, ".git/hooks/pre-commit"))).toBe(false);
    expect(hook(dir, "uninstall").stdout).toMatch(/nothing to do/);
  });

  it("prints the snippet instead of writing a file when core.hooksPath is set (husky, lefthook)", () => {
    const dir = newRepo();
    git(dir, "config", "core.hooksPath", ".husky");
    const r = hook(dir, "install");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/core\.hooksPath is set to \.husky/);
    expect(r.stdout).toContain("npx --no-install leakgate staged");
    expect(r.stdout).toContain("lefthook");
    expect(existsSync(join(dir, ".husky"))).toBe(false);
    expect(existsSync(join(dir, ".git/hooks/pre-commit"))).toBe(false);
  });

  it("installs into the shared hooks directory from a linked worktree, and the hook works there", () => {
    const dir = newRepo({ "a.txt": "a\n" });
    commit(dir, "base");
    const wt = join(tempDir(), "wt");
    git(dir, "worktree", "add", "-q", "-b", "feature", wt);
    expect(hook(wt, "install").code).toBe(0);
    expect(existsSync(join(dir, ".git/hooks/pre-commit"))).toBe(true);
    writeTree(wt, { "k.env": secretLine() });
    git(wt, "add", "-A");
    expect(gitTry(wt, ["commit", "-qm", "key"]).code).not.toBe(0);
  });

  it("fails with one line outside a repository", () => {
    const r = hook(tempDir(), "install");
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("leakgate hook install --pre-push", () => {
  it("blocks a push that adds a secret (even one removed again), lets clean pushes, new branches and deletions through", () => {
    const remote = join(tempDir(), "remote.git");
    git(tempDir(), "init", "-q", "--bare", remote);
    const dir = newRepo({ "a.txt": "a\n" });
    commit(dir, "base");
    git(dir, "remote", "add", "origin", remote);
    git(dir, "push", "-q", "origin", "main");
    expect(hook(dir, "install", "--pre-push").stdout).toMatch(/installed \.git\/hooks\/pre-push/);

    commit(dir, "clean", { "b.txt": "b\n" });
    expect(gitTry(dir, ["push", "-q", "origin", "main"]).code).toBe(0);

    commit(dir, "add key", { "k.env": secretLine() });
    commit(dir, "remove key", { "k.env": "" });
    const blocked = gitTry(dir, ["push", "-q", "origin", "main"]);
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain("k.env:1:");
    expect(blocked.stdout + blocked.stderr).toMatch(/push blocked/);
    expect(git(remote, "rev-parse", "main").trim()).not.toBe(git(dir, "rev-parse", "main").trim());

    // A new branch from the pushed main with a clean commit: only its own commit is scanned.
    git(dir, "checkout", "-q", "-b", "topic", "origin/main");
    commit(dir, "topic", { "t.txt": "t\n" });
    expect(gitTry(dir, ["push", "-q", "origin", "topic"]).code).toBe(0);
    // Deleting a remote branch scans nothing.
    expect(gitTry(dir, ["push", "-q", "origin", "--delete", "topic"]).code).toBe(0);
  });

  it("chains a foreign pre-push hook with the same stdin", () => {
    const remote = join(tempDir(), "remote.git");
    git(tempDir(), "init", "-q", "--bare", remote);
    const dir = newRepo({ "a.txt": "a\n" });
    commit(dir, "base");
    git(dir, "remote", "add", "origin", remote);
    writeFileSync(join(dir, ".git/hooks/pre-push"), '#!/bin/sh\ncat > "$(git rev-parse --show-toplevel)/stdin.log"\n', { mode: 0o755 });
    expect(hook(dir, "install", "--pre-push", "--force").code).toBe(0);
    expect(gitTry(dir, ["push", "-q", "origin", "main"]).code).toBe(0);
    expect(readFileSync(join(dir, "stdin.log"), "utf8")).toMatch(/^refs\/heads\/main [0-9a-f]{40} refs\/heads\/main 0{40}$/m);
  });
});
