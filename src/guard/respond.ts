/**
 * Each agent's output contract (NOTES.md part C). A decision is printed as the JSON the agent reads
 * on stdout with exit 0; when the guard cannot decide it fails closed with whatever that agent treats
 * as blocking:
 *
 * | agent       | deny / block                                                        | fail closed                          |
 * |-------------|---------------------------------------------------------------------|--------------------------------------|
 * | claude-code | PreToolUse `hookSpecificOutput.permissionDecision: "deny"`; prompt and PostToolUse `decision: "block"` (+ `updatedToolOutput`) | exit 2, reason on stderr |
 * | codex       | same as Claude Code                                                 | exit 2, reason on stderr             |
 * | gemini      | `decision: "deny"` + `reason` (AfterTool: `reason` replaces the result) | exit 2, reason on stderr          |
 * | cursor      | `permission: "deny"` + `user_message`/`agent_message`; prompt `continue: false` | deny JSON and exit 2     |
 * | copilot     | `permissionDecision: "deny"` + `permissionDecisionReason`           | deny JSON, exit 0 (Copilot ignores failing hooks) |
 */
import type { AgentId, Decision, HookReply, NormalizedEvent } from "./types.js";

function json(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** A one-line summary for the user-facing channels (`systemMessage`). */
function summary(reason: string): string {
  return reason.split("\n").slice(0, 3).join(" ").replace(/\s+/g, " ").trim();
}

/** What lets the action through, in the agent's contract. */
export function allowReply(agent: AgentId, event: NormalizedEvent | undefined, warning?: string): HookReply {
  const reply: HookReply = { exitCode: 0 };
  if (agent === "cursor") {
    if (event?.kind === "prompt") reply.stdout = json(warning ? { continue: true, user_message: warning } : { continue: true });
    else if (event)
      reply.stdout = json(warning ? { permission: "allow", user_message: warning, agent_message: warning } : { permission: "allow" });
    else reply.stdout = json({ permission: "allow", continue: true });
  } else if (warning && agent !== "copilot") reply.stdout = json({ systemMessage: warning });
  if (warning && (agent === "copilot" || !event)) reply.stderr = `${warning}\n`;
  return reply;
}

/** Blocks when the guard could not decide (malformed input, unknown event, internal error). */
export function failClosedReply(agent: AgentId, reason: string): HookReply {
  switch (agent) {
    case "cursor":
      // Covers every Cursor event shape; exit 2 also blocks where Cursor follows Claude's exit codes.
      return {
        stdout: json({ permission: "deny", continue: false, user_message: reason, agent_message: reason }),
        stderr: `${reason}\n`,
        exitCode: 2,
      };
    case "copilot":
      // Copilot logs and skips a hook that exits non-zero: only the JSON denial blocks.
      return { stdout: json({ permissionDecision: "deny", permissionDecisionReason: reason }), stderr: `${reason}\n`, exitCode: 0 };
    default:
      return { stderr: `${reason}\n`, exitCode: 2 };
  }
}

/** Claude Code and Codex: MCP tools take `updatedMCPToolOutput`, the others `updatedToolOutput`. */
function updatedOutputKey(event: NormalizedEvent): string {
  return event.tool?.startsWith("mcp__") ? "updatedMCPToolOutput" : "updatedToolOutput";
}

/** Gemini's AfterTool `reason` replaces the result: the redacted result as text. */
function geminiResultText(replacement: unknown): string {
  const r = replacement as { llmContent?: unknown } | string | undefined;
  if (typeof r === "string") return r;
  if (r && typeof r === "object" && "llmContent" in r)
    return typeof r.llmContent === "string" ? r.llmContent : JSON.stringify(r.llmContent);
  return JSON.stringify(r ?? null);
}

/** The reply for a decision (not an error). */
export function decisionReply(event: NormalizedEvent, decision: Decision): HookReply {
  const { agent } = event;
  const reason = decision.reason;
  if (decision.action === "allow") return allowReply(agent, event);
  if (decision.action === "warn") return allowReply(agent, event, reason);

  switch (agent) {
    case "claude-code":
    case "codex": {
      if (event.kind === "pre-tool") {
        return {
          stdout: json({ hookSpecificOutput: { hookEventName: event.name, permissionDecision: "deny", permissionDecisionReason: reason } }),
          exitCode: 0,
        };
      }
      if (event.kind === "prompt") return { stdout: json({ decision: "block", reason }), exitCode: 0 };
      // PostToolUse: the model gets the redacted (or withheld) copy instead of the original output.
      const specific: Record<string, unknown> = { hookEventName: event.name };
      if (decision.replacement !== undefined) specific[updatedOutputKey(event)] = decision.replacement;
      if (decision.action === "redact")
        return { stdout: json({ systemMessage: summary(reason), hookSpecificOutput: specific }), exitCode: 0 };
      return { stdout: json({ decision: "block", reason, hookSpecificOutput: specific }), exitCode: 0 };
    }
    case "gemini": {
      if (decision.action === "redact") {
        const text = `${geminiResultText(decision.replacement)}\n[leakgate redacted secrets from this output]`;
        return { stdout: json({ decision: "deny", reason: text, systemMessage: summary(reason) }), exitCode: 0 };
      }
      return { stdout: json({ decision: "deny", reason, systemMessage: summary(reason) }), exitCode: 0 };
    }
    case "cursor":
      if (event.kind === "prompt") return { stdout: json({ continue: false, user_message: reason }), exitCode: 0 };
      return { stdout: json({ permission: "deny", user_message: reason, agent_message: reason }), exitCode: 0 };
    case "copilot": {
      const out: Record<string, unknown> = { permissionDecision: "deny", permissionDecisionReason: reason };
      // VS Code compatible payloads (PascalCase events) read the Claude-style shape.
      if (typeof event.raw.hook_event_name === "string") {
        out.hookSpecificOutput = { hookEventName: event.raw.hook_event_name, permissionDecision: "deny", permissionDecisionReason: reason };
      }
      return { stdout: json(out), exitCode: 0 };
    }
  }
}
