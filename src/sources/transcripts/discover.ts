/**
 * Where each agent keeps its transcripts for a user (see shared/agent-formats/NOTES.md, "Auto-detect as
 * transcripts"), and the expansion of explicit paths into transcript files.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { detectFormat, type FormatInfo } from "./formats.js";

export interface TranscriptFile {
  abs: string;
  info: FormatInfo;
  size: number;
  mtimeMs: number;
}

export interface DiscoverOptions {
  home: string;
  /** `CLAUDE_CONFIG_DIR`, `CODEX_HOME` (only used when no `--home` was given). */
  claudeDir?: string;
  codexHome?: string;
}

/** Directories never descended into. */
const SKIP_DIRS = new Set([".git", "node_modules", ".venv", "__pycache__"]);
/** Bounds on a directory walk (a home directory can be huge). */
const MAX_DEPTH = 12;
const MAX_FILES = 200_000;

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function readHead(abs: string, size: number): Buffer {
  const n = Math.min(size, 4096);
  if (n <= 0) return Buffer.alloc(0);
  let fd: number | undefined;
  try {
    fd = openSync(abs, "r");
    const buf = Buffer.allocUnsafe(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } catch {
    return Buffer.alloc(0);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Lists regular files under `dir` (no symlinks followed), calling `take` for each. */
function walk(dir: string, take: (abs: string, size: number, mtimeMs: number) => void, depth = 0, count = { n: 0 }): void {
  if (depth > MAX_DEPTH || count.n > MAX_FILES) return;
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(abs, take, depth + 1, count);
    } else if (e.isFile()) {
      const st = statOrUndefined(abs);
      if (!st) continue;
      count.n++;
      take(abs, st.size, st.mtimeMs);
    }
  }
}

/** Transcript files under `dir`: recognised by path, else (JSONL / Markdown) by their first bytes. */
function transcriptsUnder(dir: string, out: Map<string, TranscriptFile>, force?: (abs: string) => FormatInfo | undefined): void {
  walk(dir, (abs, size, mtimeMs) => {
    if (out.has(abs)) return;
    let info = detectFormat(abs, Buffer.alloc(0));
    if (!info && /\.(jsonl|json|md)$/.test(abs)) info = detectFormat(abs, readHead(abs, size));
    if (!info && force) info = force(abs);
    if (info) out.set(abs, { abs, info, size, mtimeMs });
  });
}

function addFile(abs: string, out: Map<string, TranscriptFile>, force?: FormatInfo): void {
  const st = statOrUndefined(abs);
  if (!st?.isFile() || out.has(abs)) return;
  const info = detectFormat(abs, readHead(abs, st.size)) ?? force;
  if (info) out.set(abs, { abs, info, size: st.size, mtimeMs: st.mtimeMs });
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

/** VS Code-family user directories (Cline / Roo task storage, Cursor state) on Linux, macOS and Windows. */
function editorUserDirs(home: string, names: readonly string[]): string[] {
  const roots = [join(home, ".config"), join(home, "Library", "Application Support"), join(home, "AppData", "Roaming")];
  const out: string[] = [];
  for (const root of roots) for (const name of names) out.push(join(root, name, "User"));
  return out;
}

const EDITORS = ["Code", "Code - Insiders", "VSCodium", "Cursor", "Windsurf", "Trae", "Kiro"];
const CLINE_EXTENSIONS = ["saoudrizwan.claude-dev", "rooveterinaryinc.roo-cline"];

/** The default transcript locations of every supported agent for one user. Sorted by path. */
export function discoverTranscripts(options: DiscoverOptions): TranscriptFile[] {
  const { home } = options;
  const out = new Map<string, TranscriptFile>();
  const claude = options.claudeDir ?? join(home, ".claude");
  // A custom CLAUDE_CONFIG_DIR does not match the usual path patterns: the location says what the files are.
  const claudeText = (abs: string): FormatInfo | undefined =>
    abs.endsWith(".meta.json") ? undefined : { format: "agent-text", agent: "claude-code", container: "text" };
  const claudeSession = (abs: string): FormatInfo | undefined =>
    abs.endsWith(".jsonl") ? { format: "claude-code", agent: "claude-code", container: "json" } : claudeText(abs);
  for (const project of subdirs(join(claude, "projects"))) transcriptsUnder(project, out, claudeSession);
  addFile(join(claude, "history.jsonl"), out, { format: "claude-history", agent: "claude-code", container: "json" });
  transcriptsUnder(join(claude, "paste-cache"), out, claudeText);
  transcriptsUnder(join(claude, "file-history"), out, claudeText);

  const codex = options.codexHome ?? join(home, ".codex");
  transcriptsUnder(join(codex, "sessions"), out);
  transcriptsUnder(join(codex, "archived_sessions"), out);
  transcriptsUnder(join(codex, "log"), out);
  addFile(join(codex, "history.jsonl"), out, { format: "codex-history", agent: "codex", container: "json" });

  for (const project of subdirs(join(home, ".gemini", "tmp"))) transcriptsUnder(project, out);

  for (const user of editorUserDirs(home, EDITORS)) {
    addFile(join(user, "globalStorage", "state.vscdb"), out);
    if (user.includes("Cursor")) for (const ws of subdirs(join(user, "workspaceStorage"))) addFile(join(ws, "state.vscdb"), out);
    for (const ext of CLINE_EXTENSIONS) {
      for (const task of subdirs(join(user, "globalStorage", ext, "tasks"))) transcriptsUnder(task, out);
    }
  }
  for (const task of subdirs(join(home, ".cline", "data", "tasks"))) transcriptsUnder(task, out);
  for (const project of subdirs(join(home, ".cursor", "projects"))) transcriptsUnder(join(project, "agent-transcripts"), out);

  for (const name of [".aider.chat.history.md", ".aider.input.history", ".aider.llm.history"]) addFile(join(home, name), out);
  return [...out.values()].sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : 0));
}

/** Explicit paths: a file is taken when it is a transcript; a directory is searched for transcripts. */
export function expandTranscriptPaths(paths: readonly string[]): { files: TranscriptFile[]; missing: string[]; notTranscripts: string[] } {
  const out = new Map<string, TranscriptFile>();
  const missing: string[] = [];
  const notTranscripts: string[] = [];
  for (const p of paths) {
    const st = statOrUndefined(p);
    if (!st) {
      missing.push(p);
      continue;
    }
    if (st.isDirectory()) transcriptsUnder(p, out);
    else {
      addFile(p, out);
      if (!out.has(p)) notTranscripts.push(p);
    }
  }
  return { files: [...out.values()].sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : 0)), missing, notTranscripts };
}
