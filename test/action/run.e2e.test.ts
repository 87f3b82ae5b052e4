import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as Sarif from "sarif";
import { beforeAll, describe, expect, it } from "vitest";
import { git, ROOT, tempDir } from "../helpers/cli.js";
import { checkGitHubConstraints, validateSarif } from "../helpers/sarif.js";
import { githubToken } from "../helpers/tokens.js";
import {
  bareOrigin,
  checkout,
  commit,
  NULL_SHA,
  newRepo,
  PASSWORD,
  pullRequestEvent,
  pushEvent,
  requireBuild,
  runAction,
} from "./harness.js";

beforeAll(requireBuild);

/** main: base; feature: adds two secrets, removes them, then a clean commit. */
function pullRequestRepo() {
  const dir = newRepo({ "README.md": "# app\n", "src/app.ts": "export const app = 1;\n" });
  const base = commit(dir, "base");
  git(dir, "checkout", "-q", "-b", "feature");
  const token = githubToken();
  const added = commit(dir, "add settings", {
    "conf/settings.env": `HOST=example.org\nDB_PASSWORD=${PASSWORD}\n`,
    "src/config.ts": `export const token = "${token}";\n`,
  });
  commit(dir, "oops, remove them", {
    "conf/settings.env": "HOST=example.org\n",
    "src/config.ts": "export const token = process.env.TOKEN;\n",
  });
  const head = commit(dir, "docs", { "README.md": "# app\n\nMore docs.\n" });
  return { dir, base, added, head, token };
}

/** What a reader of the summary sees: numeric character references decoded. */
const rendered = (text: string) => text.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

function sarifOf(text: string): Sarif.Log {
  const log = validateSarif(JSON.parse(text));
  checkGitHubConstraints(log);
  return log;
}

describe("the action's scan step (node dist/action/run.js)", () => {
  it("fails a pull request whose commits add a secret that a later commit removes", () => {
    const { dir, base, added, head, token } = pullRequestRepo();
    const r = runAction({
      workspace: dir,
      eventName: "pull_request",
      event: pullRequestEvent(base, head),
      inputs: { "upload-sarif": "true" },
    });
    expect(r.code, r.stdout).toBe(1);

    // SARIF: valid, GitHub-ready, redacted, both findings attributed to the commit that added them.
    const log = sarifOf(r.sarif);
    const results = log.runs[0]!.results!;
    expect(results.map((x) => x.locations![0]!.physicalLocation!.artifactLocation!.uri).sort()).toEqual([
      "conf/settings.env",
      "src/config.ts",
    ]);
    for (const result of results) expect(result.properties?.commit).toBe(added);
    for (const text of [r.sarif, r.stdout, r.stderr, r.summary]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(PASSWORD);
    }

    // Annotations: one ::error per finding, the most severe first, with position and title.
    const errors = r.stdout.split("\n").filter((l) => l.startsWith("::error "));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^::error file=src\/config\.ts,line=1,endLine=1,col=\d+,endColumn=\d+,title=leakgate%3A GitHub/);
    expect(errors[1]).toMatch(/^::error file=conf\/settings\.env,line=2,/);
    expect(errors[0]).toContain(`added in commit ${added.slice(0, 12)}`);
    // The full list sits in a group, with workflow commands stopped around the untrusted text.
    expect(r.stdout).toMatch(
      /::group::leakgate: 2 finding\(s\)\n::stop-commands::(\w+)\n[\s\S]*src\/config\.ts:1:\d+[\s\S]*\n::\1::\n::endgroup::/,
    );

    // Job summary and step outputs.
    expect(r.summary).toContain("## leakgate");
    expect(r.summary).toContain("| Severity | Rule | Location | Commit | Preview |");
    expect(r.summary).toContain(`https://github.com/octo-org/app/commit/${added}`);
    expect(r.summary).toMatch(/3 commit\(s\)/);
    expect(r.outputs).toMatchObject({
      findings: "2",
      "sarif-file": join(dir, "leakgate.sarif"),
      mode: "diff",
      "exit-code": "1",
      upload: "true",
      "upload-ref": "",
      "upload-sha": "",
      category: "leakgate/diff",
    });
  });

  it("passes a clean range with exit 0", () => {
    const dir = newRepo({ "README.md": "# app\n" });
    const base = commit(dir, "base");
    const head = commit(dir, "feature", { "src/a.ts": "export const a = process.env.API_TOKEN;\n" });
    const r = runAction({ workspace: dir, eventName: "pull_request", event: pullRequestEvent(base, head) });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).not.toMatch(/^::error/m);
    expect(r.summary).toContain("No secrets found");
    expect(r.outputs).toMatchObject({ findings: "0", "exit-code": "0", mode: "diff", upload: "false" });
    expect(validateSarif(JSON.parse(r.sarif)).runs[0]!.results).toEqual([]);
  });

  it("with the deferred exit, returns 0 and leaves the failure to the exit-code output", () => {
    const { dir, base, head } = pullRequestRepo();
    const r = runAction({
      workspace: dir,
      eventName: "pull_request",
      event: pullRequestEvent(base, head),
      env: { LEAKGATE_ACTION_DEFER_EXIT: "true" },
    });
    expect(r.code).toBe(0);
    expect(r.outputs["exit-code"]).toBe("1");
  });

  it("fail-on-findings: false reports without failing", () => {
    const { dir, base, head } = pullRequestRepo();
    const r = runAction({
      workspace: dir,
      eventName: "pull_request",
      event: pullRequestEvent(base, head),
      inputs: { "fail-on-findings": "false" },
    });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ findings: "2", "exit-code": "0" });
    expect(r.summary).toMatch(/not failing/);
  });

  it("skips the upload of a pull request from a fork, with a notice", () => {
    const { dir, base, head } = pullRequestRepo();
    const r = runAction({
      workspace: dir,
      eventName: "pull_request",
      event: pullRequestEvent(base, head, { fork: true }),
      inputs: { "upload-sarif": "true" },
    });
    expect(r.code).toBe(1);
    expect(r.outputs.upload).toBe("false");
    expect(r.stdout).toMatch(/^::notice title=leakgate::SARIF upload skipped: pull request #5 comes from a fork/m);
  });

  it("honours the baseline and the config", () => {
    const { dir, base, head } = pullRequestRepo();
    const first = runAction({ workspace: dir, eventName: "pull_request", event: pullRequestEvent(base, head) });
    const results = JSON.parse(first.sarif).runs[0].results as Sarif.Result[];
    const env = results.find((x) => x.locations![0]!.physicalLocation!.artifactLocation!.uri === "conf/settings.env")!;
    const baseline = {
      version: 1,
      findings: [{ fingerprint: env.partialFingerprints!["leakgate/v1"], ruleId: env.ruleId, path: "conf/settings.env", preview: "" }],
    };
    writeFileSync(join(dir, "ci-baseline.json"), JSON.stringify(baseline));
    writeFileSync(join(dir, "ci-leakgate.yaml"), "allowlist:\n  paths: ['src/config.ts']\n");
    const r = runAction({
      workspace: dir,
      eventName: "pull_request",
      event: pullRequestEvent(base, head),
      inputs: { baseline: "ci-baseline.json", config: "ci-leakgate.yaml" },
    });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.findings).toBe("0");
  });

  it("refuses passthrough args that would print secrets, before scanning", () => {
    const { dir, base, head } = pullRequestRepo();
    const r = runAction({
      workspace: dir,
      eventName: "pull_request",
      event: pullRequestEvent(base, head),
      inputs: { args: "--no-redact" },
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error title=leakgate::input args: --no-redact is not allowed here/m);
    expect(r.summary).toMatch(/The scan did not run/);
    expect(r.outputs["exit-code"]).toBe("2");
  });

  it("reports a leakgate error (a bad config) with exit 2", () => {
    const { dir, base, head } = pullRequestRepo();
    const r = runAction({
      workspace: dir,
      eventName: "pull_request",
      event: pullRequestEvent(base, head),
      inputs: { config: "missing.yaml" },
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error title=leakgate::leakgate diff failed \(exit 2\): .*missing\.yaml/m);
  });

  it("never reads a stale report when leakgate crashes (node exits 1 on an uncaught exception too)", () => {
    const { dir, base, head } = pullRequestRepo();
    const stale = runAction({ workspace: dir, eventName: "pull_request", event: pullRequestEvent(base, head) });
    expect(stale.outputs.findings).toBe("2"); // leaves leakgate.sarif behind
    const crashing = join(tempDir(), "crashing-cli.mjs");
    writeFileSync(crashing, 'throw new TypeError("boom");\n');
    const r = runAction({
      workspace: dir,
      eventName: "pull_request",
      event: pullRequestEvent(base, head),
      env: { LEAKGATE_CLI: crashing },
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error title=leakgate::leakgate diff failed \(exit 1\): TypeError: boom \(no SARIF report was written\)$/m);
    expect(r.outputs["exit-code"]).toBe("2");
  });

  it("runs a CLI given as an installed package directory (the `version` input's path)", () => {
    const { dir, base, head } = pullRequestRepo();
    const r = runAction({ workspace: dir, eventName: "pull_request", event: pullRequestEvent(base, head), env: { LEAKGATE_CLI: ROOT } });
    expect(r.code).toBe(1);
    expect(r.outputs.findings).toBe("2");
  });
});

describe("shallow checkouts", () => {
  function shallowPullRequest() {
    const { dir: source, base, added, head, token } = pullRequestRepo();
    git(source, "checkout", "-q", "main");
    for (let i = 0; i < 5; i++) commit(source, `main ${i}`, { [`m${i}.txt`]: `${i}\n` });
    const origin = bareOrigin(source);
    return { origin, base, added, head, token };
  }

  it("fetches the pull request's commits and deepens until the range is complete", () => {
    const { origin, base, added, head } = shallowPullRequest();
    const ws = checkout(origin, "main", 1);
    expect(git(ws, "rev-parse", "--is-shallow-repository").trim()).toBe("true");
    const r = runAction({ workspace: ws, eventName: "pull_request", event: pullRequestEvent(base, head) });
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toContain(`leakgate: git fetch --no-tags --quiet --no-recurse-submodules --depth=1 origin ${base} ${head}`);
    expect(r.stdout).toMatch(/--deepen=50/);
    const results = JSON.parse(r.sarif).runs[0].results as Sarif.Result[];
    expect(results).toHaveLength(2);
    expect(results.every((x) => x.properties?.commit === added)).toBe(true);
  });

  it("fails with a message naming fetch-depth: 0 when the history cannot be fetched", () => {
    const { origin, base, head } = shallowPullRequest();
    const ws = checkout(origin, "main", 1);
    git(ws, "remote", "set-url", "origin", join(ws, "no-such-remote.git"));
    const r = runAction({ workspace: ws, eventName: "pull_request", event: pullRequestEvent(base, head) });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /^::error title=leakgate::commit [0-9a-f]{40} is not in this checkout and could not be fetched from origin: set `fetch-depth: 0`/m,
    );
  });

  it("unshallows the clone for a history scan", () => {
    const { origin } = shallowPullRequest();
    const ws = checkout(origin, "feature", 1);
    const r = runAction({ workspace: ws, eventName: "schedule", event: { schedule: "17 3 * * *" } });
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/--unshallow/);
    expect(r.outputs).toMatchObject({ mode: "history", findings: "2" });
  });
});

describe("pushes", () => {
  /** main holds an old secret; `feature` is pushed as a new branch with a new one. */
  function newBranch() {
    const source = newRepo({ "README.md": "# app\n" });
    commit(source, "old secret on main", { "old.env": `DB_PASSWORD=${PASSWORD}old\n` });
    commit(source, "remove it", {}, ["old.env"]);
    git(source, "checkout", "-q", "-b", "feature");
    const added = commit(source, "feature secret", { "new.env": `DB_PASSWORD=${PASSWORD}new\n` });
    const head = commit(source, "more work", { "b.txt": "b\n" });
    return { source, added, head };
  }

  it("scans only the commits of a new branch that no other remote branch holds", () => {
    const { source, added, head } = newBranch();
    const ws = checkout(bareOrigin(source), "feature");
    const r = runAction({ workspace: ws, eventName: "push", event: pushEvent("refs/heads/feature", NULL_SHA, head) });
    expect(r.code, r.stdout).toBe(1);
    const results = JSON.parse(r.sarif).runs[0].results as Sarif.Result[];
    expect(results.map((x) => [x.locations![0]!.physicalLocation!.artifactLocation!.uri, x.properties?.commit])).toEqual([
      ["new.env", added],
    ]);
    expect(r.summary).toMatch(/new branch/);
  });

  it("falls back to the payload's commits in a shallow checkout of a new branch", () => {
    const { source, added, head } = newBranch();
    const ws = checkout(bareOrigin(source), "feature", 1);
    const r = runAction({
      workspace: ws,
      eventName: "push",
      event: pushEvent("refs/heads/feature", NULL_SHA, head, { commits: [{ id: added }, { id: head }] }),
    });
    expect(r.code, r.stdout).toBe(1);
    const results = JSON.parse(r.sarif).runs[0].results as Sarif.Result[];
    expect(results.map((x) => x.locations![0]!.physicalLocation!.artifactLocation!.uri)).toEqual(["new.env"]);
  });

  it("scans nothing for a new tag on commits other branches already hold", () => {
    const { source, head } = newBranch();
    const ws = checkout(bareOrigin(source), "feature");
    const r = runAction({ workspace: ws, eventName: "push", event: pushEvent("refs/tags/v1", NULL_SHA, head) });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs).toMatchObject({ mode: "none", findings: "0" });
    expect(r.stdout).toMatch(/nothing to scan: every commit of/);
    validateSarif(JSON.parse(r.sarif));
  });

  it("scans a force push from the merge base of the old and new tips", () => {
    const source = newRepo({ "README.md": "# app\n" });
    const base = commit(source, "base");
    git(source, "checkout", "-q", "-b", "feature");
    const oldTip = commit(source, "old attempt", { "old.env": `DB_PASSWORD=${PASSWORD}old\n` });
    const origin = bareOrigin(source);
    git(source, "reset", "-q", "--hard", base);
    const added = commit(source, "new attempt", { "new.env": `DB_PASSWORD=${PASSWORD}new\n` });
    git(source, "push", "-q", "--force", origin, "feature");
    const ws = checkout(origin, "feature");
    expect(spawnSync("git", ["cat-file", "-e", oldTip], { cwd: ws }).status).not.toBe(0); // not in the fresh clone

    const forced = runAction({ workspace: ws, eventName: "push", event: pushEvent("refs/heads/feature", oldTip, added, { forced: true }) });
    expect(forced.code, forced.stdout).toBe(1);
    expect(forced.stdout).toContain(`git fetch --no-tags --quiet --no-recurse-submodules origin ${oldTip}`);
    const results = JSON.parse(forced.sarif).runs[0].results as Sarif.Result[];
    expect(results.map((x) => [x.locations![0]!.physicalLocation!.artifactLocation!.uri, x.properties?.commit])).toEqual([
      ["new.env", added],
    ]);

    // The old tip gone for good: the commits no other branch holds.
    const gone = "feedfacefeedfacefeedfacefeedfacefeedface";
    const r = runAction({ workspace: ws, eventName: "push", event: pushEvent("refs/heads/feature", gone, added, { forced: true }) });
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/::notice title=leakgate::the previous tip feedfacefeed is gone/);
    expect((JSON.parse(r.sarif).runs[0].results as Sarif.Result[]).map((x) => x.properties?.commit)).toEqual([added]);
  });

  it("scans before..after of a plain push", () => {
    const source = newRepo({ "README.md": "# app\n" });
    const before = commit(source, "base", { "old.env": `DB_PASSWORD=${PASSWORD}old\n` });
    const after = commit(source, "clean change", { "a.txt": "a\n" });
    const r = runAction({ workspace: source, eventName: "push", event: pushEvent("refs/heads/main", before, after) });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs).toMatchObject({ mode: "diff", findings: "0" });
  });
});

describe("history", () => {
  it("scans the whole history on schedule, and for mode: history", () => {
    const dir = newRepo({ "README.md": "# app\n" });
    commit(dir, "secret", { "conf/a.env": `DB_PASSWORD=${PASSWORD}\n` });
    commit(dir, "remove it", {}, ["conf/a.env"]);
    const scheduled = runAction({ workspace: dir, eventName: "schedule", event: { schedule: "17 3 * * *" } });
    expect(scheduled.code, scheduled.stdout).toBe(1);
    expect(scheduled.outputs).toMatchObject({ mode: "history", findings: "1", category: "leakgate/history" });
    expect(rendered(scheduled.summary)).toMatch(/1 secret\(s\) found\*\* in full history \(schedule\)/);
    sarifOf(scheduled.sarif);
    const head = git(dir, "rev-parse", "HEAD").trim();
    const forced = runAction({
      workspace: dir,
      eventName: "pull_request",
      event: pullRequestEvent(head, head),
      inputs: { mode: "history" },
    });
    expect(forced.outputs).toMatchObject({ mode: "history", findings: "1" });
  });
});
