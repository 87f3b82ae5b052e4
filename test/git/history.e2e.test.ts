import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { leakgate } from "../helpers/cli.js";
import { validateSarif } from "../helpers/sarif.js";
import { githubToken } from "../helpers/tokens.js";
import { commit, findingsOf, git, newRepo, PASSWORD, requireBuild, secretLine } from "./repo.js";

beforeAll(requireBuild);

const history = (dir: string, ...args: string[]) => leakgate(["history", ...args], { cwd: dir });

/** A history with a secret added then deleted, renamed, copied, plus a binary and a big blob. */
function story() {
  const dir = newRepo({ "README.md": "# app\n" });
  const c1 = commit(dir, "first", { "conf/a.env": `HOST=x\n${secretLine()}`, "b.env": secretLine("b") });
  const c2 = commit(dir, "remove a.env", { "conf/a.env": "HOST=x\n" });
  git(dir, "mv", "b.env", "renamed.env");
  const c3 = commit(dir, "rename b.env");
  const c4 = commit(dir, "copy", {
    "copy of b.env": secretLine("b"),
    "new.env": secretLine("new"),
    "img.bin": Buffer.concat([Buffer.from([0x89, 0, 0, 0]), Buffer.from(secretLine("bin"))]),
    "big.txt": `${"lorem ipsum ".repeat(200)}\n${secretLine("big")}`,
  });
  return { dir, c1, c2, c3, c4 };
}

describe("leakgate history", () => {
  it("scans each unique blob once and attributes findings to the commit and path that introduced them", () => {
    const { dir, c1, c4 } = story();
    const r = history(dir, "-f", "json", "--max-file-size", "1KB", "--verbose");
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain(PASSWORD);
    const findings = findingsOf(r.stdout);
    expect(findings.map((f) => [f.path, f.startLine, f.commit])).toEqual([
      ["b.env", 1, c1],
      ["conf/a.env", 2, c1],
      ["copy of b.env", 1, c4],
      ["new.env", 1, c4],
    ]);
    for (const f of findings) {
      expect(f.author).toBe("Test <test@example.invalid>");
      expect(Date.parse(f.date!)).not.toBeNaN();
    }
    // Fingerprints use each introduction's path.
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(4);
    // Unique text blobs: README, a.env v1 and v2, b.env (also renamed and copied: one blob), new.env;
    // the binary and the blob over 1KB are skipped.
    const stats = JSON.parse(r.stdout).stats;
    expect(stats).toMatchObject({ files: 5, skipped: 2 });
    expect(r.stderr).toMatch(/big\.txt \(blob [0-9a-f]{12}\): skipped, larger than/);
    expect(r.stderr).toMatch(/1 binary blob\(s\) skipped/);
  });

  it("prints commit, author and date in text and SARIF", () => {
    const { dir, c1 } = story();
    const text = history(dir);
    expect(text.stdout).toContain(`commit:   ${c1}`);
    expect(text.stdout).toContain("author:   Test <test@example.invalid>");
    const sarif = validateSarif(JSON.parse(history(dir, "-f", "sarif").stdout));
    const props = sarif.runs[0]!.results!.map((res) => res.properties?.commit);
    expect(props).toContain(c1);
  });

  it("audits only a range when given one", () => {
    const { dir, c2, c4 } = story();
    // Blobs reachable from c2 are not in the range: the copy of b.env is old content, new.env is new.
    const findings = findingsOf(history(dir, `${c2}..HEAD`, "-f", "json", "--max-file-size", "1KB").stdout);
    expect(findings.map((f) => [f.path, f.commit])).toEqual([["new.env", c4]]);
    const bad = history(dir, "nope..HEAD");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/nope/);
    expect(history(dir, "--all", "HEAD").code).toBe(2);
  });

  it("covers every ref, not just HEAD, and applies the ignore file and allow comments", () => {
    const dir = newRepo({ "a.txt": "a\n" });
    commit(dir, "base");
    git(dir, "checkout", "-q", "-b", "side");
    const token = githubToken();
    const side = commit(dir, "side", { "gh.txt": `token ${token}\n`, "ok.py": `password = "${PASSWORD}"  # leakgate:allow\n` });
    git(dir, "checkout", "-q", "main");
    const r = history(dir, "-f", "json");
    expect(findingsOf(r.stdout).map((f) => [f.path, f.commit, f.ruleId])).toEqual([["gh.txt", side, "github-pat-classic"]]);
    expect(r.stdout).not.toContain(token);
    writeFileSync(join(dir, ".leakgateignore"), "gh.txt\n");
    expect(history(dir).code).toBe(0);
  });

  it("shows a progress line only on request or on a terminal", () => {
    const { dir } = story();
    const quiet = history(dir, "-q", "--exit-zero");
    expect(quiet.stderr).not.toMatch(/blobs/);
    const shown = history(dir, "--progress", "-q", "--exit-zero");
    expect(shown.stderr).toMatch(/history \d+\/\d+ blobs, [\d.]+\/[\d.]+ MB, \d+ findings?, \d+ MB\/s, ETA/);
  });

  it("gives the same findings with a worker pool as in-process on a history above the in-process threshold", () => {
    const dir = newRepo();
    const filler = (n: number) => `${Array.from({ length: 60_000 }, (_, i) => `const value_${n}_${i} = ${i * n};`).join("\n")}\n`;
    // ~10 MB of unique blobs over three commits, secrets in the middle of big files.
    commit(dir, "one", { "a.js": filler(1), "b.js": `${filler(2)}${secretLine("a")}${filler(3)}` });
    commit(dir, "two", { "a.js": `${filler(4)}${secretLine("b")}`, "c.js": filler(5) });
    commit(dir, "three", { "b.js": filler(6) });
    const pool = history(dir, "-f", "json", "--workers", "2");
    const inline = history(dir, "-f", "json", "--workers", "1");
    const key = (out: string) => findingsOf(out).map((f) => [f.path, f.startLine, f.commit, f.fingerprint]);
    expect(JSON.parse(pool.stdout).stats.bytes).toBeGreaterThan(8 * 1024 * 1024);
    expect(key(pool.stdout)).toEqual(key(inline.stdout));
    expect(key(pool.stdout).map((k) => k.slice(0, 2))).toEqual([
      ["a.js", 60_001],
      ["b.js", 60_001],
    ]);
  });
});
