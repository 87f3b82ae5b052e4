import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { leakgate, tempDir } from "../helpers/cli.js";
import { validateSarif } from "../helpers/sarif.js";
import { githubToken } from "../helpers/tokens.js";
import { commit, findingsOf, git, gitTry, newRepo, PASSWORD, requireBuild, secretLine } from "./repo.js";

beforeAll(requireBuild);

const diff = (dir: string, ...args: string[]) => leakgate(["diff", ...args], { cwd: dir });

/** main: base → adds a secret → removes it → renames a file; returns the shas. */
function addedThenRemoved() {
  const dir = newRepo({ "README.md": "# app\n", "src/app.py": "print('hi')\n" });
  const base = commit(dir, "base");
  const added = commit(dir, "add settings", { "conf/settings.env": `HOST=example.org\n${secretLine()}` });
  const removed = commit(dir, "oops, remove it", { "conf/settings.env": "HOST=example.org\n" });
  git(dir, "mv", "src/app.py", "src/main.py");
  const renamed = commit(dir, "rename", {});
  return { dir, base, added, removed, renamed };
}

describe("leakgate diff", () => {
  it("reports a secret added then removed inside the range, with the commit that added it", () => {
    const { dir, base, added } = addedThenRemoved();
    const r = diff(dir, `${base}..HEAD`, "-f", "json");
    expect(r.code).toBe(1);
    const findings = findingsOf(r.stdout);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ path: "conf/settings.env", startLine: 2, commit: added, author: "Test <test@example.invalid>" });
    expect(Date.parse(findings[0]!.date!)).not.toBeNaN();
    expect(r.stdout).not.toContain(PASSWORD);
    const text = diff(dir, `${base}..HEAD`);
    expect(text.stdout).toContain(`commit:   ${added}`);
    expect(text.stdout).toContain("conf/settings.env:2:");
  });

  it("--squash scans only the net diff", () => {
    const { dir, base } = addedThenRemoved();
    const r = diff(dir, `${base}..HEAD`, "--squash");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No secrets found/);
  });

  it("takes <base>...<head> from the merge base and skips merge commits", () => {
    const dir = newRepo({ "a.txt": "a\n" });
    commit(dir, "base");
    git(dir, "checkout", "-q", "-b", "feature");
    const token = githubToken();
    const onFeature = commit(dir, "feature work", { "f.env": `GH=${token}\n` });
    git(dir, "checkout", "-q", "main");
    commit(dir, "main moves on", { "m.env": secretLine("main") });
    git(dir, "checkout", "-q", "feature");
    git(dir, "merge", "-q", "--no-edit", "main");
    const r = diff(dir, "main...feature", "-f", "json");
    const findings = findingsOf(r.stdout);
    // The merge brings main's secret in, but main's commit is not part of the pull request.
    expect(findings.map((f) => [f.path, f.commit])).toEqual([["f.env", onFeature]]);
    expect(r.stdout).not.toContain(token);
    expect(diff(dir, "main").code).toBe(1); // <base> alone means <base>..HEAD
  });

  it("puts commit, author and date into SARIF result properties", () => {
    const { dir, base, added } = addedThenRemoved();
    const r = diff(dir, `${base}..HEAD`, "-f", "sarif");
    const sarif = validateSarif(JSON.parse(r.stdout));
    const result = sarif.runs[0]!.results![0]!;
    expect(result.properties).toMatchObject({ commit: added, author: "Test <test@example.invalid>" });
  });

  it("scans renamed files' added lines and paths with spaces in every commit", () => {
    const dir = newRepo({ "old.txt": "x\n" });
    const base = commit(dir, "base");
    mkdirSync(join(dir, "dir with space"));
    git(dir, "mv", "old.txt", "dir with space/nëw.txt");
    const c = commit(dir, "rename and edit", { "dir with space/nëw.txt": `x\nAPI_TOKEN=${PASSWORD}\n` });
    const [f] = findingsOf(diff(dir, `${base}..${c}`, "-f", "json").stdout);
    expect(f).toMatchObject({ path: "dir with space/nëw.txt", startLine: 2, commit: c });
  });

  it("fails with one line naming a missing revision", () => {
    const { dir } = addedThenRemoved();
    const missing = "1234567890abcdef1234567890abcdef12345678";
    const r = diff(dir, `${missing}..HEAD`);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(missing);
    expect(r.stderr).toContain("fetch-depth: 0");
    expect(diff(dir, "HEAD..no-such-branch").stderr).toContain("no-such-branch");
    expect(diff(dir, `${"0".repeat(40)}..HEAD`).code).toBe(2);
  });

  it("in a shallow clone names the missing base and suggests fetch-depth: 0", () => {
    const { dir, base } = addedThenRemoved();
    const clone = join(tempDir(), "clone");
    git(tempDir(), "clone", "-q", "--depth", "1", `file://${dir}`, clone);
    const r = diff(clone, `${base}..HEAD`);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(base);
    expect(r.stderr).toMatch(/shallow clone/);
    expect(r.stderr).toContain("fetch-depth: 0");
    // HEAD itself sits on the shallow boundary: its parent is missing, so it cannot be diffed.
    const head = git(clone, "rev-parse", "HEAD").trim();
    const boundary = diff(clone, `${head}~1..HEAD`);
    expect(boundary.code).toBe(2);
    expect(boundary.stderr).toContain("fetch-depth: 0");
  });

  it("refuses a range that crosses the shallow boundary instead of reporting the whole tree", () => {
    const dir = newRepo({ "a.env": secretLine("old") });
    commit(dir, "base");
    git(dir, "checkout", "-q", "-b", "feature");
    commit(dir, "feature", { "f.txt": "f\n" });
    git(dir, "checkout", "-q", "main");
    commit(dir, "main", { "m.txt": "m\n" });
    const clone = join(tempDir(), "clone");
    git(tempDir(), "clone", "-q", "--depth", "1", "--no-single-branch", `file://${dir}`, clone);
    const r = diff(clone, "origin/main..origin/feature");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/edge of this shallow clone/);
    // Once the history is there, the same range works.
    expect(gitTry(clone, ["fetch", "-q", "--unshallow"]).code).toBe(0);
    expect(diff(clone, "origin/main..origin/feature").code).toBe(0);
  });
});

describe("leakgate prepush", () => {
  function pushSetup() {
    const remote = join(tempDir(), "remote.git");
    git(tempDir(), "init", "-q", "--bare", remote);
    const dir = newRepo({ "a.txt": "a\n" });
    const base = commit(dir, "base");
    git(dir, "remote", "add", "origin", remote);
    git(dir, "push", "-q", "origin", "main");
    return { dir, base };
  }
  const Z = "0".repeat(40);
  const prepush = (dir: string, input: string, env?: NodeJS.ProcessEnv) =>
    leakgate(["prepush", "origin", "url", "-f", "json"], { cwd: dir, input, env });

  it("scans <remote sha>..<local sha> for an update", () => {
    const { dir, base } = pushSetup();
    const added = commit(dir, "secret", { "k.env": secretLine() });
    const head = commit(dir, "remove", { "k.env": "" });
    const r = prepush(dir, `refs/heads/main ${head} refs/heads/main ${base}\n`);
    expect(r.code).toBe(1);
    expect(findingsOf(r.stdout).map((f) => f.commit)).toEqual([added]);
  });

  it("for a new branch scans only the commits no remote has, and ignores deletions", () => {
    const { dir } = pushSetup();
    git(dir, "checkout", "-q", "-b", "topic");
    const added = commit(dir, "topic secret", { "t.env": secretLine("t") });
    const r = prepush(dir, `refs/heads/topic ${added} refs/heads/topic ${Z}\n`);
    expect(findingsOf(r.stdout).map((f) => [f.path, f.commit])).toEqual([["t.env", added]]);
    expect(prepush(dir, `(delete) ${Z} refs/heads/old ${added}\n`).code).toBe(0);
    expect(prepush(dir, "").code).toBe(0);
  });

  it("reads the pre-commit framework's environment when stdin has no refs", () => {
    const { dir, base } = pushSetup();
    const added = commit(dir, "secret", { "k.env": secretLine() });
    const r = prepush(dir, "", { PRE_COMMIT_FROM_REF: base, PRE_COMMIT_TO_REF: added });
    expect(findingsOf(r.stdout).map((f) => f.commit)).toEqual([added]);
  });
});
