import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { leakgate, tempDir } from "../helpers/cli.js";
import { validateSarif } from "../helpers/sarif.js";
import { githubToken } from "../helpers/tokens.js";
import { commit, findingsOf, git, newRepo, PASSWORD, pemKey, requireBuild, secretLine, writeTree } from "./repo.js";

beforeAll(requireBuild);

const staged = (dir: string, ...args: string[]) => leakgate(["staged", ...args], { cwd: dir });

describe("leakgate staged", () => {
  it("passes a clean change and says so", () => {
    const dir = newRepo({ "a.txt": "hello\n" });
    git(dir, "add", "-A");
    const r = staged(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No secrets found/);
    expect(staged(dir, "--quiet").stdout).toBe("");
  });

  it("blocks the first commit of a repository, with new-file lines and a redacted preview", () => {
    const token = githubToken();
    const dir = newRepo({ "config/app.env": `# settings\n\nGITHUB_TOKEN=${token}\n` });
    git(dir, "add", "-A");
    const r = staged(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("config/app.env:3:14");
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(r.stderr).toMatch(/commit blocked/);
    const [f] = findingsOf(staged(dir, "-f", "json").stdout);
    expect(f).toMatchObject({ ruleId: "github-pat-classic", path: "config/app.env", startLine: 3, startColumn: 14 });
    expect(f!.commit).toBeUndefined();
  });

  it("scans only added lines, numbered as in the new file", () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`);
    const dir = newRepo({ "app.py": `${lines.join("\n")}\n`, "old.env": secretLine() });
    commit(dir, "base");
    lines.splice(6, 0, `password = "${PASSWORD}x"`);
    writeFileSync(join(dir, "app.py"), `${lines.join("\n")}\n`);
    writeFileSync(join(dir, "old.env"), `# comment added above an old secret\n${secretLine()}`);
    git(dir, "add", "-A");
    const findings = findingsOf(staged(dir, "-f", "json").stdout);
    // The secret already committed in old.env is not a new line: only app.py:7 is reported.
    expect(findings.map((f) => [f.path, f.startLine])).toEqual([["app.py", 7]]);
  });

  it("judges a partially staged file by its staged content, not the working tree", () => {
    const dir = newRepo({ "a.env": "A=1\n" });
    commit(dir, "base");
    // Staged: a secret; then removed from the working tree only.
    writeFileSync(join(dir, "a.env"), `A=1\n${secretLine()}`);
    git(dir, "add", "a.env");
    writeFileSync(join(dir, "a.env"), "A=1\n");
    expect(staged(dir).code).toBe(1);
    // Staged: clean; the secret only in the working tree.
    git(dir, "add", "a.env");
    writeFileSync(join(dir, "a.env"), `A=1\n${secretLine()}`);
    expect(staged(dir).code).toBe(0);
  });

  it("finds a PEM private key spanning many added lines, where scan finds it in the file", () => {
    const key = pemKey();
    const dir = newRepo({ "deploy/notes.md": "# Deploy\n\nsteps\n" });
    commit(dir, "base");
    writeFileSync(join(dir, "deploy/notes.md"), `# Deploy\n\nsteps\n\nkey:\n${key}\nend\n`);
    git(dir, "add", "-A");
    const r = staged(dir, "-f", "json");
    expect(r.code).toBe(1);
    const [f] = findingsOf(r.stdout);
    expect(f!.path).toBe("deploy/notes.md");
    expect(f!.ruleId).toMatch(/private-key/);
    const [whole] = findingsOf(leakgate(["scan", "deploy/notes.md", "-f", "json"], { cwd: dir }).stdout);
    expect([f!.startLine, f!.startColumn, f!.endLine]).toEqual([whole!.startLine, whole!.startColumn, whole!.endLine]);
    expect(f!.startLine).toBeGreaterThanOrEqual(6);
    expect(f!.endLine).toBeGreaterThan(10);
    expect(r.stdout).not.toContain(key.split("\n")[1]);
  });

  it("handles renames, deletions, binaries, gitlinks, spaces and non-ASCII names", () => {
    const dir = newRepo({ "old name.env": secretLine(), "gone.env": secretLine("g"), "keep.txt": "k\n" });
    commit(dir, "base");
    // A rename with one edited line: the old secret is not new, the added line is.
    renameSync(join(dir, "old name.env"), join(dir, "new name.env"));
    writeFileSync(join(dir, "new name.env"), `${secretLine()}HOST=example.org\n`);
    git(dir, "rm", "-q", "gone.env");
    writeTree(dir, {
      "bin/blob.dat": Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(secretLine("b"))]),
      "dir with space/clé ñ.env": `X=1\nAPI_TOKEN=${PASSWORD}n\n`,
    });
    git(dir, "add", "-A");
    const sub = git(dir, "rev-parse", "HEAD").trim();
    git(dir, "update-index", "--add", "--cacheinfo", `160000,${sub},vendor/sub`);
    const r = staged(dir, "-f", "json", "--verbose");
    expect(r.code).toBe(1);
    expect(findingsOf(r.stdout).map((f) => [f.path, f.startLine])).toEqual([["dir with space/clé ñ.env", 2]]);
    expect(r.stderr).toMatch(/bin\/blob\.dat: skipped, binary/);
    const text = staged(dir);
    expect(text.stdout).toContain("dir with space/clé ñ.env:2:");
  });

  it("works in a linked worktree", () => {
    const dir = newRepo({ "a.txt": "a\n" });
    commit(dir, "base");
    const wt = join(tempDir(), "wt");
    git(dir, "worktree", "add", "-q", "-b", "feature", wt);
    writeTree(wt, { "sub/b.env": secretLine() });
    git(wt, "add", "-A");
    const r = leakgate(["staged", "-f", "json"], { cwd: join(wt, "sub") });
    expect(r.code).toBe(1);
    expect(findingsOf(r.stdout)[0]!.path).toBe("sub/b.env");
    expect(staged(dir).code).toBe(0); // the main work tree's index is untouched
  });

  it("applies inline allow comments, config allowlists, .leakgateignore and the baseline", () => {
    const dir = newRepo({
      "a.py": `password = "${PASSWORD}"  # leakgate:allow\n`,
      "fixtures/b.env": secretLine("f"),
      "c.env": secretLine("c"),
      "d.env": secretLine("d"),
      ".leakgate.yaml": "allowlist:\n  paths: ['fixtures/']\n",
    });
    git(dir, "add", "-A");
    const before = findingsOf(staged(dir, "-f", "json").stdout);
    expect(before.map((f) => f.path)).toEqual(["c.env", "d.env"]);
    writeFileSync(join(dir, ".leakgateignore"), `${before[0]!.fingerprint}\n`);
    writeFileSync(
      join(dir, "base.json"),
      JSON.stringify({ version: 1, findings: [{ fingerprint: before[1]!.fingerprint, ruleId: "x", path: "d.env", preview: "" }] }),
    );
    expect(staged(dir, "-f", "json", "--baseline", "base.json").code).toBe(0);
    expect(findingsOf(staged(dir, "-f", "json").stdout).map((f) => f.path)).toEqual(["d.env"]);
  });

  it("supports the report options: sarif to a file, --exit-zero, --no-redact", () => {
    const dir = newRepo({ "k.env": secretLine() });
    git(dir, "add", "-A");
    const r = staged(dir, "-f", "sarif", "-o", "out.sarif");
    expect(r.code).toBe(1);
    const text = readFileSync(join(dir, "out.sarif"), "utf8");
    expect(text).not.toContain(PASSWORD);
    const sarif = validateSarif(JSON.parse(text));
    expect(sarif.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe("k.env");
    expect(staged(dir, "--exit-zero").code).toBe(0);
    expect(staged(dir, "--no-redact").stdout).toContain(PASSWORD);
  });

  it("fails on one line with exit 2 outside a repository or with a bad option", () => {
    const outside = tempDir();
    const r = staged(outside);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/not inside a git repository/);
    const dir = newRepo();
    expect(staged(dir, "--format", "xml").code).toBe(2);
  });
});
