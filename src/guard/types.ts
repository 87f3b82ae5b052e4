/**
 * `leakgate guard`: one hook event in, one decision out, in the calling agent's own contract.
 *
 * The flow is: stdin JSON → `normalizeEvent` (per agent: which event, which tool, which subtrees hold
 * text to scan, which files are about to be read) → deny-read check and engine scan → `decide`
 * (policy and what the event can do) → `respond` (per agent: stdout JSON, stderr, exit code) → audit.
 */

export const AGENTS = ["claude-code", "cursor", "gemini", "codex", "copilot"] as const;
export type AgentId = (typeof AGENTS)[number];

export const POLICIES = ["block", "redact", "warn"] as const;
export type Policy = (typeof POLICIES)[number];

/** What an event is about, whatever the agent calls it. */
export type EventKind =
  /** Before a tool runs (its input is scanned). */
  | "pre-tool"
  /** After a tool ran (its output, which the model is about to see, is scanned). */
  | "post-tool"
  /** A user prompt before it reaches the model. */
  | "prompt";

/** A subtree of the event whose strings are scanned, with a JSON pointer for messages. */
export interface ScanTarget {
  pointer: string;
  value: unknown;
  /** The file the text belongs to (Write content, a file read), for path allowlists and fingerprints. */
  file?: string;
}

/** A file the agent is about to read (or a command is about to print). */
export interface ReadIntent {
  /** As written in the event (absolute, or relative to `cwd`). */
  path: string;
  /** `tool` (a read tool's path argument), `shell` (a command reading it), `attachment`. */
  via: "tool" | "shell" | "attachment";
  /** The file's content when the event carries it (Cursor `beforeReadFile`). */
  content?: string;
}

export interface NormalizedEvent {
  agent: AgentId;
  /** The agent's own event name (`PreToolUse`, `beforeReadFile`...). */
  name: string;
  kind: EventKind;
  tool?: string;
  cwd: string;
  session?: string;
  targets: ScanTarget[];
  reads: ReadIntent[];
  /** Whether the event can stop the action (Copilot's postToolUse and prompt hooks cannot). */
  canBlock: boolean;
  /** Whether the agent can take a redacted copy in place of the original (post-tool output). */
  canRedact: boolean;
  /** For post-tool events: the output as the agent sent it, to answer with a redacted copy. */
  output?: { value: unknown; pointer: string };
  /** The whole parsed event. */
  raw: Record<string, unknown>;
}

/** A finding as the guard reports it: never the secret. */
export interface GuardFinding {
  ruleId: string;
  ruleName: string;
  preview: string;
  fingerprint: string;
  /** JSON pointer of the string holding it, e.g. `/tool_input/content`. */
  location: string;
  line: number;
  /** Found in base64 / hex / percent-decoded text: the span cannot be cut out of the raw string. */
  decoded: boolean;
  file?: string;
}

export interface DeniedRead {
  path: string;
  pattern: string;
  via: ReadIntent["via"];
  /** Key names (variables, INI keys, PEM block labels), never values; undefined when unreadable. */
  keys?: string[];
  /** What kind of names `keys` holds, for the message. */
  keyKind?: string;
}

export type Action =
  /** Nothing to report. */
  | "allow"
  /** Stop the action (or, for post-tool output, hold the output back). */
  | "deny"
  /** Let it through with the secrets replaced. */
  | "redact"
  /** Let it through and tell the user. */
  | "warn";

export interface Decision {
  action: Action;
  findings: GuardFinding[];
  denied: DeniedRead[];
  /** Text for the agent and the user (rule names and previews only). */
  reason: string;
  /** For `redact` (and `deny` of post-tool output): the output with secrets cut out. */
  replacement?: unknown;
  /** Set when the decision comes from an error (malformed input, unknown event, internal error). */
  error?: string;
}

/** What the process prints and how it exits. */
export interface HookReply {
  stdout?: string;
  stderr?: string;
  exitCode: number;
}
