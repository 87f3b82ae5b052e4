/**
 * `leakgate guard install` / `uninstall`: merges the guard's hook entries into each agent's own
 * settings file (NOTES.md part C), leaving everything else as it is (comments and formatting too:
 * only the `hooks` member is rewritten), idempotently; uninstall removes exactly the entries whose
 * command runs `guard --agent <agent>`.
 *
 * | agent       | --project (default)          | --user                        | events |
 * |-------------|------------------------------|-------------------------------|--------|
 * | claude-code | .claude/settings.json        | ~/.claude/settings.json       | PreToolUse, PostToolUse (matcher `*`), UserPromptSubmit |
 * | cursor      | .cursor/hooks.json           | ~/.cursor/hooks.json          | beforeShellExecution, beforeMCPExecution, beforeReadFile, beforeSubmitPrompt (failClosed) |
 * | gemini      | .gemini/settings.json        | ~/.gemini/settings.json       | BeforeTool, AfterTool (matcher `*`), BeforeAgent |
 * | codex       | .codex/hooks.json            | ~/.codex/hooks.json (default) | PreToolUse, UserPromptSubmit |
 * | copilot     | .github/hooks/leakgate.json  | ~/.copilot/hooks/leakgate.json | preToolUse |
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../errors.js";
import type { AgentId } from "./types.js";

type Jsonc = typeof import("jsonc-parser");
const requireModule = createRequire(import.meta.url);

export type Scope = "project" | "user";

export interface InstallOptions {
  agent: AgentId;
  scope?: Scope;
  projectDir: string;
  home: string;
  /** The hook command's program: defaults to this node and this package's guard entry. */
  node?: string;
  entry?: string;
}

export interface InstallResult {
  file: string;
  /** The file as the user would name it (`.claude/settings.json`, `~/.codex/hooks.json`). */
  shown: string;
  changed: boolean;
  /** `event` or `event (matcher)` entries added, updated or removed. */
  added: string[];
  updated: string[];
  removed: string[];
  deletedFile: boolean;
  command: string;
  notes: string[];
}

/**
 * The script a hook runs: the lean guard entry next to the CLI (`dist/guard/bin.js`). It takes the
 * same arguments as `leakgate guard` and starts faster than `dist/cli/bin.js guard`.
 */
export const GUARD_ENTRY = fileURLToPath(new URL("./bin.js", import.meta.url));

/** `"..."` for POSIX shells (and cmd, PowerShell after `&`). */
export function shellQuote(text: string): string {
  return `"${text.replace(/(["\\$`])/g, "\\$1")}"`;
}

export function hookCommand(agent: AgentId, node: string, entry: string, extra: string[] = []): string {
  return [shellQuote(node), shellQuote(entry), "--agent", agent, ...extra].join(" ");
}

/** Whether a hook command is one this installer wrote for `agent` (any install location). */
export function isGuardCommand(command: unknown, agent: AgentId): boolean {
  if (typeof command !== "string") return false;
  const runsGuard = new RegExp(`(?:\\bguard\\s+)?--agent[ =]${agent.replace(/-/g, "\\-")}(?:\\s|$)`).test(command);
  const isLeakgate = /leakgate|[\\/]dist[\\/](?:guard|cli)[\\/]bin\.js/.test(command);
  return runsGuard && isLeakgate;
}

interface Layout {
  file: (scope: Scope, projectDir: string, home: string) => string;
  defaultScope: Scope;
  /** Top-level members a new file starts with (besides `hooks`). */
  header?: Record<string, unknown>;
  /** Event → the entry to add. */
  entries: (command: (extra?: string[]) => string) => Record<string, unknown>;
  /** The command string(s) of an entry, for recognising ours. */
  grouped: boolean;
  notes: string[];
}

const LAYOUTS: Record<AgentId, Layout> = {
  "claude-code": {
    file: (scope, projectDir, home) =>
      scope === "user" ? join(home, ".claude", "settings.json") : join(projectDir, ".claude", "settings.json"),
    defaultScope: "project",
    grouped: true,
    entries: (cmd) => {
      const hook = { type: "command", command: cmd(), timeout: 30 };
      return {
        PreToolUse: { matcher: "*", hooks: [hook] },
        PostToolUse: { matcher: "*", hooks: [hook] },
        UserPromptSubmit: { hooks: [hook] },
      };
    },
    notes: ["Claude Code reads hooks at start-up: restart running sessions (or review them with /hooks)."],
  },
  codex: {
    file: (scope, projectDir, home) => (scope === "user" ? join(home, ".codex", "hooks.json") : join(projectDir, ".codex", "hooks.json")),
    defaultScope: "user",
    grouped: true,
    entries: (cmd) => {
      const hook = { type: "command", command: cmd(), timeout: 30 };
      return { PreToolUse: { hooks: [hook] }, UserPromptSubmit: { hooks: [hook] } };
    },
    notes: [
      "Codex runs a new or changed hook only after you trust it: start Codex, open /hooks and trust the leakgate hook once.",
      "Hooks must be enabled in ~/.codex/config.toml (they are by default; `[features] hooks = false` turns them off).",
    ],
  },
  gemini: {
    file: (scope, projectDir, home) =>
      scope === "user" ? join(home, ".gemini", "settings.json") : join(projectDir, ".gemini", "settings.json"),
    defaultScope: "project",
    grouped: true,
    entries: (cmd) => {
      const hook = { type: "command", name: "leakgate-guard", command: cmd(), timeout: 30000, description: "leakgate: block secrets" };
      return {
        BeforeTool: { matcher: "*", hooks: [hook] },
        AfterTool: { matcher: "*", hooks: [hook] },
        BeforeAgent: { hooks: [hook] },
      };
    },
    notes: [
      "Gemini CLI runs hooks only with its hooks system enabled (/settings → Advanced → Enable Hooks System); check with /hooks panel.",
    ],
  },
  cursor: {
    file: (scope, projectDir, home) => (scope === "user" ? join(home, ".cursor", "hooks.json") : join(projectDir, ".cursor", "hooks.json")),
    defaultScope: "project",
    header: { version: 1 },
    grouped: false,
    entries: (cmd) => {
      const hook = { command: cmd(), failClosed: true };
      return { beforeShellExecution: hook, beforeMCPExecution: hook, beforeReadFile: hook, beforeSubmitPrompt: hook };
    },
    notes: ["Cursor runs project hooks in trusted workspaces; check Settings → Hooks (restart Cursor if they do not show)."],
  },
  copilot: {
    file: (scope, projectDir, home) =>
      scope === "user" ? join(home, ".copilot", "hooks", "leakgate.json") : join(projectDir, ".github", "hooks", "leakgate.json"),
    defaultScope: "project",
    header: { version: 1 },
    grouped: false,
    entries: (cmd) => ({
      preToolUse: {
        type: "command",
        bash: cmd(["--event", "preToolUse"]),
        powershell: `& ${cmd(["--event", "preToolUse"])}`,
        timeoutSec: 30,
      },
    }),
    notes: [
      "The Copilot CLI reads .github/hooks/*.json from the working directory; the Copilot cloud agent reads it from the default branch.",
      "Copilot cannot block prompts or tool output (its userPromptSubmitted and postToolUse outputs are ignored): only tool calls are checked.",
    ],
  },
};

type Doc = Record<string, unknown>;
type Hooks = Record<string, unknown[]>;

function readDoc(file: string): { text: string | undefined; doc: Doc } {
  if (!existsSync(file)) return { text: undefined, doc: {} };
  const text = readFileSync(file, "utf8");
  if (text.trim() === "") return { text, doc: {} };
  const jsonc = requireModule("jsonc-parser") as Jsonc;
  const errors: import("jsonc-parser").ParseError[] = [];
  const doc: unknown = jsonc.parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length || typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new UsageError(`cannot update ${file}: it is not a valid JSON object; fix or move it first`);
  }
  const hooks = (doc as Doc).hooks;
  if (hooks !== undefined && (typeof hooks !== "object" || hooks === null || Array.isArray(hooks))) {
    throw new UsageError(`cannot update ${file}: its "hooks" member is not an object`);
  }
  return { text, doc: doc as Doc };
}

/** The indentation the file already uses (default two spaces). */
function indentOf(text: string | undefined): { insertSpaces: boolean; tabSize: number } {
  const m = text ? /\n([ \t]+)\S/.exec(text) : null;
  if (m?.[1]?.startsWith("\t")) return { insertSpaces: false, tabSize: 1 };
  return { insertSpaces: true, tabSize: m?.[1]?.length || 2 };
}

/**
 * Applies JSON edits to the file's text, one path at a time (value undefined removes; `insert` adds
 * an array element), so comments, order and formatting elsewhere stay as they were.
 */
type Edit = { path: (string | number)[]; value: unknown; insert?: boolean };

function writeEdits(file: string, text: string | undefined, edits: readonly Edit[], full: Doc): void {
  let out: string;
  if (text === undefined || text.trim() === "") out = `${JSON.stringify(full, null, 2)}\n`;
  else {
    const jsonc = requireModule("jsonc-parser") as Jsonc;
    out = text;
    const formattingOptions = { ...indentOf(text), eol: text.includes("\r\n") ? "\r\n" : "\n" };
    for (const edit of edits) {
      out = jsonc.applyEdits(out, jsonc.modify(out, edit.path, edit.value, { formattingOptions, isArrayInsertion: edit.insert === true }));
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.leakgate-tmp`;
  const mode = existsSync(file) ? statSync(file).mode & 0o777 : 0o644;
  writeFileSync(tmp, out, { mode });
  renameSync(tmp, file);
}

function commandsOf(entry: unknown, grouped: boolean): { holder: Record<string, unknown>; key: string }[] {
  const e = entry as Record<string, unknown> | null;
  if (!e || typeof e !== "object") return [];
  if (!grouped) return ["command", "bash", "powershell"].filter((k) => typeof e[k] === "string").map((key) => ({ holder: e, key }));
  const hooks = Array.isArray(e.hooks) ? e.hooks : [];
  return hooks
    .filter((h) => h && typeof h === "object" && typeof (h as Doc).command === "string")
    .map((h) => ({ holder: h as Doc, key: "command" }));
}

function isOurs(entry: unknown, agent: AgentId, grouped: boolean): boolean {
  return commandsOf(entry, grouped).some(({ holder, key }) => isGuardCommand(holder[key], agent));
}

function shown(file: string, projectDir: string, home: string): string {
  const inProject = relative(projectDir, file);
  if (!inProject.startsWith("..") && !inProject.startsWith(sep)) return inProject.split(sep).join("/");
  const inHome = relative(home, file);
  if (!inHome.startsWith("..")) return `~/${inHome.split(sep).join("/")}`;
  return file;
}

function label(event: string, entry: unknown): string {
  const matcher = (entry as Doc | undefined)?.matcher;
  return typeof matcher === "string" ? `${event} (matcher "${matcher}")` : event;
}

function prepare(options: InstallOptions) {
  const layout = LAYOUTS[options.agent];
  const scope = options.scope ?? layout.defaultScope;
  const file = layout.file(scope, options.projectDir, options.home);
  const node = options.node ?? process.execPath;
  const entry = options.entry ?? GUARD_ENTRY;
  const command = hookCommand(options.agent, node, entry);
  return { layout, file, node, entry, command, cmd: (extra: string[] = []) => hookCommand(options.agent, node, entry, extra) };
}

export function installHooks(options: InstallOptions): InstallResult {
  const { layout, file, command, cmd } = prepare(options);
  const { text, doc } = readDoc(file);
  const before = (doc.hooks as Hooks | undefined) ?? {};
  const hooks: Hooks = { ...before };
  const edits: Edit[] = [];
  const result = unchangedResult(options, file, command, layout.notes);
  for (const [key, value] of Object.entries(layout.header ?? {})) if (doc[key] === undefined) edits.push({ path: [key], value });
  for (const [event, wanted] of Object.entries(layout.entries(cmd))) {
    const existing = Array.isArray(before[event]) ? (before[event] as unknown[]) : undefined;
    const list = existing ? [...existing] : [];
    const at = list.findIndex((e) => isOurs(e, options.agent, layout.grouped));
    if (at === -1) {
      list.push(wanted);
      result.added.push(label(event, wanted));
      edits.push(
        existing ? { path: ["hooks", event, existing.length], value: wanted, insert: true } : { path: ["hooks", event], value: [wanted] },
      );
    } else if (JSON.stringify(list[at]) !== JSON.stringify(wanted)) {
      // Ours, but from another install location or version: replace it in place.
      list[at] = wanted;
      result.updated.push(label(event, wanted));
      edits.push({ path: ["hooks", event, at], value: wanted });
    } else continue;
    hooks[event] = list;
  }
  result.changed = result.added.length + result.updated.length > 0;
  if (!result.changed) return result;
  // Without a `hooks` member, one edit adds it whole.
  const finalEdits = doc.hooks === undefined ? [...edits.filter((e) => e.path[0] !== "hooks"), { path: ["hooks"], value: hooks }] : edits;
  const header: Doc = {};
  for (const [key, value] of Object.entries(layout.header ?? {})) if (doc[key] === undefined) header[key] = value;
  writeEdits(file, text, finalEdits, { ...header, ...doc, hooks });
  return result;
}

/** The result before any edit: install and uninstall fill it in as they change the settings file. */
function unchangedResult(options: InstallOptions, file: string, command: string, notes: string[]): InstallResult {
  return {
    file,
    shown: shown(file, options.projectDir, options.home),
    changed: false,
    added: [],
    updated: [],
    removed: [],
    deletedFile: false,
    command,
    notes,
  };
}

export function uninstallHooks(options: InstallOptions): InstallResult {
  const { layout, file, command } = prepare(options);
  const result = unchangedResult(options, file, command, []);
  if (!existsSync(file)) return result;
  const { text, doc } = readDoc(file);
  const before = (doc.hooks as Hooks | undefined) ?? {};
  const hooks: Hooks = {};
  const edits: Edit[] = [];
  for (const [event, value] of Object.entries(before)) {
    if (!Array.isArray(value)) {
      hooks[event] = value;
      continue;
    }
    const kept: unknown[] = [];
    const removals: Edit[] = [];
    value.forEach((entry, index) => {
      if (!isOurs(entry, options.agent, layout.grouped)) {
        kept.push(entry);
        return;
      }
      result.removed.push(label(event, entry));
      const handlers = layout.grouped ? ((entry as Doc).hooks as unknown[]) : [];
      const others = handlers.filter((h) => !isGuardCommand((h as Doc | null)?.command, options.agent));
      if (others.length) {
        // A group the user shares with other handlers keeps them: remove only ours.
        kept.push({ ...(entry as Doc), hooks: others });
        handlers.forEach((h, j) => {
          if (isGuardCommand((h as Doc | null)?.command, options.agent))
            removals.push({ path: ["hooks", event, index, "hooks", j], value: undefined });
        });
      } else removals.push({ path: ["hooks", event, index], value: undefined });
    });
    if (removals.length === 0) {
      hooks[event] = value;
      continue;
    }
    if (kept.length) {
      hooks[event] = kept;
      // Last index first, so earlier indices stay valid.
      edits.push(...removals.reverse());
    } else edits.push({ path: ["hooks", event], value: undefined });
  }
  if (result.removed.length === 0) return result;
  result.changed = true;
  const rest = Object.keys(doc).filter((k) => k !== "hooks" && !(layout.header && k in layout.header));
  if (Object.keys(hooks).length === 0 && rest.length === 0) {
    // Nothing but what the installer writes is left.
    unlinkSync(file);
    result.deletedFile = true;
    return result;
  }
  writeEdits(file, text, Object.keys(hooks).length ? edits : [{ path: ["hooks"], value: undefined }], { ...doc, hooks });
  return result;
}

/** What `install` / `uninstall` print. */
export function describe(result: InstallResult, verb: "install" | "uninstall"): string {
  const lines: string[] = [];
  if (!result.changed) {
    lines.push(
      verb === "install"
        ? `leakgate guard is already installed in ${result.shown}: nothing changed.`
        : `no leakgate guard hooks in ${result.shown}: nothing changed.`,
    );
  } else if (verb === "install") {
    lines.push(`Updated ${result.shown}:`);
    for (const e of result.added) lines.push(`  + ${e}`);
    for (const e of result.updated) lines.push(`  ~ ${e} (command updated)`);
    lines.push(`Each runs: ${result.command}`);
  } else {
    lines.push(result.deletedFile ? `Removed ${result.shown} (it held only leakgate's hooks):` : `Updated ${result.shown}:`);
    for (const e of result.removed) lines.push(`  - ${e}`);
  }
  if (verb === "install") for (const n of result.notes) lines.push(`Note: ${n}`);
  return `${lines.join("\n")}\n`;
}
