import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { leakgate } from "../helpers/cli.js";
import { githubToken } from "../helpers/tokens.js";
import { assertBuilt, HOOK_BIN, sandbox } from "./helpers.js";

// `leakgate guard install / uninstall` against temporary home and project directories that already
// hold settings: the hooks are merged in, a second install changes nothing, uninstall gives back the
// original file (byte for byte when it was formatted like JSON.stringify(…, null, 2)).

beforeAll(assertBuilt);

const COMMAND = `"${process.execPath}" "${HOOK_BIN}" --agent`;

function write(path: string, value: unknown) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

function read(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

function cli(args: string[], cwd: string, home: string) {
  const r = leakgate(["guard", ...args, "--home", home], { cwd, env: { HOME: home } });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
}

interface Case {
  agent: string;
  scope: "--project" | "--user";
  file: (project: string, home: string) => string;
  existing: Record<string, unknown>;
  /** The merged file's hooks, as installed. */
  hooks: (command: string) => Record<string, unknown>;
}

const claudeHook = (c: string) => ({ type: "command", command: c, timeout: 30 });
const geminiHook = (c: string) => ({
  type: "command",
  name: "leakgate-guard",
  command: c,
  timeout: 30000,
  description: "leakgate: block secrets",
});

const CASES: Case[] = [
  {
    agent: "claude-code",
    scope: "--project",
    file: (p) => join(p, ".claude", "settings.json"),
    existing: {
      permissions: { allow: ["Bash(npm test)"] },
      hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "npx block-no-verify@1.1.2" }] }] },
    },
    hooks: (c) => ({
      PreToolUse: [
        { matcher: "Bash", hooks: [{ type: "command", command: "npx block-no-verify@1.1.2" }] },
        { matcher: "*", hooks: [claudeHook(c)] },
      ],
      PostToolUse: [{ matcher: "*", hooks: [claudeHook(c)] }],
      UserPromptSubmit: [{ hooks: [claudeHook(c)] }],
    }),
  },
  {
    agent: "claude-code",
    scope: "--user",
    file: (_p, h) => join(h, ".claude", "settings.json"),
    existing: { model: "opus", env: { FOO: "1" } },
    hooks: (c) => ({
      PreToolUse: [{ matcher: "*", hooks: [claudeHook(c)] }],
      PostToolUse: [{ matcher: "*", hooks: [claudeHook(c)] }],
      UserPromptSubmit: [{ hooks: [claudeHook(c)] }],
    }),
  },
  {
    agent: "cursor",
    scope: "--project",
    file: (p) => join(p, ".cursor", "hooks.json"),
    existing: { version: 1, hooks: { beforeShellExecution: [{ command: "./hooks/audit.sh" }], stop: [{ command: "./hooks/audit.sh" }] } },
    hooks: (c) => ({
      beforeShellExecution: [{ command: "./hooks/audit.sh" }, { command: c, failClosed: true }],
      stop: [{ command: "./hooks/audit.sh" }],
      beforeMCPExecution: [{ command: c, failClosed: true }],
      beforeReadFile: [{ command: c, failClosed: true }],
      beforeSubmitPrompt: [{ command: c, failClosed: true }],
    }),
  },
  {
    agent: "gemini",
    scope: "--user",
    file: (_p, h) => join(h, ".gemini", "settings.json"),
    existing: {
      general: { vimMode: true },
      hooks: { SessionStart: [{ hooks: [{ type: "command", command: "node ~/on-start.js" }] }] },
    },
    hooks: (c) => ({
      SessionStart: [{ hooks: [{ type: "command", command: "node ~/on-start.js" }] }],
      BeforeTool: [{ matcher: "*", hooks: [geminiHook(c)] }],
      AfterTool: [{ matcher: "*", hooks: [geminiHook(c)] }],
      BeforeAgent: [{ hooks: [geminiHook(c)] }],
    }),
  },
  {
    agent: "codex",
    scope: "--user",
    file: (_p, h) => join(h, ".codex", "hooks.json"),
    existing: { hooks: { Stop: [{ hooks: [{ type: "command", command: "notify-send done" }] }] } },
    hooks: (c) => ({
      Stop: [{ hooks: [{ type: "command", command: "notify-send done" }] }],
      PreToolUse: [{ hooks: [claudeHook(c)] }],
      UserPromptSubmit: [{ hooks: [claudeHook(c)] }],
    }),
  },
];

describe("guard install / uninstall", () => {
  for (const c of CASES) {
    it(`${c.agent} ${c.scope}: merges, is idempotent, uninstall restores the file`, () => {
      const { home, project } = sandbox();
      mkdirSync(project, { recursive: true });
      const file = c.file(project, home);
      write(file, c.existing);
      const original = readFileSync(file, "utf8");

      const out = cli(["install", "--agent", c.agent, c.scope], project, home);
      expect(out).toMatch(/^Updated /);
      expect(out).toContain(`Each runs: ${COMMAND} ${c.agent}`);
      const installed = read(file);
      const { hooks, ...rest } = installed;
      const { hooks: _old, ...existingRest } = c.existing;
      expect(rest).toEqual(existingRest);
      expect(hooks).toEqual(c.hooks(`${COMMAND} ${c.agent}`));

      const before = readFileSync(file, "utf8");
      expect(cli(["install", "--agent", c.agent, c.scope], project, home)).toMatch(/already installed .*nothing changed/);
      expect(readFileSync(file, "utf8")).toBe(before);

      const removed = cli(["uninstall", "--agent", c.agent, c.scope], project, home);
      expect(removed).toMatch(/^Updated .*\n {2}- /);
      expect(readFileSync(file, "utf8")).toBe(original);
      expect(cli(["uninstall", "--agent", c.agent, c.scope], project, home)).toMatch(/no leakgate guard hooks/);
    });
  }

  it("Codex: installs in ~/.codex/hooks.json by default and says the hook must be trusted once", () => {
    const { home, project } = sandbox();
    mkdirSync(project, { recursive: true });
    const out = cli(["install", "--agent", "codex"], project, home);
    expect(out).toContain("Updated ~/.codex/hooks.json");
    expect(out).toMatch(/trust the leakgate hook once/);
    expect(existsSync(join(home, ".codex", "hooks.json"))).toBe(true);
    expect(existsSync(join(project, ".codex"))).toBe(false);
  });

  it("Copilot: writes .github/hooks/leakgate.json (bash and powershell, --event) and uninstall removes the file", () => {
    const { home, project } = sandbox();
    mkdirSync(project, { recursive: true });
    cli(["install", "--agent", "copilot"], project, home);
    const file = join(project, ".github", "hooks", "leakgate.json");
    expect(read(file)).toEqual({
      version: 1,
      hooks: {
        preToolUse: [
          {
            type: "command",
            bash: `${COMMAND} copilot --event preToolUse`,
            powershell: `& ${COMMAND} copilot --event preToolUse`,
            timeoutSec: 30,
          },
        ],
      },
    });
    expect(cli(["uninstall", "--agent", "copilot"], project, home)).toMatch(/^Removed \.github\/hooks\/leakgate\.json/);
    expect(existsSync(file)).toBe(false);
  });

  it("a new file is created; an install from another location updates the command in place", () => {
    const { home, project } = sandbox();
    mkdirSync(project, { recursive: true });
    cli(["install", "--agent", "cursor"], project, home);
    const file = join(project, ".cursor", "hooks.json");
    const doc = read(file) as { version: number; hooks: Record<string, { command: string }[]> };
    expect(doc.version).toBe(1);
    // As if installed from an older checkout: the same hook with another path.
    for (const list of Object.values(doc.hooks))
      for (const h of list) h.command = '"/usr/bin/node" "/old/leakgate/dist/cli/bin.js" guard --agent cursor';
    write(file, doc);
    const out = cli(["install", "--agent", "cursor"], project, home);
    expect(out).toContain("~ beforeShellExecution (command updated)");
    const after = read(file) as typeof doc;
    expect(Object.values(after.hooks).flat()).toHaveLength(4);
    expect(after.hooks.beforeReadFile?.[0]?.command).toBe(`${COMMAND} cursor`);
  });

  it("keeps comments and refuses a file that is not valid JSON", () => {
    const { home, project } = sandbox();
    const file = join(project, ".gemini", "settings.json");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '{\n  // my settings\n  "ui": { "theme": "dark" }\n}\n');
    cli(["install", "--agent", "gemini"], project, home);
    expect(readFileSync(file, "utf8")).toContain("// my settings");
    writeFileSync(file, '{ "ui": ');
    const r = leakgate(["guard", "install", "--agent", "gemini", "--home", home], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot update .*settings\.json: it is not a valid JSON object/);
    expect(readFileSync(file, "utf8")).toBe('{ "ui": ');
  });

  it("the installed command works: the hook it writes blocks a secret", async () => {
    const { home, project } = sandbox();
    mkdirSync(project, { recursive: true });
    cli(["install", "--agent", "claude-code"], project, home);
    const settings = read(join(project, ".claude", "settings.json")) as { hooks: { PreToolUse: { hooks: { command: string }[] }[] } };
    const command = settings.hooks.PreToolUse[0]?.hooks[0]?.command ?? "";
    const { spawnSync } = await import("node:child_process");
    const event = JSON.stringify({
      hook_event_name: "PreToolUse",
      cwd: project,
      tool_name: "Bash",
      tool_input: { command: `echo ${githubToken()}` },
    });
    const r = spawnSync("sh", ["-c", command], { input: event, env: { ...process.env, HOME: home } });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.toString())).toHaveProperty("hookSpecificOutput.permissionDecision", "deny");
  });
});
