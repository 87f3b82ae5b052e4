import { describe, expect, it } from "vitest";
import { parseRangeSpec } from "../../src/sources/git/diff.js";
import { type FileChange, PatchParser, parsePatch, runFragments } from "../../src/sources/git/diff-parser.js";
import { unquoteGitPath } from "../../src/sources/git/git.js";
import { type Introduction, parseFindObjectLog } from "../../src/sources/git/history.js";
import { parsePushLines, preCommitFrameworkRevArgs } from "../../src/sources/git/prepush.js";

const Z = "0".repeat(40);
const A = "a".repeat(40);
const B = "b".repeat(40);

const text = (runs: FileChange["runs"]) => runs.map((r) => ({ start: r.startLine, lines: r.lines.map((l) => l.toString("utf8")) }));

describe("patch parser", () => {
  it("reads a new file's added lines as one run starting at line 1", () => {
    const [f] = parsePatch(
      [
        "diff --git a/src/a.ts b/src/a.ts",
        "new file mode 100644",
        `index ${Z}..${B}`,
        "--- /dev/null",
        "+++ b/src/a.ts",
        "@@ -0,0 +1,3 @@",
        "+one",
        "+two",
        "+three",
        "",
      ].join("\n"),
    );
    expect(f).toMatchObject({ path: "src/a.ts", status: "added", blob: B, mode: "100644", binary: false, submodule: false });
    expect(text(f!.runs)).toEqual([{ start: 1, lines: ["one", "two", "three"] }]);
    expect(f!.addedBytes).toBe(14);
  });

  it("numbers lines by the new file across hunks, merging hunks that touch", () => {
    const [f] = parsePatch(
      [
        "diff --git a/x b/x",
        `index ${A}..${B} 100644`,
        "--- a/x",
        "+++ b/x",
        "@@ -3 +3 @@ heading text",
        "-old three",
        "+new three",
        "@@ -4,0 +5,2 @@",
        "+five",
        "+six",
        "@@ -9,2 +11,0 @@",
        "-gone",
        "-gone too",
        "@@ -20,0 +22 @@",
        "+twenty-two",
        "",
      ].join("\n"),
    );
    expect(f!.status).toBe("modified");
    expect(text(f!.runs)).toEqual([
      { start: 3, lines: ["new three"] },
      { start: 5, lines: ["five", "six"] },
      { start: 22, lines: ["twenty-two"] },
    ]);
    const merged = parsePatch(
      ["diff --git a/y b/y", "--- a/y", "+++ b/y", "@@ -1,0 +2 @@", "+a", "@@ -2,0 +3,2 @@", "+b", "+c", ""].join("\n"),
    );
    expect(text(merged[0]!.runs)).toEqual([{ start: 2, lines: ["a", "b", "c"] }]);
  });

  it("takes content lines by the hunk counts, so header-like content is content", () => {
    const files = parsePatch(
      [
        "diff --git a/p.diff b/p.diff",
        "--- a/p.diff",
        "+++ b/p.diff",
        "@@ -1,0 +1,4 @@",
        "+diff --git a/evil b/evil",
        "++++ b/evil",
        "+@@ -1 +1 @@",
        "+\x01not a commit",
        "diff --git a/q b/q",
        "--- a/q",
        "+++ b/q",
        "@@ -1 +1 @@",
        "-x",
        "+y",
        "",
      ].join("\n"),
    );
    expect(files.map((f) => f.path)).toEqual(["p.diff", "q"]);
    expect(text(files[0]!.runs)[0]!.lines).toEqual(["diff --git a/evil b/evil", "+++ b/evil", "@@ -1 +1 @@", "\x01not a commit"]);
  });

  it("handles paths with spaces (trailing tab), non-ASCII and C-quoted names", () => {
    const files = parsePatch(
      Buffer.concat([
        Buffer.from("diff --git a/dir with space/clé ñ.env b/dir with space/clé ñ.env\n--- /dev/null\n+++ b/dir with space/clé ñ.env\t\n"),
        Buffer.from("@@ -0,0 +1 @@\n+k=v\n"),
        Buffer.from('diff --git "a/t\\tab \\"q\\".txt" "b/t\\tab \\"q\\".txt"\n--- /dev/null\n+++ "b/t\\tab \\"q\\".txt"\t\n'),
        Buffer.from("@@ -0,0 +1 @@\n+k=v\n"),
        Buffer.from('diff --git "a/caf\\303\\251" "b/caf\\303\\251"\n--- a/caf\\303\\251\n+++ "b/caf\\303\\251"\n@@ -1 +1 @@\n-a\n+b\n'),
      ]),
    );
    expect(files.map((f) => f.path)).toEqual(["dir with space/clé ñ.env", 't\tab "q".txt', "café"]);
  });

  it("flags binary files and gitlinks and yields no lines for them", () => {
    const files = parsePatch(
      [
        "diff --git a/img.png b/img.png",
        "new file mode 100644",
        `index ${Z}..${A}`,
        "Binary files /dev/null and b/img.png differ",
        "diff --git a/sub b/sub",
        "new file mode 160000",
        `index ${Z}..${B}`,
        "--- /dev/null",
        "+++ b/sub",
        "@@ -0,0 +1 @@",
        `+Subproject commit ${B}`,
        "diff --git a/sub2 b/sub2",
        `index ${A}..${B} 160000`,
        "--- a/sub2",
        "+++ b/sub2",
        "@@ -1 +1 @@",
        `-Subproject commit ${A}`,
        `+Subproject commit ${B}`,
        "",
      ].join("\n"),
    );
    expect(files.map((f) => [f.path, f.binary, f.submodule, f.runs.length])).toEqual([
      ["img.png", true, false, 0],
      ["sub", false, true, 0],
      ["sub2", false, true, 0],
    ]);
  });

  it("reads renames, pure renames, deletions and the no-newline marker", () => {
    const files = parsePatch(
      [
        "diff --git a/old name.txt b/new name.txt",
        "similarity index 90%",
        "rename from old name.txt",
        "rename to new name.txt",
        `index ${A}..${B} 100644`,
        "--- a/old name.txt\t",
        "+++ b/new name.txt\t",
        "@@ -2 +2 @@",
        "-x",
        "\\ No newline at end of file",
        "+y",
        "\\ No newline at end of file",
        "diff --git a/m.txt b/moved/m.txt",
        "similarity index 100%",
        "rename from m.txt",
        "rename to moved/m.txt",
        "diff --git a/gone.env b/gone.env",
        "deleted file mode 100644",
        `index ${A}..${Z}`,
        "--- a/gone.env",
        "+++ /dev/null",
        "@@ -1 +0,0 @@",
        "-SECRET=1",
        "",
      ].join("\n"),
    );
    expect(files.map((f) => [f.path, f.status, text(f.runs)])).toEqual([
      ["new name.txt", "renamed", [{ start: 2, lines: ["y"] }]],
      ["moved/m.txt", "renamed", []],
      ["gone.env", "deleted", []],
    ]);
  });

  it("attaches commits from git log output and keeps CR bytes", () => {
    const files = parsePatch(
      [
        `\x01${A}\0Ann O'Nym\0ann@example.invalid\x002024-05-01T10:00:00+02:00`,
        "",
        "diff --git a/w.bat b/w.bat",
        "--- a/w.bat",
        "+++ b/w.bat",
        "@@ -1,0 +2 @@",
        "+set X=1\r",
        `\x01${B}\0Bo\0bo@example.invalid\x002024-05-02T10:00:00Z`,
        "",
        "diff --git a/z b/z",
        "--- a/z",
        "+++ b/z",
        "@@ -0,0 +1 @@",
        "+z",
        "",
      ].join("\n"),
    );
    expect(files.map((f) => f.commit)).toEqual([
      { sha: A, author: "Ann O'Nym <ann@example.invalid>", date: "2024-05-01T10:00:00+02:00" },
      { sha: B, author: "Bo <bo@example.invalid>", date: "2024-05-02T10:00:00Z" },
    ]);
    expect(files[0]!.runs[0]!.lines[0]!.toString("latin1")).toBe("set X=1\r");
  });

  it("gives the same result whatever the chunking", () => {
    const patch = Buffer.from(
      [
        `\x01${A}\0N\0e@x\0d`,
        "diff --git a/a b/a",
        "--- a/a",
        "+++ b/a",
        "@@ -0,0 +1,3 @@",
        "+α line",
        "+β line",
        "+γ line",
        "diff --git a/b b/b",
        "--- a/b",
        "+++ b/b",
        "@@ -5 +5,2 @@",
        "-q",
        "+r",
        "+s",
      ].join("\n"),
    );
    const whole = parsePatch(patch);
    for (const size of [1, 2, 3, 7, 16]) {
      const files: FileChange[] = [];
      const parser = new PatchParser((f) => files.push(f));
      for (let i = 0; i < patch.length; i += size) parser.write(patch.subarray(i, i + size));
      parser.end();
      expect(files.map((f) => [f.path, text(f.runs), f.commit?.sha])).toEqual(whole.map((f) => [f.path, text(f.runs), f.commit?.sha]));
    }
  });

  it("drops the lines of a file whose added text is over the cap", () => {
    const [f] = parsePatch(
      ["diff --git a/big b/big", "--- a/big", "+++ b/big", "@@ -0,0 +1,3 @@", "+aaaa", "+bbbb", "+cccc", ""].join("\n"),
      8,
    );
    expect(f).toMatchObject({ oversized: true, runs: [] });
  });

  it("turns runs into fragments with lineBase and the commit", () => {
    const [f] = parsePatch(
      [
        `\x01${A}\0N\0e@x\0D`,
        "diff --git a/k b/k",
        `index ${A}..${B} 100644`,
        "--- a/k",
        "+++ b/k",
        "@@ -3,0 +4,2 @@",
        "+x",
        "+y",
        "",
      ].join("\n"),
    );
    const [fragment] = runFragments(f!);
    expect(fragment!.bytes.toString()).toBe("x\ny\n");
    expect(fragment!.origin).toEqual({ path: "k", lineBase: 4, blob: B, commit: A, author: "N <e@x>", date: "D" });
  });
});

describe("git helpers", () => {
  it("unquotes C-style paths", () => {
    expect(unquoteGitPath(Buffer.from('"a\\tb\\n\\"c\\\\d\\303\\251"')).toString("utf8")).toBe('a\tb\n"c\\dé');
    expect(unquoteGitPath(Buffer.from("plain name")).toString()).toBe("plain name");
  });

  it("splits revision ranges", () => {
    expect(parseRangeSpec("main..feature")).toEqual({ base: "main", head: "feature", threeDot: false });
    expect(parseRangeSpec("origin/main...HEAD")).toEqual({ base: "origin/main", head: "HEAD", threeDot: true });
    expect(parseRangeSpec("v1.0")).toEqual({ base: "v1.0", head: "HEAD", threeDot: false });
    expect(parseRangeSpec("v1.0..")).toEqual({ base: "v1.0", head: "HEAD", threeDot: false });
  });

  it("parses pre-push lines, skipping junk", () => {
    expect(
      parsePushLines(
        `refs/heads/main ${A} refs/heads/main ${B}\n\nrefs/heads/new ${B} refs/heads/new ${Z}\r\ngarbage line\n(delete) ${Z} refs/heads/x ${A}\n`,
      ),
    ).toEqual([
      { localRef: "refs/heads/main", localSha: A, remoteRef: "refs/heads/main", remoteSha: B },
      { localRef: "refs/heads/new", localSha: B, remoteRef: "refs/heads/new", remoteSha: Z },
      { localRef: "(delete)", localSha: Z, remoteRef: "refs/heads/x", remoteSha: A },
    ]);
  });

  it("reads the pre-commit framework's pre-push environment", () => {
    expect(preCommitFrameworkRevArgs({ PRE_COMMIT_FROM_REF: A, PRE_COMMIT_TO_REF: B })).toEqual([B, `^${A}`]);
    expect(preCommitFrameworkRevArgs({ PRE_COMMIT_SOURCE: A, PRE_COMMIT_ORIGIN: B })).toEqual([B, `^${A}`]);
    expect(preCommitFrameworkRevArgs({ PRE_COMMIT_LOCAL_BRANCH: "refs/heads/x" })).toEqual(["refs/heads/x", "--not", "--remotes"]);
    expect(preCommitFrameworkRevArgs({})).toBeUndefined();
  });

  it("parses git log --raw -z output into first introductions per path", () => {
    const C = "c".repeat(40);
    const log = [
      `\x01${A}`,
      "Ann",
      "a@x",
      "2024-01-01T00:00:00Z",
      `\n:000000 100644 ${Z} ${B} A`,
      "dir with space/k.env",
      `:000000 100644 ${Z} ${C} A`,
      "other",
      `\x01${C}`,
      "Bo",
      "b@x",
      "2024-02-01T00:00:00Z",
      `\n:100644 100644 ${B} ${B} R100`,
      "dir with space/k.env",
      "moved.env",
      `:000000 100644 ${Z} ${B} A`,
      "copy.env",
      `:000000 100644 ${Z} ${B} A`,
      "dir with space/k.env",
      "",
    ].join("\0");
    const into = new Map<string, Introduction[]>();
    parseFindObjectLog(log, new Set([B]), into);
    expect(into.get(B)).toEqual([
      { path: "dir with space/k.env", commit: A, author: "Ann <a@x>", date: "2024-01-01T00:00:00Z" },
      { path: "copy.env", commit: C, author: "Bo <b@x>", date: "2024-02-01T00:00:00Z" },
    ]);
    expect(into.has(C)).toBe(false);
  });
});
