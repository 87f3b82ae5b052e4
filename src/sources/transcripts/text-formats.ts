/**
 * Line-oriented transcripts: Aider's Markdown chat history, its prompt history and LLM log, and the
 * plain text agents keep next to their sessions (spilled tool results, paste cache, pre-edit file
 * copies, shell history). The text is scanned as is; the logical location comes from the lines
 * around the secret (session header, `#### ` prompt lines, `> ` tool output, SEARCH/REPLACE blocks).
 */
import type { Detector } from "../../engine/detector.js";
import { LineIndex } from "../../engine/positions.js";
import type { Origin } from "../../engine/types.js";
import { type FormatInfo, sessionFromPath } from "./formats.js";
import type { Action, Described, Role } from "./interpret.js";
import { buildLocation } from "./locate.js";
import { type Located, lineAround } from "./scanner.js";

export interface TextScanOptions {
  positionOf?: (offset: number) => { line: number; column: number };
}

/** One detector call over the text, remembering each finding's byte offsets. */
export function scanPlain(detector: Detector, bytes: Buffer, origin: Origin, options: TextScanOptions = {}): Located[] {
  let lines: LineIndex | undefined;
  const positionOf =
    options.positionOf ??
    ((offset: number) => {
      lines ??= new LineIndex(bytes);
      return lines.position(offset);
    });
  const seen = new Map<string, number>();
  const findings = detector.detect({
    bytes,
    origin,
    positionOf: (offset) => {
      const pos = positionOf(offset);
      seen.set(`${pos.line}:${pos.column}`, offset);
      return pos;
    },
    lineTextOf: (offset) => lineAround(bytes, offset),
  });
  return findings.map((finding) => {
    const start = seen.get(`${finding.startLine}:${finding.startColumn}`) ?? 0;
    const end = seen.get(`${finding.endLine}:${finding.endColumn}`) ?? start;
    return { finding, start, end, doc: 0, offset: start };
  });
}

/** The lines before `offset`, last first (bounded). */
function* linesBefore(bytes: Buffer, offset: number, max = 20000): Generator<string> {
  let end = bytes.lastIndexOf(0x0a, Math.max(0, offset - 1));
  let n = 0;
  while (end >= 0 && n++ < max) {
    const start = end === 0 ? 0 : bytes.lastIndexOf(0x0a, end - 1) + 1;
    yield bytes.toString("utf8", start, end).replace(/\r$/, "");
    if (start === 0) return;
    end = start - 1;
  }
}

function currentLine(bytes: Buffer, offset: number): string {
  const a = offset === 0 ? 0 : bytes.lastIndexOf(0x0a, offset - 1) + 1;
  let b = bytes.indexOf(0x0a, offset);
  if (b < 0) b = bytes.length;
  return bytes.toString("utf8", a, Math.min(b, a + 4096)).replace(/\r$/, "");
}

const AIDER_SESSION = /^# aider chat started at (.+)$/;

function describeAiderChat(bytes: Buffer, offset: number): Described {
  const line = currentLine(bytes, offset);
  const out: Described = {};
  // Walk up to the session header: count prompts, find the enclosing SEARCH/REPLACE marker.
  let prompts = 0;
  let marker: Action | "outside" | undefined;
  for (const l of linesBefore(bytes, offset)) {
    const m = AIDER_SESSION.exec(l);
    if (m) {
      out.session = (m[1] as string).trim();
      out.timestamp = isoLocal(out.session);
      break;
    }
    if (l.startsWith("#### ")) prompts++;
    if (marker === undefined && prompts === 0) {
      if (l === "=======") marker = "write";
      else if (/^<{7} SEARCH/.test(l)) marker = "read";
      else if (/^>{7} REPLACE/.test(l)) marker = "outside";
    }
  }
  // Turn number: the prompts so far, this one included (0: the start-up output before any prompt).
  out.record = prompts + (line.startsWith("#### ") ? 1 : 0);
  let role: Role;
  let action: Action;
  if (line.startsWith("#### ")) {
    role = "user";
    action = "prompt";
  } else if (line.startsWith("> ") || line === ">") {
    role = "tool";
    action = "read";
  } else {
    role = "assistant";
    action = marker === "write" || marker === "read" ? marker : "reply";
  }
  out.role = role;
  out.action = action;
  if (role === "assistant" && (marker === "write" || marker === "read")) out.tool = "edit";
  return out;
}

/** `2024-08-05 19:33:02` (local time, as Aider writes it) → ISO, taken as local time of this machine. */
function isoLocal(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Prompt history: `# <time>` then the prompt's lines, each prefixed `+`. The entry's time names the record. */
function describeAiderInput(bytes: Buffer, offset: number): Described {
  const out: Described = { role: "user", action: "prompt" };
  for (const l of linesBefore(bytes, offset)) {
    const m = /^# (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(l);
    if (m) {
      out.record = m[1];
      out.timestamp = isoLocal(m[1] as string);
      break;
    }
  }
  return out;
}

function describeAiderLlm(bytes: Buffer, offset: number): Described {
  const out: Described = {};
  for (const l of [currentLine(bytes, offset), ...linesBefore(bytes, offset)]) {
    const m = /^(SYSTEM|USER|ASSISTANT|TO LLM|LLM RESPONSE)\b(.*)$/.exec(l);
    if (!m) continue;
    if (m[1] === "TO LLM" || m[1] === "LLM RESPONSE") {
      out.role ??= m[1] === "LLM RESPONSE" ? "assistant" : "user";
      out.session = m[2]?.trim() || undefined;
      out.timestamp = out.session ? isoLocal(out.session) : undefined;
      break;
    }
    out.role ??= m[1] === "USER" ? "user" : m[1] === "ASSISTANT" ? "assistant" : "system";
  }
  out.action = out.role === "user" ? "prompt" : out.role === "assistant" ? "reply" : "context";
  return out;
}

function describeAgentText(path: string, info: FormatInfo): Described {
  const p = path.replace(/\\/g, "/");
  const out: Described = { session: sessionFromPath(path, info) };
  if (p.includes("/tool-results/")) {
    out.role = "tool";
    out.action = "read";
  } else if (p.includes("/paste-cache/")) {
    out.role = "user";
    out.action = "prompt";
  } else if (p.includes("/file-history/")) {
    out.role = "tool";
    out.action = "read";
  } else if (p.endsWith("/shell_history") || p === "shell_history") {
    out.role = "user";
    out.action = "send";
    out.tool = "shell";
  } else {
    out.action = "context";
  }
  return out;
}

/** Sets `logicalLocation` on findings of a text transcript. */
export function locateText(bytes: Buffer, located: Located[], info: FormatInfo, path: string): void {
  for (const l of located) {
    let d: Described;
    switch (info.format) {
      case "aider-chat":
        d = describeAiderChat(bytes, l.start);
        break;
      case "aider-input":
        d = describeAiderInput(bytes, l.start);
        break;
      case "aider-llm":
        d = describeAiderLlm(bytes, l.start);
        break;
      default:
        d = describeAgentText(path, info);
    }
    l.finding.logicalLocation = buildLocation(info, d, undefined);
  }
}
