/**
 * The GitHub Action's steps, in order: read the inputs and the event, plan what to scan, fetch the
 * history a shallow checkout lacks, run the leakgate CLI into a SARIF report, then annotate, summarise,
 * set the step outputs and return the exit code. `run.ts` is the process entry that `action.yml` runs.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SARIF_SCHEMA_URI, TOOL_INFORMATION_URI } from "../report/sarif.js";
import { escapeForTerminal } from "../report/util.js";
import { countCommits, HistoryError, type Log, newRefFacts, prepareHistory, prepareRange, repositoryRoot } from "./git.js";
import {
  type ActionInputs,
  cliArguments,
  InputError,
  type Plan,
  planAction,
  readInputs,
  resolveNewRef,
  type ScanTarget,
  targetMode,
} from "./plan.js";
import {
  annotations,
  bySeverity,
  escapeData,
  escapeProperty,
  findingsFromSarif,
  logLine,
  markdownCell,
  outputLines,
  renderSummary,
  SUMMARY_LIMIT_BYTES,
  type SummaryContext,
} from "./report.js";

export interface ActionIO {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The step log: workflow commands and plain lines. */
  stdout: (text: string) => void;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** The step outputs the scan step always writes (action.yml reads them as `steps.scan.outputs.*`). */
export const STEP_OUTPUTS = [
  "findings",
  "sarif-file",
  "mode",
  "exit-code",
  "upload",
  "upload-ref",
  "upload-sha",
  "category",
  "checkout-path",
] as const;
export type StepOutput = (typeof STEP_OUTPUTS)[number];

/** A failure to report as is (one line, no stack). */
class ActionError extends Error {}

/** The leakgate CLI to run: `LEAKGATE_CLI` (a script or an installed package's directory), else this package's own. */
export function cliEntry(env: ActionIO["env"]): string {
  const configured = env.LEAKGATE_CLI?.trim();
  if (!configured) return fileURLToPath(new URL("../cli/bin.js", import.meta.url));
  const path = resolve(configured);
  if (!existsSync(path)) throw new ActionError(`LEAKGATE_CLI ${configured} does not exist`);
  if (!statSync(path).isDirectory()) return path;
  const manifest = JSON.parse(readFileSync(resolve(path, "package.json"), "utf8")) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.leakgate;
  if (!bin) throw new ActionError(`${configured}/package.json has no leakgate bin`);
  return resolve(path, bin);
}

function readEvent(path: string | undefined): unknown {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ActionError(`cannot read the event payload ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ActionError(`the event payload ${path} is not JSON`);
  }
}

/** A SARIF report with no results, for events that bring nothing to scan (so `sarif-file` always exists). */
function emptySarif(): string {
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "leakgate", informationUri: TOOL_INFORMATION_URI, rules: [] } },
        columnKind: "utf16CodeUnits",
        results: [],
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

interface CliRun {
  code: number;
  /** The CLI's last stderr line that says what went wrong. */
  error: string;
}

class Workflow {
  private readonly stopToken = randomUUID().replace(/-/g, "");
  constructor(private readonly io: ActionIO) {}

  /** A plain log line; untrusted text is terminal-escaped and prefixed, so it can never start a command. */
  line(text: string): void {
    this.io.stdout(`leakgate: ${escapeForTerminal(text)}\n`);
  }
  command(text: string): void {
    this.io.stdout(`${text}\n`);
  }
  notice(text: string): void {
    this.command(`::notice title=leakgate::${escapeData(text)}`);
  }
  error(text: string): void {
    this.command(`::error title=${escapeProperty("leakgate")}::${escapeData(text)}`);
  }
  group<T>(title: string, body: () => T): T {
    this.command(`::group::${escapeData(title)}`);
    try {
      return body();
    } finally {
      this.command("::endgroup::");
    }
  }
  /** Stops workflow-command parsing while text we do not control is printed. */
  stopCommands(): void {
    this.command(`::stop-commands::${this.stopToken}`);
  }
  resumeCommands(): void {
    this.command(`::${this.stopToken}::`);
  }
  raw(text: string): void {
    this.io.stdout(text);
  }
}

/** Runs the CLI, streaming its stderr into the log with command parsing stopped. */
function runCli(entry: string, args: readonly string[], cwd: string, env: ActionIO["env"], wf: Workflow): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    wf.stopCommands();
    const child = spawn(process.execPath, [entry, ...args], {
      cwd,
      env: { ...env, NO_COLOR: "1" } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let tail = "";
    const forward = (text: string) => {
      tail = (tail + text).slice(-4096);
      wf.raw(text);
    };
    // Decoded as streams, so a character split across two chunks stays whole.
    child.stdout.setEncoding("utf8").on("data", forward);
    child.stderr.setEncoding("utf8").on("data", forward);
    child.on("error", (error) => {
      wf.resumeCommands();
      reject(new ActionError(`cannot run leakgate: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      if (!tail.endsWith("\n") && tail !== "") wf.raw("\n");
      wf.resumeCommands();
      const lines = tail
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .reverse();
      // The CLI's own one-line error, else an uncaught exception's "SomeError: message", else the last line.
      const error =
        lines.find((l) => /^leakgate: (?:internal )?error:/.test(l)) ?? lines.find((l) => /^\w*Error\b/.test(l)) ?? lines[0] ?? "";
      resolvePromise({ code: code ?? (signal ? 128 : EXIT_ERROR), error: error.replace(/^leakgate:\s*(?:error:\s*)?/, "") });
    });
  });
}

/** Turns the plan's target into one the CLI can run: fetches, deepens, resolves new branches. */
function prepareTarget(root: string, plan: Plan, notices: string[], log: Log): ScanTarget {
  let target = plan.target;
  if (target.kind === "range" && prepareRange(root, target, log) === "base-missing") {
    if (!target.ifBaseMissing) {
      throw new HistoryError(
        `commit ${target.base} is not in this checkout and could not be fetched: set \`fetch-depth: 0\` on actions/checkout`,
      );
    }
    notices.push(`the previous tip ${target.base.slice(0, 12)} is gone (force push): scanning the commits no other branch holds`);
    target = target.ifBaseMissing;
  }
  if (target.kind === "new-ref") {
    const resolved = resolveNewRef(target, newRefFacts(root, target, log));
    notices.push(...resolved.notices);
    target = resolved.target;
    if (target.kind === "range") prepareRange(root, target, log);
  }
  if (target.kind === "history") prepareHistory(root, log);
  return target;
}

function writeOutputs(env: ActionIO["env"], outputs: Record<StepOutput, string>): void {
  if (!env.GITHUB_OUTPUT) return;
  appendFileSync(env.GITHUB_OUTPUT, outputLines(outputs, `ghadelimiter_${randomUUID()}`));
}

function writeSummary(env: ActionIO["env"], render: (maxBytes: number) => string): void {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return;
  const used = existsSync(path) ? statSync(path).size : 0;
  // Leave room for what a later step of this composite action might add.
  appendFileSync(path, render(Math.max(4096, SUMMARY_LIMIT_BYTES - used - 8192)));
}

function repositoryUrl(env: ActionIO["env"]): string | undefined {
  const server = env.GITHUB_SERVER_URL?.replace(/\/+$/, "");
  const repo = env.GITHUB_REPOSITORY;
  if (!server || !repo || !/^https?:\/\/[^\s"<>]+$/.test(server) || !/^[\w.-]+\/[\w.-]+$/.test(repo)) return undefined;
  return `${server}/${repo}`;
}

/**
 * Runs the action. Returns 0 when clean (or when findings do not fail the job), 1 with findings, 2 on
 * an error. With `LEAKGATE_ACTION_DEFER_EXIT=true` findings return 0 and the `exit-code` output carries
 * the 1, so the SARIF upload step still runs and a last step fails the job.
 */
export async function runAction(io: ActionIO): Promise<number> {
  const { env } = io;
  const wf = new Workflow(io);
  const workspace = resolve(io.cwd, env.GITHUB_WORKSPACE || ".");
  const outputs: Record<StepOutput, string> = {
    findings: "0",
    "sarif-file": "",
    mode: "none",
    "exit-code": String(EXIT_ERROR),
    upload: "false",
    "upload-ref": "",
    "upload-sha": "",
    category: "",
    "checkout-path": "",
  };
  try {
    const inputs: ActionInputs = readInputs(env);
    const sarifPath = resolve(workspace, inputs.sarifFile);
    outputs["sarif-file"] = sarifPath;
    const workdir = resolve(workspace, inputs.workingDirectory);
    const root = repositoryRoot(workdir);
    outputs["checkout-path"] = root;
    const plan = planAction({
      eventName: env.GITHUB_EVENT_NAME ?? "",
      event: readEvent(env.GITHUB_EVENT_PATH),
      inputs,
      actor: env.GITHUB_ACTOR,
    });
    wf.line(`scanning ${plan.description}`);
    const notices = [...plan.notices];
    // The group opens at the first git command, so a complete checkout prints nothing.
    let grouped = false;
    const gitLog: Log = (l) => {
      if (!grouped) wf.command("::group::leakgate: fetching history");
      grouped = true;
      wf.line(l);
    };
    let target: ScanTarget;
    try {
      target = prepareTarget(root, plan, notices, gitLog);
    } finally {
      if (grouped) wf.command("::endgroup::");
    }
    for (const notice of notices) wf.notice(notice);
    const mode = targetMode(target);
    outputs.mode = mode;
    const commits = target.kind === "range" ? countCommits(root, target) : undefined;
    const summary: SummaryContext = {
      description: plan.description,
      mode,
      commits,
      repositoryUrl: repositoryUrl(env),
      notices,
      failed: inputs.failOnFindings,
    };
    mkdirSync(dirname(sarifPath), { recursive: true });

    if (target.kind === "none" || target.kind === "new-ref") {
      const reason = target.kind === "none" ? target.reason : "nothing to scan";
      wf.notice(`nothing to scan: ${reason}`);
      writeFileSync(sarifPath, emptySarif());
      writeSummary(env, () => `## leakgate\n\nNothing to scan in ${markdownCell(plan.description)}: ${markdownCell(reason)}.\n`);
      outputs["exit-code"] = String(EXIT_CLEAN);
      writeOutputs(env, outputs);
      return EXIT_CLEAN;
    }

    const args = cliArguments(target, {
      sarifPath,
      config: inputs.config || undefined,
      baseline: inputs.baseline || undefined,
      extraArgs: inputs.args,
    });
    wf.line(`running leakgate ${args.join(" ")}`);
    // A report left by an earlier run must never pass for this one's.
    rmSync(sarifPath, { force: true });
    const run = await runCli(cliEntry(env), args, workdir, env, wf);
    const failure = `leakgate ${args[0]} failed (exit ${run.code}): ${run.error || "see the log"}`;
    if (run.code !== EXIT_CLEAN && run.code !== EXIT_FINDINGS) throw new ActionError(failure);
    let sarifText: string;
    try {
      sarifText = readFileSync(sarifPath, "utf8");
    } catch {
      // Node exits 1 on an uncaught exception too: without a report, that is what happened.
      throw new ActionError(`${failure} (no SARIF report was written)`);
    }
    const { findings, total } = findingsFromSarif(JSON.parse(sarifText));

    for (const line of annotations(findings, total)) wf.command(line);
    if (total > 0) {
      wf.group(`leakgate: ${total} finding(s)`, () => {
        wf.stopCommands();
        for (const f of bySeverity(findings)) wf.raw(`${logLine(f)}\n`);
        if (total > findings.length) wf.raw(`…and ${total - findings.length} more not included in the SARIF file (GitHub's per-run cap)\n`);
        wf.resumeCommands();
      });
    }
    const failed = total > 0 && inputs.failOnFindings;
    writeSummary(env, (maxBytes) => renderSummary(findings, total, { ...summary, failed }, maxBytes));

    const exitCode = failed ? EXIT_FINDINGS : EXIT_CLEAN;
    outputs.findings = String(total);
    outputs["exit-code"] = String(exitCode);
    outputs.category = `leakgate/${mode}`;
    if (plan.upload.enabled) {
      outputs.upload = "true";
      outputs["upload-ref"] = plan.upload.ref ?? "";
      outputs["upload-sha"] = plan.upload.sha ?? "";
    } else if (plan.upload.skipped) {
      wf.notice(`SARIF upload skipped: ${plan.upload.skipped}`);
    }
    writeOutputs(env, outputs);
    wf.line(
      total === 0
        ? `no secrets found in ${plan.description}`
        : `${total} secret(s) found in ${plan.description}${failed ? "" : " (fail-on-findings: false)"}`,
    );
    return failed && env.LEAKGATE_ACTION_DEFER_EXIT !== "true" ? EXIT_FINDINGS : EXIT_CLEAN;
  } catch (error) {
    const known = error instanceof ActionError || error instanceof InputError || error instanceof HistoryError;
    const message = known ? error.message : `internal error: ${(error as Error).message ?? String(error)}`;
    wf.error(message);
    writeSummary(env, () => `## leakgate\n\n**The scan did not run**: ${markdownCell(message)}\n`);
    writeOutputs(env, outputs);
    return EXIT_ERROR;
  }
}

/** The real process's IO. */
export function processActionIO(): ActionIO {
  return { cwd: process.cwd(), env: process.env, stdout: (text) => process.stdout.write(text) };
}
