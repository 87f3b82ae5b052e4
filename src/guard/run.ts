/**
 * `leakgate guard --agent <agent>`: one hook event on stdin → one decision in the agent's contract.
 * Never throws: malformed input, an unknown event, a bad config or a bug blocks the action (fail
 * closed) with a reason, unless --fail-open (or `guard.failOpen`) lets it through.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { CONFIG_FILE_NAMES, defaultConfig, type LeakgateConfig, loadConfig } from "../config/config.js";
import { ConfigError } from "../errors.js";
import { appendAudit, auditRecords, defaultAuditLog, expandPath } from "./audit.js";
import { DEFAULT_DENY_READ, deniedReads } from "./deny-read.js";
import { detectSecrets } from "./detect.js";
import { GuardInputError, normalizeEvent } from "./events.js";
import { PathPolicy } from "./glob.js";
import { errorText, reasonText } from "./message.js";
import { allowReply, decisionReply, failClosedReply } from "./respond.js";
import { type Cut, collectStrings, redactValue, type TextEntry } from "./strings.js";
import type { AgentId, Decision, DeniedRead, HookReply, NormalizedEvent, Policy } from "./types.js";

export interface GuardOptions {
  agent: AgentId;
  policy?: Policy;
  failOpen?: boolean;
  /** A path, `false` for none, undefined for the config's or the default. */
  auditLog?: string | false;
  config?: string;
  /** The event name, for agents whose payload does not carry it (Copilot CLI). */
  event?: string;
}

export interface GuardIO {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<Buffer>;
}

/** Largest event read (a Read of a big file arrives whole). */
const MAX_EVENT_BYTES = 64 * 1024 * 1024;

/** A JSON parse error without the snippet of input V8 quotes (it could hold the secret). */
function parseEvent(bytes: Buffer): Record<string, unknown> {
  if (bytes.length === 0) throw new GuardInputError("no hook event on stdin (expected one JSON object)");
  if (bytes.length > MAX_EVENT_BYTES) throw new GuardInputError(`the hook event is larger than ${MAX_EVENT_BYTES >> 20} MiB`);
  let text = bytes.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new GuardInputError(`the hook event on stdin is not valid JSON${at ? ` (at character ${at})` : ""}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new GuardInputError("the hook event on stdin is not a JSON object");
  return value as Record<string, unknown>;
}

/** `.leakgate.yaml` in the event's directory or the nearest parent, up to the repository root. */
export function findConfig(start: string): string | undefined {
  let dir = resolve(start);
  for (let i = 0; i < 64; i++) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (existsSync(join(dir, ".git"))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

const REDACTED = (ruleId: string) => `[REDACTED:${ruleId}]`;
const WITHHELD = "[withheld by leakgate: this text holds a secret]";

/** Policy + what the event can do → the decision (findings and reasons already known). */
export function decide(event: NormalizedEvent, policy: Policy, found: ReturnType<typeof detectSecrets>, denied: DeniedRead[]): Decision {
  const { findings } = found;
  if (findings.length === 0 && denied.length === 0) return { action: "allow", findings, denied, reason: "" };
  let action: Decision["action"];
  if (!event.canBlock || policy === "warn") action = "warn";
  else if (denied.length) action = "deny";
  else if (event.kind === "post-tool" && policy === "redact" && event.canRedact) action = "redact";
  else action = "deny";
  const decision: Decision = { action, findings, denied, reason: reasonText(event, action, findings, denied) };
  if (event.kind === "post-tool" && event.output && event.canRedact && (action === "redact" || action === "deny") && findings.length) {
    const cuts: Cut[] = found.secrets.map((s) => ({ secret: s.secret, marker: REDACTED(s.ruleId) }));
    // Redact cuts each secret out; block hides every string holding one. Text decoded from base64 and
    // the like cannot be cut, so its string is hidden in both cases.
    const withhold = action === "redact" ? found.decodedLocations : found.locations;
    decision.replacement = redactValue(event.output.value, event.output.pointer, cuts, withhold, WITHHELD);
  }
  return decision;
}

/** Runs the guard; returns the process exit code. */
export async function runGuard(options: GuardOptions, io: GuardIO): Promise<number> {
  const home = homedir();
  let event: NormalizedEvent | undefined;
  let decision: Decision;
  let failOpen = options.failOpen ?? false;
  let auditPath: string | false = options.auditLog === undefined ? defaultAuditLog(home) : options.auditLog;
  if (auditPath) auditPath = expandPath(auditPath, io.cwd, home);
  let reply: HookReply;
  try {
    const raw = parseEvent(await io.readStdin());
    event = normalizeEvent(options.agent, raw, io.cwd, options.event);
    const configPath = options.config ? resolve(io.cwd, options.config) : findConfig(event.cwd);
    const config: LeakgateConfig = configPath ? loadConfig(configPath, event.cwd) : defaultConfig();
    const projectDir = configPath && !options.config ? dirname(configPath) : event.cwd;
    const guard = config.guard ?? {};
    failOpen = options.failOpen ?? guard.failOpen ?? false;
    if (options.auditLog === undefined && guard.auditLog !== undefined) {
      auditPath = guard.auditLog === false ? false : expandPath(guard.auditLog, projectDir, home);
    }
    const policy = options.policy ?? guard.policy ?? "block";

    const pathPolicy = new PathPolicy([...DEFAULT_DENY_READ, ...(guard.denyRead ?? [])], projectDir, home);
    const denied = deniedReads(event.reads, pathPolicy, event.cwd, home);
    const entries: TextEntry[] = [];
    for (const target of event.targets) collectStrings(target, entries);
    const found = detectSecrets(entries, config, projectDir, `hook:${event.tool ?? event.name}`);
    decision = decide(event, policy, found, denied);
    reply = decisionReply(event, decision);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const detail = error instanceof GuardInputError || error instanceof ConfigError ? message : `internal error: ${message}`;
    const reason = errorText(options.agent, detail, failOpen);
    decision = { action: failOpen ? "allow" : "deny", findings: [], denied: [], reason, error: detail };
    reply = failOpen ? allowReply(options.agent, event, reason) : failClosedReply(options.agent, reason);
  }
  if (auditPath) {
    const problem = appendAudit(auditPath, auditRecords(options.agent, event, decision));
    if (problem) reply.stderr = `${reply.stderr ?? ""}${problem}\n`;
  }
  if (reply.stdout) io.stdout(reply.stdout);
  if (reply.stderr) io.stderr(reply.stderr);
  return reply.exitCode;
}

/** Reads all of stdin: synchronously when possible (cheapest), else as a stream. */
export async function readAllStdin(): Promise<Buffer> {
  try {
    return readFileSync(0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EAGAIN" && code !== "EWOULDBLOCK" && code !== "EISDIR" && code !== "ESPIPE") throw error;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
