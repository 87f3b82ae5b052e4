/**
 * What a transcript record means: who said it (role), which tool call it belongs to, and what the
 * agent did with a secret found there (action). One interpreter per agent format; each reads the
 * parsed record and the JSON path of the value holding the secret. Only records with findings are
 * parsed, so this code is off the hot path.
 */
import type { PathSegment } from "../../decode/json-strings.js";
import type { FormatInfo } from "./formats.js";

/**
 * - `write`: the agent wrote it into a file (Write/Edit/apply_patch content, added patch lines);
 * - `send`: the agent sent it out in a tool call (a shell command, MCP or web arguments);
 * - `read`: it came back in a tool result (file contents, command output) or was replaced by an edit;
 * - `prompt`: the user typed or pasted it; `reply`: the model said it; `context`: anything else.
 */
export type Action = "write" | "send" | "read" | "prompt" | "reply" | "context";
export type Role = "user" | "assistant" | "tool" | "system";

export interface Described {
  session?: string;
  /** Record index (number) or key (Cursor rows). */
  record?: number | string;
  role?: Role;
  tool?: string;
  toolCallId?: string;
  action?: Action;
  /** ISO 8601. */
  timestamp?: string;
  subagent?: string;
}

/** The decoded string holding the secret and the secret's character offset in it. */
export interface InnerText {
  text: string;
  offset: number;
}

export interface FileContext {
  info: FormatInfo;
  path: string;
  sessionFromPath(): string | undefined;
  /** The first record of the file, parsed (Codex session_meta, Gemini metadata line). */
  firstRecord(): unknown;
  /** Name of the tool call `id`, looked up in the other records of the file. */
  toolName(id: string): string | undefined;
  /** Key of a database row (Cursor), by record index. */
  rowKey?(record: number): string | undefined;
}

export interface RecordContext {
  record: unknown;
  recordIndex: number;
  /** Path of the value inside the record. */
  path: PathSegment[];
  /** Paths inside JSON decoded from string values, outermost first. */
  nested: PathSegment[][];
  inner?: InnerText;
  file: FileContext;
}

export interface Interpreter {
  describe(ctx: RecordContext): Described;
  /** The name of tool call `id` when this record is that call. */
  toolNameIn?(record: unknown, id: string): string | undefined;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const at = (v: unknown, i: PathSegment | undefined): unknown => {
  if (i === undefined || v === null || typeof v !== "object") return undefined;
  return (v as Record<string | number, unknown>)[i];
};

/** Milliseconds, seconds or an ISO string → ISO string. */
export function isoTime(v: unknown): string | undefined {
  if (typeof v === "number" && Number.isFinite(v)) {
    const ms = v < 1e11 ? v * 1000 : v;
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  if (typeof v === "string" && v) {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  return undefined;
}

// Tools that write files, by their (lower-cased) name across agents; MCP tools by the part after the server.
const WRITE_TOOLS = new Set([
  "write",
  "edit",
  "multiedit",
  "notebookedit",
  "apply_patch",
  "applypatch",
  "write_file",
  "writefile",
  "replace",
  "smart_edit",
  "edit_file",
  "edit_file_v2",
  "create_file",
  "write_to_file",
  "replace_in_file",
  "apply_diff",
  "insert_content",
  "search_and_replace",
  "search_replace",
  "str_replace_editor",
  "str_replace_based_edit_tool",
  "insert_edit_into_file",
  "multi_edit",
  "update_file",
  "editedexistingfile",
  "newfilecreated",
  "applieddiff",
]);
/** Input fields holding what an edit replaces: the agent saw it in the file. */
const OLD_KEYS = new Set(["old_string", "oldString", "old_str", "old", "search", "oldText", "old_text", "originalFile", "original"]);
/** Input fields holding a path rather than content. */
const PATH_KEYS = new Set([
  "file_path",
  "filePath",
  "path",
  "target_file",
  "notebook_path",
  "absolute_path",
  "filename",
  "relative_workspace_path",
]);

export function baseToolName(name: string): string {
  const m = /^mcp__.+?__(.+)$/.exec(name);
  return (m ? (m[1] as string) : name).toLowerCase();
}

export function isWriteTool(name: string | undefined): boolean {
  return name !== undefined && WRITE_TOOLS.has(baseToolName(name));
}

function lastKey(path: readonly PathSegment[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const s = path[i];
    if (typeof s === "string") return s;
  }
  return undefined;
}

function lineOf(inner: InnerText): string {
  const a = inner.text.lastIndexOf("\n", inner.offset - 1) + 1;
  let b = inner.text.indexOf("\n", inner.offset);
  if (b < 0) b = inner.text.length;
  return inner.text.slice(a, b);
}

const PATCH_START = /^\s*(?:\*\*\* Begin Patch|diff --git |--- |@@ )/;

/** A line of a patch: added lines are written, removed and context lines were read. */
export function patchLineAction(line: string): Action {
  if (line.startsWith("+++") || line.startsWith("--- ") || line.startsWith("*** ") || line.startsWith("@@")) return "send";
  if (line.startsWith("+")) return "write";
  return "read";
}

/**
 * SEARCH/REPLACE blocks (Aider, Cline `replace_in_file`): text after the separator is written,
 * text in the SEARCH part was read. Undefined when the offset is not inside such a block.
 */
export function searchReplaceAction(text: string, offset: number): Action | undefined {
  const lines = text.slice(0, offset).split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = (lines[i] as string).trim();
    if (/^(?:=======|={7})$/.test(l)) return "write";
    if (/^(?:<{7}|-{7})\s*SEARCH$/.test(l)) return "read";
    if (/^(?:>{7}|\+{7})\s*REPLACE$/.test(l)) return undefined;
  }
  return undefined;
}

/** What sending `tool` with a secret in its input did. */
export function inputAction(tool: string | undefined, rest: readonly PathSegment[], inner?: InnerText): Action {
  if (inner && PATCH_START.test(inner.text)) return patchLineAction(lineOf(inner));
  if (!isWriteTool(tool)) return "send";
  const key = lastKey(rest);
  if (key && OLD_KEYS.has(key)) return "read";
  if (key && PATH_KEYS.has(key)) return "send";
  if (inner) return searchReplaceAction(inner.text, inner.offset) ?? "write";
  return "write";
}

/** What a tool result holding the secret means: read, except the echo of what a write tool wrote. */
function resultAction(tool: string | undefined, rest: readonly PathSegment[], inner?: InnerText): Action {
  if (rest.includes("structuredPatch") && inner) return patchLineAction(lineOf(inner));
  if (!isWriteTool(tool)) return "read";
  const key = lastKey(rest);
  if (key === "newString" || key === "new_string" || key === "content") return "write";
  if (key && PATH_KEYS.has(key)) return "send";
  return "read";
}

function textAction(role: Role | undefined): Action {
  return role === "user" ? "prompt" : role === "assistant" ? "reply" : "context";
}

function asRole(v: unknown): Role | undefined {
  switch (v) {
    case "user":
    case "human":
      return "user";
    case "assistant":
    case "model":
    case "gemini":
      return "assistant";
    case "tool":
      return "tool";
    case "system":
    case "developer":
      return "system";
    default:
      return undefined;
  }
}

// --- Claude Code ------------------------------------------------------------------------------

const claudeCode: Interpreter = {
  describe(ctx) {
    const r = obj(ctx.record);
    const p = ctx.path;
    const out: Described = {
      session: str(r?.sessionId) ?? ctx.file.sessionFromPath(),
      timestamp: isoTime(r?.timestamp),
      subagent: str(r?.agentId),
    };
    const type = str(r?.type);
    const message = obj(r?.message);
    const content = message?.content;
    if (p[0] === "message" && p[1] === "content") {
      const block = typeof p[2] === "number" ? obj(at(content, p[2])) : undefined;
      const blockType = str(block?.type);
      if (block && blockType === "tool_use") {
        out.role = "assistant";
        out.tool = str(block.name);
        out.toolCallId = str(block.id);
        out.action = inputAction(out.tool, [...p.slice(4), ...ctx.nested.flat()], ctx.inner);
      } else if (block && blockType === "tool_result") {
        out.role = "tool";
        out.toolCallId = str(block.tool_use_id);
        out.tool = out.toolCallId ? ctx.file.toolName(out.toolCallId) : undefined;
        out.action = out.tool ? resultAction(out.tool, [], ctx.inner) : "read";
      } else if (blockType === "thinking" || blockType === "redacted_thinking") {
        out.role = "assistant";
        out.action = "reply";
      } else {
        out.role = asRole(message?.role) ?? asRole(type);
        out.action = r?.isMeta === true ? "context" : textAction(out.role);
      }
    } else if (p[0] === "toolUseResult") {
      out.role = "tool";
      const first = Array.isArray(content) ? content.map(obj).find((b) => b?.type === "tool_result") : undefined;
      out.toolCallId = str(first?.tool_use_id);
      out.tool = out.toolCallId ? ctx.file.toolName(out.toolCallId) : undefined;
      out.action = resultAction(out.tool, p.slice(1), ctx.inner);
    } else {
      out.role = type === "user" || type === "assistant" ? type : "system";
      out.action = "context";
    }
    return out;
  },
  toolNameIn(record, id) {
    const content = obj(obj(record)?.message)?.content;
    if (!Array.isArray(content)) return undefined;
    for (const b of content) {
      const block = obj(b);
      if (block?.type === "tool_use" && block.id === id) return str(block.name);
    }
    return undefined;
  },
};

const claudeHistory: Interpreter = {
  describe(ctx) {
    const r = obj(ctx.record);
    return { session: str(r?.sessionId), timestamp: isoTime(r?.timestamp), role: "user", action: "prompt" };
  },
};

// --- Codex ------------------------------------------------------------------------------------

const CODEX_WRAPPED = new Set([
  "session_meta",
  "turn_context",
  "response_item",
  "event_msg",
  "compacted",
  "world_state",
  "inter_agent_communication",
]);

function codexSession(ctx: RecordContext): string | undefined {
  const first = obj(ctx.file.firstRecord());
  const payload = obj(first?.payload);
  return (first?.type === "session_meta" ? str(payload?.id) : str(first?.id)) ?? ctx.file.sessionFromPath();
}

const codex: Interpreter = {
  describe(ctx) {
    const r = obj(ctx.record);
    const wrapped = CODEX_WRAPPED.has(str(r?.type) ?? "") && r?.payload !== undefined;
    const item = wrapped ? obj(r?.payload) : r;
    const rest = wrapped ? ctx.path.slice(1) : ctx.path;
    const out: Described = { session: codexSession(ctx), timestamp: isoTime(r?.timestamp) };
    const outer = wrapped ? str(r?.type) : "response_item";
    const t = str(item?.type);
    const nested = ctx.nested.flat();
    if (outer === "session_meta" || outer === "turn_context" || outer === "world_state") {
      out.role = "system";
      out.action = "context";
    } else if (outer === "event_msg") {
      out.toolCallId = str(item?.call_id);
      switch (t) {
        case "user_message":
          out.role = "user";
          out.action = "prompt";
          break;
        case "agent_message":
        case "agent_reasoning":
        case "agent_reasoning_raw_content":
          out.role = "assistant";
          out.action = "reply";
          break;
        case "exec_command_begin":
          out.role = "assistant";
          out.tool = "shell";
          out.action = "send";
          break;
        case "patch_apply_begin":
          out.role = "assistant";
          out.tool = "apply_patch";
          // changes: {path: {add: {content}} | {update: {unified_diff, move_path}} | {delete: ...}}
          if (!rest.includes("changes") || rest.includes("move_path")) out.action = "send";
          else if (lastKey(rest) === "unified_diff" && ctx.inner) out.action = patchLineAction(lineOf(ctx.inner));
          else out.action = "write";
          break;
        case "mcp_tool_call_begin":
          out.role = "assistant";
          out.tool = str(obj(item?.invocation)?.tool);
          out.action = "send";
          break;
        default:
          if (t?.endsWith("_end") || t?.endsWith("_delta")) {
            out.role = "tool";
            out.tool = t.startsWith("exec_command")
              ? "shell"
              : t.startsWith("mcp_tool_call")
                ? str(obj(item?.invocation)?.tool)
                : undefined;
            out.action = "read";
          } else {
            out.role = "system";
            out.action = "context";
          }
      }
    } else if (outer === "response_item") {
      switch (t) {
        case "message":
          out.role = asRole(item?.role);
          out.action = out.role === "system" ? "context" : textAction(out.role);
          break;
        case "reasoning":
          out.role = "assistant";
          out.action = "reply";
          break;
        case "function_call":
        case "custom_tool_call":
          out.role = "assistant";
          out.tool = str(item?.name);
          out.toolCallId = str(item?.call_id);
          out.action = inputAction(out.tool, [...rest.slice(1), ...nested], ctx.inner);
          break;
        case "local_shell_call":
          out.role = "assistant";
          out.tool = "local_shell";
          out.toolCallId = str(item?.call_id);
          out.action = inputAction(out.tool, nested, ctx.inner);
          break;
        case "web_search_call":
          out.role = "assistant";
          out.tool = "web_search";
          out.action = "send";
          break;
        case "function_call_output":
        case "custom_tool_call_output":
        case "local_shell_call_output":
          out.role = "tool";
          out.toolCallId = str(item?.call_id);
          out.tool = out.toolCallId ? ctx.file.toolName(out.toolCallId) : undefined;
          out.action = "read";
          break;
        default:
          out.role = "system";
          out.action = "context";
      }
    } else {
      out.role = "system";
      out.action = "context";
    }
    return out;
  },
  toolNameIn(record, id) {
    const r = obj(record);
    const item = r && CODEX_WRAPPED.has(str(r.type) ?? "") ? obj(r.payload) : r;
    if (item?.call_id !== id) return undefined;
    if (item.type === "local_shell_call") return "local_shell";
    return str(item.name);
  },
};

const codexHistory: Interpreter = {
  describe(ctx) {
    const r = obj(ctx.record);
    return { session: str(r?.session_id) ?? str(r?.conversation_id), timestamp: isoTime(r?.ts), role: "user", action: "prompt" };
  },
};

// --- Gemini CLI -------------------------------------------------------------------------------

/** A Gemini `Content` part or message `content` part. */
function geminiPart(part: Obj | undefined, rest: readonly PathSegment[], role: Role | undefined, ctx: RecordContext, out: Described): void {
  const call = obj(part?.functionCall);
  const response = obj(part?.functionResponse);
  if (call && rest[0] === "functionCall") {
    out.role = "assistant";
    out.tool = str(call.name);
    out.toolCallId = str(call.id);
    out.action = inputAction(out.tool, [...rest.slice(2), ...ctx.nested.flat()], ctx.inner);
  } else if (response && rest[0] === "functionResponse") {
    out.role = "tool";
    out.tool = str(response.name);
    out.toolCallId = str(response.id);
    out.action = "read";
  } else {
    out.role = role;
    out.action = textAction(role);
  }
}

function geminiMessage(m: Obj | undefined, rest: readonly PathSegment[], ctx: RecordContext, out: Described): void {
  out.timestamp ??= isoTime(m?.timestamp);
  const role = asRole(m?.type) ?? asRole(m?.role);
  if (rest[0] === "toolCalls" && typeof rest[1] === "number") {
    const call = obj(at(m?.toolCalls, rest[1]));
    out.tool = str(call?.name);
    out.toolCallId = str(call?.id);
    if (rest[2] === "args") {
      out.role = "assistant";
      out.action = inputAction(out.tool, [...rest.slice(3), ...ctx.nested.flat()], ctx.inner);
    } else {
      out.role = "tool";
      out.action = "read";
    }
  } else if ((rest[0] === "content" || rest[0] === "parts") && typeof rest[1] === "number") {
    geminiPart(obj(at(m?.[rest[0]], rest[1])), rest.slice(2), role, ctx, out);
  } else if (rest[0] === "content" || rest[0] === "displayContent" || rest[0] === "message") {
    out.role = role ?? (rest[0] === "message" ? "user" : undefined);
    out.action = out.role ? textAction(out.role) : "context";
    if (m?.type === "info" || m?.type === "error" || m?.type === "warning") out.action = "context";
  } else if (rest[0] === "thoughts") {
    out.role = "assistant";
    out.action = "reply";
  } else {
    out.role = "system";
    out.action = "context";
  }
}

const gemini: Interpreter = {
  describe(ctx) {
    const r = ctx.record;
    const p = ctx.path;
    const first = obj(ctx.file.firstRecord());
    const out: Described = { session: str(obj(r)?.sessionId) ?? str(first?.sessionId) ?? ctx.file.sessionFromPath() };
    if (Array.isArray(r) && typeof p[0] === "number") {
      // logs.json (prompts) or checkpoint-*.json (Content[]).
      const m = obj(r[p[0]]);
      out.record = p[0];
      out.session = str(m?.sessionId) ?? out.session;
      geminiMessage(m, p.slice(1), ctx, out);
      return out;
    }
    const o = obj(r);
    if (p[0] === "messages" && typeof p[1] === "number") {
      out.record = p[1];
      geminiMessage(obj(at(o?.messages, p[1])), p.slice(2), ctx, out);
    } else if (p[0] === "$set" && p[1] === "messages" && typeof p[2] === "number") {
      geminiMessage(obj(at(obj(o?.$set)?.messages, p[2])), p.slice(3), ctx, out);
    } else if ((p[0] === "history" || p[0] === "clientHistory") && typeof p[1] === "number") {
      // checkpoints/*.json (/restore): the conversation as Content[] plus the tool call about to run.
      out.record = p[1];
      geminiMessage(obj(at(o?.[p[0]], p[1])), p.slice(2), ctx, out);
    } else if (p[0] === "toolCall") {
      const call = obj(o?.toolCall);
      out.tool = str(call?.name);
      out.role = "assistant";
      out.action = p[1] === "args" ? inputAction(out.tool, [...p.slice(2), ...ctx.nested.flat()], ctx.inner) : "context";
    } else if (o && (o.projectHash !== undefined || o.$set !== undefined)) {
      out.role = "system";
      out.action = "context";
    } else {
      geminiMessage(o, p, ctx, out);
    }
    return out;
  },
};

// --- Cline / Roo Code -------------------------------------------------------------------------

const CLINE_WRITE_TOOLS = new Set(["editedExistingFile", "newFileCreated", "appliedDiff", "newFile", "fileDeleted"]);

const cline: Interpreter = {
  describe(ctx) {
    const r = ctx.record;
    const p = ctx.path;
    const out: Described = { session: ctx.file.sessionFromPath() };
    if (!Array.isArray(r) || typeof p[0] !== "number") {
      out.role = "system";
      out.action = "context";
      return out;
    }
    out.record = p[0];
    const m = obj(r[p[0]]);
    const rest = p.slice(1);
    if (m && "role" in m) {
      // api_conversation_history.json: Anthropic MessageParam[].
      const role = asRole(m.role);
      const block = rest[0] === "content" && typeof rest[1] === "number" ? obj(at(m.content, rest[1])) : undefined;
      if (block?.type === "tool_use") {
        out.role = "assistant";
        out.tool = str(block.name);
        out.toolCallId = str(block.id);
        out.action = inputAction(out.tool, [...rest.slice(3), ...ctx.nested.flat()], ctx.inner);
      } else if (block?.type === "tool_result") {
        out.role = "tool";
        out.toolCallId = str(block.tool_use_id);
        out.tool = out.toolCallId ? ctx.file.toolName(out.toolCallId) : undefined;
        out.action = "read";
      } else {
        const result = ctx.inner && role === "user" ? /^\[([\w-]+)(?: for [^\]]*)?\] Result:/.exec(ctx.inner.text) : null;
        if (result) {
          out.role = "tool";
          out.tool = result[1];
          out.action = "read";
        } else {
          out.role = role;
          out.action = textAction(role);
        }
      }
      return out;
    }
    // ui_messages.json: [{ts, type: "ask"|"say", ask|say, text}].
    out.timestamp = isoTime(m?.ts);
    const kind = str(m?.say) ?? str(m?.ask);
    let payload: Obj | undefined;
    try {
      payload = typeof m?.text === "string" && m.text.startsWith("{") ? obj(JSON.parse(m.text)) : undefined;
    } catch {
      payload = undefined;
    }
    switch (kind) {
      case "task":
      case "user_feedback":
      case "user_feedback_diff":
        out.role = "user";
        out.action = "prompt";
        break;
      case "text":
      case "reasoning":
      case "completion_result":
      case "followup":
        out.role = "assistant";
        out.action = "reply";
        break;
      case "command":
        out.role = "assistant";
        out.tool = "execute_command";
        out.action = "send";
        break;
      case "command_output":
        out.role = "tool";
        out.tool = "execute_command";
        out.action = "read";
        break;
      case "tool": {
        const tool = str(payload?.tool);
        out.tool = tool;
        const nested = ctx.nested.flat();
        if (tool && CLINE_WRITE_TOOLS.has(tool)) {
          out.role = "assistant";
          const key = lastKey(nested);
          out.action =
            key && PATH_KEYS.has(key) ? "send" : ctx.inner ? (searchReplaceAction(ctx.inner.text, ctx.inner.offset) ?? "write") : "write";
        } else {
          out.role = "tool";
          out.action = "read";
        }
        break;
      }
      case "use_mcp_server":
        out.role = "assistant";
        out.tool = [str(payload?.serverName), str(payload?.toolName)].filter(Boolean).join("/") || undefined;
        out.action = "send";
        break;
      case "mcp_server_response":
        out.role = "tool";
        out.action = "read";
        break;
      default:
        out.role = "system";
        out.action = "context";
    }
    return out;
  },
  toolNameIn(record, id) {
    if (!Array.isArray(record)) return undefined;
    for (const m of record) {
      const content = obj(m)?.content;
      if (!Array.isArray(content)) continue;
      for (const b of content) {
        const block = obj(b);
        if (block?.type === "tool_use" && block.id === id) return str(block.name);
      }
    }
    return undefined;
  },
};

// --- Cursor -----------------------------------------------------------------------------------

function cursorBubble(b: Obj | undefined, rest: readonly PathSegment[], ctx: RecordContext, out: Described): void {
  const role: Role | undefined = b?.type === 1 ? "user" : b?.type === 2 ? "assistant" : undefined;
  const field = rest[0];
  if (field === "toolFormerData") {
    const tool = obj(b?.toolFormerData);
    out.tool = str(tool?.name);
    out.toolCallId = str(tool?.toolCallId);
    if (rest[1] === "result" || rest[1] === "error") {
      out.role = "tool";
      out.action = "read";
    } else {
      out.role = "assistant";
      out.action = inputAction(out.tool, [...rest.slice(2), ...ctx.nested.flat()], ctx.inner);
    }
  } else if (field === "text" || field === "richText" || field === "thinking" || field === "codeBlocks") {
    out.role = role;
    out.action = textAction(role);
  } else if (field === "context" || field === "attachedCodeChunks" || field === "relevantFiles" || field === "fileSelections") {
    out.role = role ?? "user";
    out.action = "read";
  } else {
    out.role = role ?? "system";
    out.action = "context";
  }
}

const cursor: Interpreter = {
  describe(ctx) {
    const key = ctx.file.rowKey?.(ctx.recordIndex) ?? "";
    const out: Described = { record: key || ctx.recordIndex };
    const [table, ...parts] = key.split(":");
    const r = obj(ctx.record);
    const p = ctx.path;
    if (table === "cursorDiskKV" && parts[0] === "bubbleId") {
      out.session = parts[1];
      cursorBubble(r, p, ctx, out);
    } else if (table === "cursorDiskKV" && parts[0] === "composerData") {
      out.session = parts[1];
      if (p[0] === "conversation" && typeof p[1] === "number") cursorBubble(obj(at(r?.conversation, p[1])), p.slice(2), ctx, out);
      else if (p[0] === "text" || p[0] === "richText") {
        out.role = "user";
        out.action = "prompt";
      } else if (p[0] === "originalFileStates") {
        out.role = "tool";
        out.action = "read";
      } else {
        out.role = "system";
        out.action = "context";
      }
    } else if (table === "ItemTable" && parts.join(":") === "aiService.prompts") {
      out.role = "user";
      out.action = "prompt";
    } else if (table === "ItemTable" && parts.join(":") === "aiService.generations") {
      out.role = "assistant";
      out.action = "reply";
    } else {
      out.role = "system";
      out.action = "context";
    }
    return out;
  },
};

const generic: Interpreter = {
  describe(ctx) {
    return { session: ctx.file.sessionFromPath(), action: "context" };
  },
};

export function interpreterFor(info: FormatInfo): Interpreter {
  switch (info.format) {
    case "claude-code":
      return claudeCode;
    case "claude-history":
      return claudeHistory;
    case "codex":
      return codex;
    case "codex-history":
      return codexHistory;
    case "gemini":
      return gemini;
    case "cline":
      return cline;
    case "cursor":
      return cursor;
    default:
      return generic;
  }
}
