/**
 * Which agent wrote a file, from its path and, failing that, its first bytes. See
 * shared/agent-formats/NOTES.md part A for the formats and where each agent keeps them.
 */

export type TranscriptFormat =
  /** Claude Code session or subagent JSONL (`~/.claude/projects/<cwd>/<session>.jsonl`). */
  | "claude-code"
  /** Claude Code prompt history (`~/.claude/history.jsonl`). */
  | "claude-history"
  /** OpenAI Codex rollout (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl[.zst]`). */
  | "codex"
  /** Codex prompt history (`~/.codex/history.jsonl`). */
  | "codex-history"
  /** Gemini CLI chats (JSONL or legacy JSON), `logs.json`, `checkpoint-*.json`. */
  | "gemini"
  /** Cline / Roo Code task files (`api_conversation_history.json`, `ui_messages.json`). */
  | "cline"
  /** Cursor `state.vscdb` (SQLite). */
  | "cursor"
  /** Aider `.aider.chat.history.md`. */
  | "aider-chat"
  /** Aider `.aider.input.history` (prompt_toolkit history). */
  | "aider-input"
  /** Aider `.aider.llm.history`. */
  | "aider-llm"
  /** Plain text an agent keeps next to its transcripts (spilled tool results, paste cache, shell history...). */
  | "agent-text";

export interface FormatInfo {
  format: TranscriptFormat;
  /** `claude-code`, `codex`, `gemini-cli`, `cline`, `roo-code`, `cursor`, `aider`. */
  agent: string;
  /** How the bytes are read: JSON / JSONL records, text lines, a SQLite database. */
  container: "json" | "text" | "sqlite";
  /** zstd-compressed (Codex `.jsonl.zst`). */
  compressed?: boolean;
}

const norm = (path: string) => path.replace(/\\/g, "/");

const CLAUDE_PROJECT = /(?:^|\/)\.claude\/projects\/[^/]+\/.+\.jsonl$/;
const CLAUDE_HISTORY = /(?:^|\/)\.claude\/history\.jsonl$/;
const CLAUDE_TEXT = /(?:^|\/)\.claude\/(?:projects\/[^/]+\/[^/]+\/tool-results\/|paste-cache\/|file-history\/)/;
const CODEX_ROLLOUT = /(?:^|\/)rollout-[^/]*\.jsonl(\.zst)?$/;
const CODEX_HISTORY = /(?:^|\/)\.codex\/history\.jsonl$/;
const GEMINI_JSON = /(?:^|\/)\.gemini\/tmp\/[^/]+\/(?:chats\/.+\.jsonl?|logs\.json|checkpoint-[^/]*\.json|checkpoints\/[^/]+\.json)$/;
const GEMINI_TEXT = /(?:^|\/)\.gemini\/tmp\/[^/]+\/shell_history$/;
const CLINE_TASK = /(?:^|\/)(?:tasks\/[^/]+\/)?(?:api_conversation_history|ui_messages)\.json$/;
const CODEX_LOG = /(?:^|\/)\.codex\/log\/[^/]+\.log$/;
const CURSOR_DB = /(?:^|\/)state\.vscdb$/;
const CURSOR_TEXT = /(?:^|\/)\.cursor\/projects\/[^/]+\/agent-transcripts\/[^/]+\.txt$/;

const SNIFF_CODEX = /"type"\s*:\s*"session_meta"/;
const SNIFF_CLAUDE = /"parentUuid"\s*:/;
const SNIFF_SESSION_ID = /"sessionId"\s*:/;
const SNIFF_GEMINI = /"projectHash"\s*:/;
const SNIFF_CLAUDE_HISTORY = /"display"\s*:[\s\S]*"pastedContents"\s*:/;
const SNIFF_AIDER = /^# aider chat started at /m;

function clineAgent(path: string): string {
  return /rooveterinaryinc\.roo-cline|\/\.roo\//i.test(path) ? "roo-code" : "cline";
}

/** The format of a transcript file, or undefined for any other file. `head`: its first bytes (may be empty). */
export function detectFormat(rawPath: string, head: Buffer): FormatInfo | undefined {
  const path = norm(rawPath);
  const slash = path.lastIndexOf("/");
  const base = path.slice(slash + 1);
  if (base.startsWith(".aider.")) {
    if (base === ".aider.chat.history.md") return { format: "aider-chat", agent: "aider", container: "text" };
    if (base === ".aider.input.history") return { format: "aider-input", agent: "aider", container: "text" };
    if (base === ".aider.llm.history") return { format: "aider-llm", agent: "aider", container: "text" };
  }
  if (base.endsWith(".jsonl") || base.endsWith(".jsonl.zst")) {
    const compressed = base.endsWith(".zst") || undefined;
    if (CODEX_ROLLOUT.test(path)) return { format: "codex", agent: "codex", container: "json", compressed };
    if (compressed) return undefined;
    if (CODEX_HISTORY.test(path)) return { format: "codex-history", agent: "codex", container: "json" };
    if (CLAUDE_HISTORY.test(path)) return { format: "claude-history", agent: "claude-code", container: "json" };
    if (CLAUDE_TEXT.test(path)) return { format: "agent-text", agent: "claude-code", container: "text" };
    if (CLAUDE_PROJECT.test(path)) return { format: "claude-code", agent: "claude-code", container: "json" };
    if (GEMINI_JSON.test(path)) return { format: "gemini", agent: "gemini-cli", container: "json" };
    return sniffJsonl(head);
  }
  if (base.endsWith(".json")) {
    if (GEMINI_JSON.test(path)) return { format: "gemini", agent: "gemini-cli", container: "json" };
    if (CLINE_TASK.test(path)) return { format: "cline", agent: clineAgent(path), container: "json" };
    if (CLAUDE_TEXT.test(path)) return { format: "agent-text", agent: "claude-code", container: "text" };
    // Gemini CLI <= 0.38 wrote one JSON object per session.
    if (head.length && head.includes('"projectHash"') && head.includes('"messages"') && SNIFF_GEMINI.test(firstChunk(head))) {
      return { format: "gemini", agent: "gemini-cli", container: "json" };
    }
    return undefined;
  }
  if (CURSOR_DB.test(path)) return { format: "cursor", agent: "cursor", container: "sqlite" };
  if (CLAUDE_TEXT.test(path)) return { format: "agent-text", agent: "claude-code", container: "text" };
  if (GEMINI_TEXT.test(path)) return { format: "agent-text", agent: "gemini-cli", container: "text" };
  if (CODEX_LOG.test(path)) return { format: "agent-text", agent: "codex", container: "text" };
  if (CURSOR_TEXT.test(path)) return { format: "agent-text", agent: "cursor", container: "text" };
  if (base.endsWith(".md") && head.length && head.includes("# aider chat started at ") && SNIFF_AIDER.test(firstChunk(head))) {
    return { format: "aider-chat", agent: "aider", container: "text" };
  }
  return undefined;
}

function firstChunk(head: Buffer): string {
  return head.toString("utf8", 0, Math.min(head.length, 4096));
}

/** A JSONL file under another name or directory: recognised by its first line. */
function sniffJsonl(head: Buffer): FormatInfo | undefined {
  if (head.length === 0 || head[0] !== 0x7b) return undefined;
  const nl = head.indexOf(0x0a);
  const line = head.toString("utf8", 0, nl < 0 ? head.length : nl);
  if (SNIFF_CODEX.test(line)) return { format: "codex", agent: "codex", container: "json" };
  if (SNIFF_GEMINI.test(line) && SNIFF_SESSION_ID.test(line)) return { format: "gemini", agent: "gemini-cli", container: "json" };
  if (SNIFF_CLAUDE_HISTORY.test(line)) return { format: "claude-history", agent: "claude-code", container: "json" };
  // Claude Code: every record carries parentUuid and sessionId; a first `summary` line may not.
  const text = firstChunk(head);
  if (SNIFF_CLAUDE.test(text) && SNIFF_SESSION_ID.test(text)) return { format: "claude-code", agent: "claude-code", container: "json" };
  return undefined;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** A session id guessed from the file's path (used when the records do not say). */
export function sessionFromPath(rawPath: string, info: FormatInfo): string | undefined {
  const path = norm(rawPath);
  const parts = path.split("/");
  const base = parts[parts.length - 1] ?? "";
  switch (info.format) {
    case "claude-code": {
      // <session>.jsonl, or <session>/subagents/agent-<id>.jsonl
      const sub = parts.lastIndexOf("subagents");
      if (sub > 0) return parts[sub - 1];
      return base.replace(/\.jsonl$/, "");
    }
    case "codex":
      return base.match(UUID)?.[0] ?? base.replace(/\.jsonl(\.zst)?$/, "");
    case "gemini": {
      const m = base.match(/^session-.*-([0-9a-f]{8})\.jsonl?$/i);
      if (m) return m[1];
      if (base.startsWith("checkpoint-")) return `checkpoint ${base.replace(/^checkpoint-|\.json$/g, "")}`;
      return undefined;
    }
    case "cline":
      return parts[parts.length - 2];
    case "agent-text": {
      const i = parts.indexOf("tool-results");
      if (i > 0) return parts[i - 1];
      const fh = parts.indexOf("file-history");
      if (fh >= 0) return parts[fh + 1];
      const at = parts.indexOf("agent-transcripts");
      if (at >= 0) return base.replace(/\.txt$/, "");
      return undefined;
    }
    default:
      return undefined;
  }
}
