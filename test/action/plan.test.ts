import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkPassthroughArgs,
  cliArguments,
  InputError,
  type NewRefTarget,
  otherBranchRefs,
  type PlanContext,
  planAction,
  readInputs,
  resolveNewRef,
  safeRefName,
  splitArgs,
  targetMode,
} from "../../src/action/plan.js";

/** A payload from test/action/fixtures (shaped like GitHub's documented webhook payloads). */
function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8"));
}

function plan(eventName: string, event: unknown, extra: Partial<PlanContext> = {}) {
  return planAction({ eventName, event, inputs: { mode: "auto", uploadSarif: true }, ...extra });
}

const BASE = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
const PR_HEAD = "9f3c1d2e4b5a6978812233445566778899aabbcc";

describe("planAction: pull requests", () => {
  it("scans every commit of base.sha..head.sha of a pull_request", () => {
    const p = plan("pull_request", fixture("pull_request.synchronize"));
    expect(p.target).toEqual({
      kind: "range",
      base: BASE,
      head: PR_HEAD,
      threeDot: false,
      fetchRefs: ["refs/pull/42/head", "refs/heads/main"],
    });
    expect(p.description).toBe("pull request #42 (1a2b3c4d5e6f..9f3c1d2e4b5a)");
    expect(p.upload).toEqual({ enabled: true });
    expect(targetMode(p.target)).toBe("diff");
  });

  it("skips the upload, with the reason, for a pull request from a fork", () => {
    const p = plan("pull_request", fixture("pull_request.fork"));
    expect(p.target).toMatchObject({ kind: "range", base: BASE, head: "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12" });
    expect(p.upload.enabled).toBe(false);
    expect(p.upload.skipped).toMatch(/fork \(contributor\/app\)/);
  });

  it("treats a deleted fork (head.repo null) as a fork", () => {
    const event = fixture("pull_request.fork");
    (event.pull_request as { head: { repo: unknown } }).head.repo = null;
    const p = plan("pull_request", event);
    expect(p.upload.enabled).toBe(false);
    expect(p.upload.skipped).toMatch(/deleted repository/);
  });

  it("files pull_request_target results under the pull request, not the base branch", () => {
    const p = plan("pull_request_target", fixture("pull_request.synchronize"));
    expect(p.target).toMatchObject({ kind: "range", base: BASE, head: PR_HEAD });
    expect(p.upload).toEqual({ enabled: true, ref: "refs/pull/42/head", sha: PR_HEAD });
    expect(plan("pull_request_target", fixture("pull_request.fork")).upload.enabled).toBe(false);
  });

  it("does not upload when the input is off, and Dependabot's read-only runs skip it with a reason", () => {
    const off = planAction({
      eventName: "pull_request",
      event: fixture("pull_request.synchronize"),
      inputs: { mode: "auto", uploadSarif: false },
    });
    expect(off.upload).toEqual({ enabled: false });
    const bot = plan("pull_request", fixture("pull_request.synchronize"), { actor: "dependabot[bot]" });
    expect(bot.upload.enabled).toBe(false);
    expect(bot.upload.skipped).toMatch(/Dependabot/);
  });

  it("refuses a payload whose shas are missing or not object ids (never handed to git)", () => {
    const event = fixture("pull_request.synchronize");
    (event.pull_request as { base: { sha: string } }).base.sha = "--upload-pack=touch /tmp/x";
    expect(() => plan("pull_request", event)).toThrow(InputError);
    expect(() => plan("pull_request", event)).toThrow(/pull_request\.base\.sha/);
    expect(() => plan("pull_request", {})).toThrow(/without a pull_request/);
  });

  it("drops a base ref that is not a safe ref name from the fetch fallbacks", () => {
    const event = fixture("pull_request.synchronize");
    (event.pull_request as { base: { ref: string } }).base.ref = "-oops";
    expect(plan("pull_request", event).target).toMatchObject({ fetchRefs: ["refs/pull/42/head"] });
  });
});

describe("planAction: pushes", () => {
  it("scans before..after of a plain push, falling back to the new-branch logic if before is gone", () => {
    const p = plan("push", fixture("push"));
    expect(p.target).toEqual({
      kind: "range",
      base: BASE,
      head: "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00",
      threeDot: false,
      fetchRefs: [],
      ifBaseMissing: {
        kind: "new-ref",
        head: "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00",
        branch: "main",
        payloadCommits: ["b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0", "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00"],
      },
    });
    expect(p.description).toBe("push to main (1a2b3c4d5e6f..c0ffee00c0ff)");
  });

  it("scans a force push from the merge base (before...after)", () => {
    const p = plan("push", fixture("push.forced"));
    expect(p.target).toMatchObject({
      kind: "range",
      base: "d00dd00dd00dd00dd00dd00dd00dd00dd00dd00d",
      head: "f00df00df00df00df00df00df00df00df00df00d",
      threeDot: true,
      ifBaseMissing: { kind: "new-ref", branch: "feature/login" },
    });
    expect(p.description).toMatch(/^force-push to feature\/login \(d00dd00dd00d\.\.\.f00df00df00d\)$/);
  });

  it("hands a new branch (all-zero before) to the new-ref logic with the payload's commits", () => {
    const p = plan("push", fixture("push.new-branch"));
    expect(p.target).toEqual({
      kind: "new-ref",
      head: "d00dd00dd00dd00dd00dd00dd00dd00dd00dd00d",
      branch: "feature/login",
      payloadCommits: ["a11ce00000000000000000000000000000000001", "d00dd00dd00dd00dd00dd00dd00dd00dd00dd00d"],
    });
    expect(p.description).toMatch(/new branch/);
  });

  it("treats a new tag as a new ref with no branch of its own", () => {
    const p = plan("push", fixture("push.tag"));
    expect(p.target).toMatchObject({ kind: "new-ref", branch: "", payloadCommits: [] });
    expect(p.description).toMatch(/^push to tag v1\.2\.0/);
  });

  it("scans nothing when a branch is deleted", () => {
    const p = plan("push", fixture("push.deleted"));
    expect(p.target).toEqual({ kind: "none", reason: "refs/heads/feature/login was deleted: nothing new to scan" });
    expect(targetMode(p.target)).toBe("none");
  });

  it("notes a payload at GitHub's commit-list limit", () => {
    const event = fixture("push");
    event.commits = Array.from({ length: 2048 }, (_, i) => ({ id: i.toString(16).padStart(40, "0") }));
    expect(plan("push", event).notices).toEqual(["the push payload lists only its first 2048 commits"]);
  });
});

describe("planAction: merge queue, schedule, dispatch, others", () => {
  it("scans base_sha..head_sha of a merge group", () => {
    const p = plan("merge_group", fixture("merge_group"));
    expect(p.target).toEqual({
      kind: "range",
      base: BASE,
      head: "e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9",
      threeDot: false,
      fetchRefs: ["refs/heads/gh-readonly-queue/main/pr-42-1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"],
    });
  });

  it("scans the full history on schedule and workflow_dispatch", () => {
    for (const name of ["schedule", "workflow_dispatch"]) {
      const p = plan(name, fixture(name));
      expect(p.target).toEqual({ kind: "history", revisions: [] });
      expect(targetMode(p.target)).toBe("history");
    }
  });

  it("mode: history forces a history scan whatever the event", () => {
    const p = planAction({
      eventName: "pull_request",
      event: fixture("pull_request.synchronize"),
      inputs: { mode: "history", uploadSarif: false },
    });
    expect(p.target).toEqual({ kind: "history", revisions: [] });
    expect(p.description).toBe("full history (mode: history)");
  });

  it("scans the history of an event without a range, and says so", () => {
    const p = plan("release", { action: "published" });
    expect(p.target).toEqual({ kind: "history", revisions: [] });
    expect(p.notices[0]).toMatch(/release event names no commit range/);
  });
});

describe("resolveNewRef", () => {
  const target: NewRefTarget = {
    kind: "new-ref",
    head: "d00dd00dd00dd00dd00dd00dd00dd00dd00dd00d",
    branch: "feature/login",
    payloadCommits: ["a11ce00000000000000000000000000000000001"],
  };
  const fork = "5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed";

  it("scans from where the branch forks off the other remote branches", () => {
    const r = resolveNewRef(target, { shallow: false, otherRefs: ["refs/remotes/origin/main"], newCommits: 2, boundaries: [fork] });
    expect(r).toEqual({ target: { kind: "range", base: fork, head: target.head, threeDot: false, fetchRefs: [] }, notices: [] });
  });

  it("scans nothing when other branches already hold every commit", () => {
    const r = resolveNewRef(target, { shallow: false, otherRefs: ["refs/remotes/origin/main"], newCommits: 0, boundaries: [] });
    expect(r.target).toMatchObject({ kind: "none" });
  });

  it("scans all of an orphan branch", () => {
    const r = resolveNewRef(target, { shallow: false, otherRefs: ["refs/remotes/origin/main"], newCommits: 3, boundaries: [] });
    expect(r.target).toEqual({ kind: "history", revisions: [target.head] });
  });

  it("starts at the newest of several fork points, and says it may scan more", () => {
    const r = resolveNewRef(target, {
      shallow: false,
      otherRefs: ["refs/remotes/origin/main", "refs/remotes/origin/dev"],
      newCommits: 4,
      boundaries: [fork, BASE],
    });
    expect(r.target).toMatchObject({ kind: "range", base: fork });
    expect(r.notices[0]).toMatch(/2 unrelated points/);
  });

  it("falls back to the payload's commits in a shallow checkout", () => {
    const parent = "7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a";
    const r = resolveNewRef(target, { shallow: true, otherRefs: [], firstPayloadParent: parent });
    expect(r.target).toEqual({ kind: "range", base: parent, head: target.head, threeDot: false, fetchRefs: [] });
    // The oldest payload commit is a root: everything is new.
    expect(resolveNewRef(target, { shallow: true, otherRefs: [], firstPayloadParent: null }).target).toEqual({
      kind: "history",
      revisions: [target.head],
    });
  });

  it("falls back to the payload when a full clone has no other branch fetched, else scans everything", () => {
    const parent = "7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a";
    const r = resolveNewRef(target, { shallow: false, otherRefs: [], firstPayloadParent: parent });
    expect(r.target).toMatchObject({ kind: "range", base: parent });
    expect(r.notices[0]).toMatch(/push payload/);
    expect(resolveNewRef({ ...target, payloadCommits: [] }, { shallow: false, otherRefs: [] }).target).toEqual({
      kind: "history",
      revisions: [target.head],
    });
  });

  it("says to set fetch-depth: 0 when a shallow checkout has nothing to go on", () => {
    const r = resolveNewRef({ ...target, payloadCommits: [] }, { shallow: true, otherRefs: [] });
    expect(r.target).toMatchObject({ kind: "none" });
    expect(r.notices.join(" ")).toMatch(/fetch-depth: 0/);
  });
});

describe("otherBranchRefs", () => {
  it("leaves out the pushed branch on every remote and the HEAD aliases", () => {
    const refs = [
      "refs/remotes/origin/HEAD",
      "refs/remotes/origin/main",
      "refs/remotes/origin/feature/login",
      "refs/remotes/origin/feature/login-v2",
      "refs/remotes/upstream/feature/login",
      "refs/remotes/upstream/dev",
    ];
    expect(otherBranchRefs(refs, ["origin", "upstream"], "feature/login")).toEqual([
      "refs/remotes/origin/main",
      "refs/remotes/origin/feature/login-v2",
      "refs/remotes/upstream/dev",
    ]);
    // A tag has no branch of its own: every branch counts.
    expect(otherBranchRefs(refs, ["origin", "upstream"], "")).toHaveLength(5);
  });
});

describe("inputs and the command line", () => {
  it("reads the documented defaults", () => {
    expect(readInputs({})).toEqual({
      mode: "auto",
      sarifFile: "leakgate.sarif",
      config: "",
      baseline: "",
      args: [],
      failOnFindings: true,
      uploadSarif: false,
      workingDirectory: ".",
    });
  });

  it("reads every input and refuses bad values", () => {
    const inputs = readInputs({
      INPUT_MODE: "History",
      INPUT_SARIF_FILE: "out/scan.sarif",
      INPUT_CONFIG: ".github/leakgate.yaml",
      INPUT_BASELINE: "ci/baseline.json",
      INPUT_ARGS: "--max-file-size 5MB\n--no-decode",
      INPUT_FAIL_ON_FINDINGS: "false",
      INPUT_UPLOAD_SARIF: "TRUE",
      INPUT_WORKING_DIRECTORY: "repo",
    });
    expect(inputs).toEqual({
      mode: "history",
      sarifFile: "out/scan.sarif",
      config: ".github/leakgate.yaml",
      baseline: "ci/baseline.json",
      args: ["--max-file-size", "5MB", "--no-decode"],
      failOnFindings: false,
      uploadSarif: true,
      workingDirectory: "repo",
    });
    expect(() => readInputs({ INPUT_MODE: "diff" })).toThrow(/mode must be auto or history/);
    expect(() => readInputs({ INPUT_FAIL_ON_FINDINGS: "yes" })).toThrow(/fail-on-findings must be true or false/);
  });

  it("splits args like a shell, without expanding anything", () => {
    expect(splitArgs(` -c 'my config.yaml'  --max-file-size "5 MB" a\\ b "q\\"x" '$HOME' `)).toEqual([
      "-c",
      "my config.yaml",
      "--max-file-size",
      "5 MB",
      "a b",
      'q"x',
      "$HOME",
    ]);
    expect(splitArgs("")).toEqual([]);
    expect(splitArgs("''")).toEqual([""]);
    expect(() => splitArgs("--x 'open")).toThrow(/unterminated/);
  });

  it("refuses passthrough args that change the report, its redaction or the exit code", () => {
    for (const bad of [
      ["--no-redact"],
      ["-f", "json"],
      ["--format=json"],
      ["-o", "x"],
      ["--output", "x"],
      ["-vf", "json"],
      ["-ojson"],
      ["--exit-zero"],
    ]) {
      expect(() => checkPassthroughArgs(bad), bad.join(" ")).toThrow(InputError);
    }
    for (const good of [["--no-decode"], ["-c", "cfg.yaml"], ["-cfoo.yaml"], ["-v"], ["--squash"], ["--max-file-size", "1MB"]]) {
      expect(() => checkPassthroughArgs(good), good.join(" ")).not.toThrow();
    }
  });

  it("builds the diff and history command lines", () => {
    const sarifPath = "/ws/leakgate.sarif";
    expect(
      cliArguments({ kind: "range", base: "a".repeat(40), head: "b".repeat(40), threeDot: false, fetchRefs: [] }, { sarifPath }),
    ).toEqual(["diff", `${"a".repeat(40)}..${"b".repeat(40)}`, "--format", "sarif", "--output", sarifPath]);
    expect(
      cliArguments(
        { kind: "range", base: "a".repeat(40), head: "b".repeat(40), threeDot: true, fetchRefs: [] },
        { sarifPath, config: "c.yaml", baseline: "b.json", extraArgs: ["--no-decode"] },
      ),
    ).toEqual([
      "diff",
      `${"a".repeat(40)}...${"b".repeat(40)}`,
      "--format",
      "sarif",
      "--output",
      sarifPath,
      "--config",
      "c.yaml",
      "--baseline",
      "b.json",
      "--no-decode",
    ]);
    expect(cliArguments({ kind: "history", revisions: [] }, { sarifPath })).toEqual([
      "history",
      "--all",
      "--format",
      "sarif",
      "--output",
      sarifPath,
    ]);
    expect(cliArguments({ kind: "history", revisions: ["c".repeat(40)] }, { sarifPath }).slice(0, 2)).toEqual(["history", "c".repeat(40)]);
  });

  it("accepts only plain ref names", () => {
    expect(safeRefName("feature/login")).toBe("feature/login");
    for (const bad of ["-x", "a..b", "a b", "a~1", "a^", "a:b", "x.lock", "a@{1}", "", undefined]) expect(safeRefName(bad)).toBeUndefined();
  });
});
