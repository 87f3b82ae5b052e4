/**
 * Hook events of each agent, turned into one shape (see NOTES.md part C for the sources):
 *
 * | agent       | event                                   | kind      | scanned                      |
 * |-------------|-----------------------------------------|-----------|------------------------------|
 * | claude-code | PreToolUse / PostToolUse / UserPromptSubmit | pre / post / prompt | tool_input / tool_response / prompt |
 * | codex       | PreToolUse / PostToolUse / UserPromptSubmit | same      | same (apply_patch text in tool_input.command) |
 * | gemini      | BeforeTool / AfterTool / BeforeAgent    | same      | tool_input / tool_response / prompt |
 * | cursor      | beforeShellExecution, beforeMCPExecution, beforeReadFile / beforeSubmitPrompt | pre / prompt | command, tool_input, content / prompt |
 * | copilot     | preToolUse / postToolUse, userPromptSubmitted | pre / post, prompt | toolArgs (a JSON string) / toolResult, prompt |
 *
 * Every other top-level field is scanned too, except session metadata (ids, paths, timestamps) and
 * the MCP server's own configuration (Gemini `mcp_context`, Cursor's `url` / `command` of the server).
 */
import { shellReads } from "./deny-read.js";
import type { AgentId, EventKind, NormalizedEvent, ReadIntent, ScanTarget } from "./types.js";

/** Input the guard cannot act on: answered by blocking (fail closed) unless --fail-open. */
export class GuardInputError extends Error {}

/** Session metadata: ids, paths and timestamps, never scanned. */
const METADATA = new Set([
  "session_id",
  "sessionId",
  "transcript_path",
  "transcriptPath",
  "cwd",
  "hook_event_name",
  "permission_mode",
  "tool_use_id",
  "prompt_id",
  "agent_id",
  "agent_type",
  "model",
  "turn_id",
  "conversation_id",
  "generation_id",
  "workspace_roots",
  "cursor_version",
  "user_email",
  "timestamp",
  "duration_ms",
  "duration",
  "stop_hook_active",
  "mcp_context",
  "is_background_agent",
  "composer_mode",
]);

/** Tool inputs already checked before the tool ran; a post-tool event scans the output only. */
const TOOL_INPUT_KEYS = new Set(["tool_input", "toolArgs", "tool_name", "toolName"]);

/** Tools that read a file into the model's context, by name (any agent). */
const READ_TOOLS = /^(?:read|read_file|read_many_files|readfile|read_text_file|view|notebookread|grep|search_file_content)$/i;
/** Tools that run a shell command. */
const SHELL_TOOLS = /^(?:bash|shell|run_shell_command|local_shell|exec_command|powershell|container\.exec)$/i;

interface EventSpec {
  kind: EventKind;
  canBlock: boolean;
  canRedact: boolean;
}

const SPECS: Record<AgentId, Record<string, EventSpec>> = {
  "claude-code": {
    PreToolUse: { kind: "pre-tool", canBlock: true, canRedact: false },
    PostToolUse: { kind: "post-tool", canBlock: true, canRedact: true },
    UserPromptSubmit: { kind: "prompt", canBlock: true, canRedact: false },
  },
  codex: {
    PreToolUse: { kind: "pre-tool", canBlock: true, canRedact: false },
    PostToolUse: { kind: "post-tool", canBlock: true, canRedact: true },
    UserPromptSubmit: { kind: "prompt", canBlock: true, canRedact: false },
  },
  gemini: {
    BeforeTool: { kind: "pre-tool", canBlock: true, canRedact: false },
    // `decision: "deny"` replaces the result the model gets with `reason`: a redacted copy fits there.
    AfterTool: { kind: "post-tool", canBlock: true, canRedact: true },
    BeforeAgent: { kind: "prompt", canBlock: true, canRedact: false },
  },
  cursor: {
    beforeShellExecution: { kind: "pre-tool", canBlock: true, canRedact: false },
    beforeMCPExecution: { kind: "pre-tool", canBlock: true, canRedact: false },
    beforeReadFile: { kind: "pre-tool", canBlock: true, canRedact: false },
    beforeSubmitPrompt: { kind: "prompt", canBlock: true, canRedact: false },
  },
  copilot: {
    // camelCase (Copilot CLI, cloud agent) and PascalCase (VS Code compatible payloads).
    preToolUse: { kind: "pre-tool", canBlock: true, canRedact: false },
    PreToolUse: { kind: "pre-tool", canBlock: true, canRedact: false },
    // Their output is ignored by Copilot: the guard can only warn and audit.
    postToolUse: { kind: "post-tool", canBlock: false, canRedact: false },
    PostToolUse: { kind: "post-tool", canBlock: false, canRedact: false },
    userPromptSubmitted: { kind: "prompt", canBlock: false, canRedact: false },
    UserPromptSubmit: { kind: "prompt", canBlock: false, canRedact: false },
  },
};

/** The event names the guard answers for an agent (the installer registers these). */
export function knownEvents(agent: AgentId): string[] {
  return Object.keys(SPECS[agent]);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Copilot's `toolArgs` is a JSON string (or, in newer builds, an object). */
function parsedArgs(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The command text of a shell tool input: a string, or an argv array (`["bash", "-lc", "<script>"]`). */
function commandText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) return undefined;
  const script = value.findIndex((v) => /^-[a-z]*c$/.test(v));
  return script >= 0 && script + 1 < value.length ? value.slice(script + 1).join(" ") : value.join(" ");
}

/** Copilot CLI camelCase payloads carry no event name: inferred from their fields. */
function inferCopilotEvent(raw: Record<string, unknown>): string | undefined {
  if ("toolResult" in raw || "tool_result" in raw) return "postToolUse";
  if ("toolName" in raw || "toolArgs" in raw || "tool_name" in raw) return "preToolUse";
  if ("prompt" in raw) return "userPromptSubmitted";
  return undefined;
}

export function normalizeEvent(agent: AgentId, raw: Record<string, unknown>, fallbackCwd: string, eventOption?: string): NormalizedEvent {
  let name = eventOption ?? str(raw.hook_event_name);
  if (!name && agent === "copilot") name = inferCopilotEvent(raw);
  if (!name) throw new GuardInputError("the hook event names no event (hook_event_name is missing)");
  const spec = SPECS[agent][name];
  if (!spec) {
    throw new GuardInputError(
      `unknown ${agent} hook event "${name.slice(0, 80)}" (leakgate guard answers ${knownEvents(agent).join(", ")})`,
    );
  }
  const roots = Array.isArray(raw.workspace_roots) ? raw.workspace_roots : [];
  const cwd = str(raw.cwd) ?? str(roots[0]) ?? fallbackCwd;
  const session = str(raw.session_id) ?? str(raw.sessionId) ?? str(raw.conversation_id);

  let tool = str(raw.tool_name) ?? str(raw.toolName);
  let input: unknown = raw.tool_input;
  if (agent === "copilot" && "toolArgs" in raw) input = parsedArgs(raw.toolArgs);
  if (agent === "cursor") {
    if (name === "beforeShellExecution") tool = "Shell";
    else if (name === "beforeReadFile") tool = "Read";
    if (typeof input === "string") input = parsedArgs(input);
  }
  const inputObj = obj(input);

  // The file the scanned text belongs to (Write content, an Edit, a file read).
  const file =
    str(inputObj?.file_path) ?? str(inputObj?.notebook_path) ?? str(inputObj?.absolute_path) ?? str(inputObj?.path) ?? str(raw.file_path);

  const targets: ScanTarget[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (METADATA.has(key)) continue;
    // Cursor describes the MCP server (its URL or command) next to the call: configuration the
    // model does not send, checked by `leakgate mcp` rather than on every call.
    if (name === "beforeMCPExecution" && (key === "url" || key === "command")) continue;
    if (spec.kind === "post-tool" && TOOL_INPUT_KEYS.has(key)) continue;
    if (key === "tool_name" || key === "toolName") continue;
    // Copilot's JSON-string arguments are scanned parsed (strings.ts also re-parses JSON strings).
    const value2 = key === "toolArgs" ? input : value;
    const bound = spec.kind === "pre-tool" && (key === "tool_input" || key === "toolArgs" || key === "content");
    targets.push(bound && file ? { pointer: key, value: value2, file } : { pointer: key, value: value2 });
  }

  const reads: ReadIntent[] = [];
  if (spec.kind === "pre-tool") {
    if (name === "beforeReadFile") {
      const path = str(raw.file_path);
      if (path) reads.push(typeof raw.content === "string" ? { path, via: "tool", content: raw.content } : { path, via: "tool" });
    } else if (tool && READ_TOOLS.test(tool) && inputObj) {
      for (const key of ["file_path", "absolute_path", "path", "notebook_path"]) {
        const path = str(inputObj[key]);
        if (path) reads.push({ path, via: "tool" });
      }
      if (Array.isArray(inputObj.paths)) for (const p of inputObj.paths) if (str(p)) reads.push({ path: p as string, via: "tool" });
    }
    const command =
      name === "beforeShellExecution"
        ? commandText(raw.command)
        : tool && SHELL_TOOLS.test(tool)
          ? commandText(inputObj?.command)
          : undefined;
    if (command) for (const path of shellReads(command)) reads.push({ path, via: "shell" });
  }
  if (Array.isArray(raw.attachments)) {
    for (const a of raw.attachments) {
      const path = str(obj(a)?.filePath) ?? str(obj(a)?.file_path);
      if (path) reads.push({ path, via: "attachment" });
    }
  }

  const event: NormalizedEvent = {
    agent,
    name,
    kind: spec.kind,
    cwd,
    targets,
    reads,
    canBlock: spec.canBlock,
    canRedact: spec.canRedact,
    raw,
  };
  if (tool) event.tool = tool;
  if (session) event.session = session;
  if (spec.kind === "post-tool") {
    const key = "tool_response" in raw ? "tool_response" : "toolResult" in raw ? "toolResult" : undefined;
    if (key) event.output = { value: raw[key], pointer: key };
  }
  return event;
}
