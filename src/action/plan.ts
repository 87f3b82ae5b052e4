/**
 * The GitHub Action's decisions, as pure functions: which commits an event brings in, how to read the
 * action's inputs, whether the SARIF can be uploaded, and the leakgate command line that scans them.
 * Nothing here touches git, the file system or the network (see `git.ts` and `runner.ts` for that),
 * so every event shape is unit-tested from its payload alone.
 */

/** A git object id (SHA-1 or SHA-256). Payload values are checked against it before git sees them. */
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const NULL_SHA = /^0+$/;

/** Where GitHub cuts the `commits` list of a push payload. */
export const PUSH_PAYLOAD_COMMIT_LIMIT = 2048;

export class InputError extends Error {}

export type ScanMode = "auto" | "history";

export interface ActionInputs {
  mode: ScanMode;
  /** Path of the SARIF report, relative to the workspace. */
  sarifFile: string;
  /** `-c` for leakgate ("" = the repository's `.leakgate.yaml`). */
  config: string;
  /** `-b` for leakgate ("" = the repository's `.leakgate-baseline.json` when present). */
  baseline: string;
  /** Extra leakgate arguments, already split. */
  args: string[];
  failOnFindings: boolean;
  uploadSarif: boolean;
  /** The repository to scan, relative to the workspace. */
  workingDirectory: string;
}

/** A branch push whose `before` is unknown (new branch) or gone (force push): see `resolveNewRef`. */
export interface NewRefTarget {
  kind: "new-ref";
  head: string;
  /** The pushed ref without `refs/heads/` (its remote-tracking copies are not "other branches"); "" for a tag. */
  branch: string;
  /** `commits[].id` of the push payload, oldest first. */
  payloadCommits: string[];
}

/** Every commit in `base..head` (or `base...head`: since the merge base), each commit's added lines. */
export interface RangeTarget {
  kind: "range";
  base: string;
  head: string;
  threeDot: boolean;
  /** Refs that hold the two commits when fetching them by id fails (e.g. `refs/pull/12/head`). */
  fetchRefs: string[];
  /** What to scan instead when `base` cannot be fetched (a force-pushed-away commit). */
  ifBaseMissing?: NewRefTarget;
}

/** Every unique blob reachable from `revisions` (none: every ref). */
export interface HistoryTarget {
  kind: "history";
  revisions: string[];
}

export interface NoScanTarget {
  kind: "none";
  reason: string;
}

export type ScanTarget = RangeTarget | NewRefTarget | HistoryTarget | NoScanTarget;
/** A target the leakgate CLI can run. */
export type RunnableTarget = RangeTarget | HistoryTarget;

export interface UploadPlan {
  enabled: boolean;
  /** Why an upload that was asked for is skipped (printed as a notice). */
  skipped?: string;
  /** `ref` / `sha` for upload-sarif when GITHUB_REF / GITHUB_SHA would name the wrong commit. */
  ref?: string;
  sha?: string;
}

export interface Plan {
  event: string;
  /** One line for the log and the job summary: "pull request #12", "push to main". */
  description: string;
  target: ScanTarget;
  upload: UploadPlan;
  notices: string[];
}

// ---------------------------------------------------------------------------------------------------
// Inputs

function parseBoolean(raw: string | undefined, name: string, fallback: boolean): boolean {
  const value = (raw ?? "").trim().toLowerCase();
  if (value === "") return fallback;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new InputError(`input ${name} must be true or false, got "${raw}"`);
}

/**
 * Splits the `args` input like a shell would split words: whitespace (newlines included) separates,
 * single quotes keep everything literally, double quotes allow `\"` and `\\`. Nothing is expanded.
 */
export function splitArgs(raw: string): string[] {
  const out: string[] = [];
  let current = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else current += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === "\\" && (raw[i + 1] === '"' || raw[i + 1] === "\\")) current += raw[++i];
      else current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(current);
      current = "";
      inWord = false;
    } else if (ch === "\\" && i + 1 < raw.length) {
      current += raw[++i];
      inWord = true;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) throw new InputError(`input args: unterminated ${quote} quote`);
  if (inWord) out.push(current);
  return out;
}

/** Options the action sets itself (the report it parses) or that would defeat its promises. */
const RESERVED: Readonly<Record<string, string>> = {
  "--format": "the action writes SARIF itself (input sarif-file)",
  "--output": "the action writes SARIF itself (input sarif-file)",
  "--no-redact": "annotations, the job summary and the SARIF upload never carry a secret",
  "--exit-zero": "use the input fail-on-findings: false",
};

/** Rejects passthrough arguments that would change the report format, its redaction or the exit code. */
export function checkPassthroughArgs(args: readonly string[]): void {
  for (const arg of args) {
    if (arg === "--") break;
    const long = arg.startsWith("--") ? arg.split("=", 1)[0]! : undefined;
    let why = long !== undefined ? RESERVED[long] : undefined;
    // Short options: -f / -o, alone, with a glued value (-fjson) or in a group (-vf).
    if (!long && /^-[A-Za-z]/.test(arg)) {
      const letters = arg.slice(1);
      const firstValueTaking = letters.search(/[fobc]/);
      const flag = firstValueTaking === -1 ? "" : letters[firstValueTaking];
      if (flag === "f" || flag === "o") why = RESERVED[flag === "f" ? "--format" : "--output"];
    }
    if (why) throw new InputError(`input args: ${arg} is not allowed here: ${why}`);
  }
}

/** The action's inputs, from the `INPUT_*` variables `action.yml` sets. */
export function readInputs(env: Readonly<Record<string, string | undefined>>): ActionInputs {
  const mode = (env.INPUT_MODE ?? "").trim().toLowerCase() || "auto";
  if (mode !== "auto" && mode !== "history") throw new InputError(`input mode must be auto or history, got "${env.INPUT_MODE}"`);
  const args = splitArgs(env.INPUT_ARGS ?? "");
  checkPassthroughArgs(args);
  const sarifFile = (env.INPUT_SARIF_FILE ?? "").trim() || "leakgate.sarif";
  return {
    mode,
    sarifFile,
    config: (env.INPUT_CONFIG ?? "").trim(),
    baseline: (env.INPUT_BASELINE ?? "").trim(),
    args,
    failOnFindings: parseBoolean(env.INPUT_FAIL_ON_FINDINGS, "fail-on-findings", true),
    uploadSarif: parseBoolean(env.INPUT_UPLOAD_SARIF, "upload-sarif", false),
    workingDirectory: (env.INPUT_WORKING_DIRECTORY ?? "").trim() || ".",
  };
}

// ---------------------------------------------------------------------------------------------------
// Payload access: every field is untrusted and may be missing.

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function isNull(sha: string): boolean {
  return NULL_SHA.test(sha);
}

/** A commit id from the payload, lower-cased and checked, or an error naming the field. */
function sha(value: unknown, field: string): string {
  const text = str(value)?.trim().toLowerCase();
  if (!text || !SHA.test(text)) {
    throw new InputError(`the event payload has no valid ${field} (got ${text ? JSON.stringify(text.slice(0, 80)) : "nothing"})`);
  }
  return text;
}

/** A ref name safe to hand to git as a refspec source: no option-like, space or wildcard forms. */
export function safeRefName(name: string | undefined): string | undefined {
  if (!name || name.startsWith("-") || name.includes("..") || name.includes("@{") || name.endsWith(".lock")) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  return /^[^\u0000-\u0020\u007f~^:?*[\\]+$/.test(name) ? name : undefined;
}

const short = (s: string) => s.slice(0, 12);

function repoName(repo: unknown): string | undefined {
  const r = obj(repo);
  return str(r?.full_name) ?? (typeof r?.id === "number" ? String(r.id) : undefined);
}

// ---------------------------------------------------------------------------------------------------
// Events

export interface PlanContext {
  eventName: string;
  /** The parsed `GITHUB_EVENT_PATH` document. */
  event: unknown;
  inputs: Pick<ActionInputs, "mode" | "uploadSarif">;
  /** GITHUB_ACTOR: Dependabot's runs get a read-only token. */
  actor?: string;
}

interface EventPlan {
  description: string;
  target: ScanTarget;
  notices?: string[];
  upload?: Omit<UploadPlan, "enabled">;
}

const PULL_REQUEST_EVENTS = new Set(["pull_request", "pull_request_target"]);

function planPullRequest(eventName: string, event: Json): EventPlan {
  const pr = obj(event.pull_request);
  if (!pr) throw new InputError(`${eventName} event without a pull_request object`);
  const number = typeof pr.number === "number" ? pr.number : typeof event.number === "number" ? event.number : undefined;
  const base = obj(pr.base);
  const head = obj(pr.head);
  const baseSha = sha(base?.sha, "pull_request.base.sha");
  const headSha = sha(head?.sha, "pull_request.head.sha");
  const fetchRefs: string[] = [];
  if (number !== undefined && Number.isInteger(number) && number > 0) fetchRefs.push(`refs/pull/${number}/head`);
  const baseRef = safeRefName(str(base?.ref));
  if (baseRef) fetchRefs.push(`refs/heads/${baseRef}`);

  const headRepo = repoName(head?.repo);
  const baseRepo = repoName(base?.repo);
  // A deleted fork has `head.repo: null`: still a fork.
  const fork = head?.repo === null || (headRepo !== undefined && baseRepo !== undefined && headRepo !== baseRepo);
  const label = number !== undefined ? `pull request #${number}` : "pull request";
  const plan: EventPlan = {
    description: `${label} (${short(baseSha)}..${short(headSha)})`,
    target: { kind: "range", base: baseSha, head: headSha, threeDot: false, fetchRefs },
  };
  if (fork) {
    plan.upload = { skipped: `${label} comes from a fork (${headRepo ?? "deleted repository"}): its token cannot write security events` };
  } else if (eventName === "pull_request_target" && number !== undefined) {
    // GITHUB_REF / GITHUB_SHA name the base branch here: file the alerts under the pull request instead.
    plan.upload = { ref: `refs/pull/${number}/head`, sha: headSha };
  }
  return plan;
}

function planPush(event: Json): EventPlan {
  const ref = str(event.ref) ?? "";
  const isTag = ref.startsWith("refs/tags/");
  const name = ref.replace(/^refs\/(?:heads|tags)\//, "");
  const label = `push to ${isTag ? "tag " : ""}${name || "an unknown ref"}`;
  const before = str(event.before)?.trim().toLowerCase() ?? "";
  const afterRaw = str(event.after)?.trim().toLowerCase() ?? "";
  if (event.deleted === true || (afterRaw !== "" && isNull(afterRaw))) {
    return { description: label, target: { kind: "none", reason: `${ref || "the ref"} was deleted: nothing new to scan` } };
  }
  const after = sha(event.after, "after");
  const commits = Array.isArray(event.commits) ? event.commits : [];
  const payloadCommits = commits.map((c) => str(obj(c)?.id)?.toLowerCase()).filter((id): id is string => id !== undefined && SHA.test(id));
  const notices: string[] = [];
  if (commits.length >= PUSH_PAYLOAD_COMMIT_LIMIT) {
    notices.push(`the push payload lists only its first ${PUSH_PAYLOAD_COMMIT_LIMIT} commits`);
  }
  const newRef: NewRefTarget = {
    kind: "new-ref",
    head: after,
    branch: isTag ? "" : (safeRefName(name) ?? ""),
    payloadCommits,
  };

  if (before === "" || isNull(before) || event.created === true) {
    return { description: `${label} (new ${isTag ? "tag" : "branch"} at ${short(after)})`, target: newRef, notices };
  }
  const base = sha(event.before, "before");
  const forced = event.forced === true;
  return {
    description: `${forced ? "force-" : ""}${label} (${short(base)}${forced ? "..." : ".."}${short(after)})`,
    // A force push's `before` may not be an ancestor of `after`: scan what `after` adds since their merge base.
    target: { kind: "range", base, head: after, threeDot: forced, fetchRefs: [], ifBaseMissing: newRef },
    notices,
  };
}

function planMergeGroup(event: Json): EventPlan {
  const group = obj(event.merge_group);
  if (!group) throw new InputError("merge_group event without a merge_group object");
  const base = sha(group.base_sha, "merge_group.base_sha");
  const head = sha(group.head_sha, "merge_group.head_sha");
  const headRef = safeRefName(str(group.head_ref));
  return {
    description: `merge queue (${short(base)}..${short(head)})`,
    target: { kind: "range", base, head, threeDot: false, fetchRefs: headRef ? [headRef] : [] },
  };
}

const HISTORY: HistoryTarget = { kind: "history", revisions: [] };

/** Event → what to scan, and whether the SARIF may be uploaded. */
export function planAction(context: PlanContext): Plan {
  const eventName = context.eventName.trim();
  const event = obj(context.event) ?? {};
  let plan: EventPlan;
  if (context.inputs.mode === "history") {
    plan = { description: "full history (mode: history)", target: HISTORY };
  } else if (PULL_REQUEST_EVENTS.has(eventName)) {
    plan = planPullRequest(eventName, event);
  } else if (eventName === "push") {
    plan = planPush(event);
  } else if (eventName === "merge_group") {
    plan = planMergeGroup(event);
  } else if (eventName === "schedule" || eventName === "workflow_dispatch") {
    plan = { description: `full history (${eventName})`, target: HISTORY };
  } else {
    plan = {
      description: `full history (${eventName || "no event"})`,
      target: HISTORY,
      notices: [`the ${eventName || "unknown"} event names no commit range: scanning the whole history`],
    };
  }

  const upload: UploadPlan = { enabled: false };
  if (context.inputs.uploadSarif) {
    if (plan.upload?.skipped) {
      upload.skipped = plan.upload.skipped;
    } else if (context.actor === "dependabot[bot]" && (eventName === "push" || eventName === "pull_request")) {
      upload.skipped = "Dependabot's runs get a read-only token: it cannot write security events";
    } else {
      upload.enabled = true;
      if (plan.upload?.ref && plan.upload.sha) {
        upload.ref = plan.upload.ref;
        upload.sha = plan.upload.sha;
      }
    }
  }
  return { event: eventName, description: plan.description, target: plan.target, upload, notices: plan.notices ?? [] };
}

// ---------------------------------------------------------------------------------------------------
// New branches and force pushes whose `before` is gone

/**
 * The remote-tracking branches that are not the pushed branch: `refs/remotes/<remote>/<branch>` of every
 * remote is the push itself, `refs/remotes/<remote>/HEAD` only an alias.
 */
export function otherBranchRefs(remoteRefs: readonly string[], remotes: readonly string[], branch: string): string[] {
  const own = new Set<string>();
  for (const remote of remotes) {
    own.add(`refs/remotes/${remote}/HEAD`);
    if (branch) own.add(`refs/remotes/${remote}/${branch}`);
  }
  return remoteRefs.filter((ref) => ref.startsWith("refs/remotes/") && !own.has(ref));
}

/** What git says about a new ref; the runner fills in the fields the chosen strategy needs. */
export interface NewRefFacts {
  /** A shallow clone cannot tell which commits other branches hold. */
  shallow: boolean;
  /** Remote-tracking branches other than the pushed one (see `otherBranchRefs`); empty when shallow. */
  otherRefs: string[];
  /** `git rev-list --count <head> --not <otherRefs>`. */
  newCommits?: number;
  /**
   * The commits where the new ones branch off: parents of new commits that other branches hold, reduced
   * with `git merge-base --independent`, newest first.
   */
  boundaries?: string[];
  /** The first parent of the oldest payload commit; null when that commit is a root. */
  firstPayloadParent?: string | null;
}

export interface Resolved {
  target: ScanTarget;
  notices: string[];
}

/**
 * A new branch (or a force push whose old tip is gone) scans the commits no other remote branch holds.
 * When git cannot tell (a shallow or single-branch checkout), the push payload's commits are scanned
 * from the parent of the oldest one.
 */
export function resolveNewRef(target: NewRefTarget, facts: NewRefFacts): Resolved {
  const { head } = target;
  if (!facts.shallow && facts.otherRefs.length > 0) {
    const count = facts.newCommits ?? 0;
    if (count === 0)
      return { target: { kind: "none", reason: `every commit of ${short(head)} is already on another branch` }, notices: [] };
    const boundaries = facts.boundaries ?? [];
    if (boundaries.length === 0) {
      // Shares no history with any other branch (an orphan branch): everything in it is new.
      return { target: { kind: "history", revisions: [head] }, notices: [] };
    }
    const notices: string[] = [];
    if (boundaries.length > 1) {
      notices.push(
        `the new commits branch off ${boundaries.length} unrelated points: scanning from the newest (${short(boundaries[0]!)}), which may include commits other branches already hold`,
      );
    }
    return { target: { kind: "range", base: boundaries[0]!, head, threeDot: false, fetchRefs: [] }, notices };
  }
  if (target.payloadCommits.length > 0) {
    if (facts.firstPayloadParent === null) return { target: { kind: "history", revisions: [head] }, notices: [] };
    if (facts.firstPayloadParent) {
      return {
        target: { kind: "range", base: facts.firstPayloadParent, head, threeDot: false, fetchRefs: [] },
        notices: facts.shallow ? [] : ["no other remote branch is fetched: scanning the commits listed in the push payload"],
      };
    }
  }
  if (!facts.shallow && facts.otherRefs.length === 0) {
    // A full clone with no other branch: the repository's first push, everything is new.
    return { target: { kind: "history", revisions: [head] }, notices: [] };
  }
  return {
    target: {
      kind: "none",
      reason: "the push payload lists no new commits and this shallow checkout cannot tell which commits other branches hold",
    },
    notices: ["set fetch-depth: 0 on actions/checkout so that new branches are compared with every other branch"],
  };
}

// ---------------------------------------------------------------------------------------------------
// Command line

export interface CommandOptions {
  /** Absolute path of the SARIF report. */
  sarifPath: string;
  config?: string;
  baseline?: string;
  extraArgs?: readonly string[];
}

/** The leakgate arguments that scan `target` into a SARIF report. */
export function cliArguments(target: RunnableTarget, options: CommandOptions): string[] {
  const args =
    target.kind === "range"
      ? ["diff", `${target.base}${target.threeDot ? "..." : ".."}${target.head}`]
      : ["history", ...(target.revisions.length > 0 ? target.revisions : ["--all"])];
  args.push("--format", "sarif", "--output", options.sarifPath);
  if (options.config) args.push("--config", options.config);
  if (options.baseline) args.push("--baseline", options.baseline);
  args.push(...(options.extraArgs ?? []));
  return args;
}

/** `diff`, `history` or `none`: the `mode` output and the SARIF category suffix. */
export function targetMode(target: ScanTarget): "diff" | "history" | "none" {
  return target.kind === "range" ? "diff" : target.kind === "history" ? "history" : "none";
}
