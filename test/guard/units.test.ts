import { describe, expect, it } from "vitest";
import { defaultConfig, effectiveRules, parseConfig } from "../../src/config/config.js";
import { Detector } from "../../src/engine/detector.js";
import { parseGuardArgs } from "../../src/guard/args.js";
import { detectSecrets, rulesFor } from "../../src/guard/detect.js";
import { GuardInputError, normalizeEvent } from "../../src/guard/events.js";
import { isGuardCommand } from "../../src/guard/install.js";
import { collectStrings, redactValue, type TextEntry } from "../../src/guard/strings.js";
import { githubToken } from "../helpers/tokens.js";

describe("strings of an event", () => {
  it("visits nested strings with readable locations and opens JSON held in a string", () => {
    const out: TextEntry[] = [];
    collectStrings(
      {
        pointer: "toolArgs",
        value: { command: "echo hello world", edits: [{ new_string: "const a = 1;" }], nested: '{"k":{"deep":"a long enough value"}}' },
        file: "a.ts",
      },
      out,
    );
    expect(out).toEqual([
      { text: "echo hello world", location: "toolArgs.command", file: "a.ts" },
      { text: "const a = 1;", location: "toolArgs.edits[0].new_string", file: "a.ts" },
      { text: "a long enough value", location: "toolArgs.nested(json).k.deep", file: "a.ts" },
    ]);
  });

  it("redacts every occurrence, inside JSON text and in escaped form, keeping the shape", () => {
    const secret = githubToken();
    const value = { stdout: `a ${secret} b ${secret}`, json: JSON.stringify({ t: secret }), n: 3, flag: true };
    const cuts = [{ secret, marker: "[REDACTED:x]" }];
    expect(redactValue(value, "tool_response", cuts, new Set(), "W")).toEqual({
      stdout: "a [REDACTED:x] b [REDACTED:x]",
      json: '{"t":"[REDACTED:x]"}',
      n: 3,
      flag: true,
    });
    // Withheld strings (block policy, decoded findings) are replaced whole, also inside JSON text.
    expect(redactValue(value, "tool_response", cuts, new Set(["tool_response.stdout", "tool_response.json(json).t"]), "W")).toEqual({
      stdout: "W",
      json: '{"t":"W"}',
      n: 3,
      flag: true,
    });
  });
});

describe("event normalisation", () => {
  it("Claude Code PreToolUse Write: tool input bound to its file, metadata not scanned", () => {
    const e = normalizeEvent(
      "claude-code",
      {
        session_id: "s",
        transcript_path: "/t.jsonl",
        cwd: "/p",
        hook_event_name: "PreToolUse",
        tool_name: "Write",
        tool_input: { file_path: "/p/a.ts", content: "x" },
        tool_use_id: "u",
      },
      "/fallback",
    );
    expect(e).toMatchObject({ kind: "pre-tool", tool: "Write", cwd: "/p", session: "s", canBlock: true, canRedact: false });
    expect(e.targets).toEqual([{ pointer: "tool_input", value: { file_path: "/p/a.ts", content: "x" }, file: "/p/a.ts" }]);
  });

  it("post-tool events scan the output only; Read tools and shell commands declare reads", () => {
    const post = normalizeEvent(
      "codex",
      { hook_event_name: "PostToolUse", tool_name: "Bash", tool_input: { command: "x" }, tool_response: "out" },
      "/w",
    );
    expect(post.targets.map((t) => t.pointer)).toEqual(["tool_response"]);
    expect(post.output).toEqual({ value: "out", pointer: "tool_response" });
    const read = normalizeEvent(
      "gemini",
      { hook_event_name: "BeforeTool", tool_name: "read_many_files", tool_input: { paths: ["a/.env", "b.txt"] } },
      "/w",
    );
    expect(read.reads).toEqual([
      { path: "a/.env", via: "tool" },
      { path: "b.txt", via: "tool" },
    ]);
    const shell = normalizeEvent(
      "codex",
      { hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command: ["bash", "-lc", "cat .env"] } },
      "/w",
    );
    expect(shell.reads).toEqual([{ path: ".env", via: "shell" }]);
  });

  it("Cursor uses workspace_roots for the directory; Copilot's toolArgs string is parsed", () => {
    expect(normalizeEvent("cursor", { hook_event_name: "beforeShellExecution", workspace_roots: ["/r"], command: "ls" }, "/w").cwd).toBe(
      "/r",
    );
    const c = normalizeEvent("copilot", { toolName: "bash", toolArgs: '{"command":"cat ~/.netrc"}', cwd: "/p" }, "/w");
    expect(c).toMatchObject({ name: "preToolUse", tool: "bash", reads: [{ path: "~/.netrc", via: "shell" }] });
    expect(c.targets).toEqual([{ pointer: "toolArgs", value: { command: "cat ~/.netrc" } }]);
  });

  it("unknown and unnamed events are input errors", () => {
    expect(() => normalizeEvent("gemini", { hook_event_name: "AfterModel" }, "/w")).toThrow(GuardInputError);
    expect(() => normalizeEvent("claude-code", { prompt: "x" }, "/w")).toThrow(/hook_event_name is missing/);
  });
});

describe("rule selection by keyword", () => {
  it("keeps every rule whose keyword occurs (also in decoded text) and finds what a full detector finds", () => {
    const all = effectiveRules(defaultConfig());
    const token = githubToken();
    const texts = [
      `const token = "${token}";\n`,
      // The token only inside base64: the rule must still be chosen.
      `data:\n  token: "${Buffer.from(`GITHUB_TOKEN=${token}`).toString("base64")}"\n`,
      "export function add(a: number, b: number) { return a + b; }\n",
      'password = "Tq9vLm2xRw7pZk4s"\n',
    ].map((t) => Buffer.from(t));
    for (const text of texts) {
      const subset = rulesFor(all, [text]);
      expect(subset.length).toBeLessThan(all.length);
      const strip = (fs: { ruleId: string; startLine: number; startColumn: number; secretSha256: string }[]) =>
        fs.map((f) => `${f.ruleId}:${f.startLine}:${f.startColumn}:${f.secretSha256}`);
      const full = new Detector(all, { validate: false }).detect({ bytes: text, origin: { path: "x" } });
      const fast = new Detector(subset, { validate: false }).detect({ bytes: text, origin: { path: "x" } });
      expect(strip(fast)).toEqual(strip(full));
    }
  });
});

describe("two-pass detection", () => {
  it("a hit that only a rule's allow list drops stays dropped; real secrets are found", () => {
    // Without its allow list the generic assignment rule would report this line.
    const allowListed = 'const key = "tool_response" in raw ? "tool_response" : "toolResult" in raw ? "toolResult" : undefined;\n';
    const token = githubToken();
    const entries: TextEntry[] = [
      { text: allowListed, location: "a" },
      { text: `${allowListed}const t = "${token}";\n`, location: "b" },
    ];
    const found = detectSecrets(entries, defaultConfig(), "/p", "hook:x");
    expect(found.findings.map((f) => [f.location, f.line, f.ruleId.startsWith("github-pat")])).toEqual([["b", 2, true]]);
    expect(found.secrets.map((s) => s.secret)).toEqual([token]);
    expect([...found.locations]).toEqual(["b"]);
  });
});

describe("options and config", () => {
  it("parses the hook options", () => {
    expect(
      parseGuardArgs(["--agent", "cursor", "--policy=redact", "--fail-open", "--no-audit-log", "--event", "x", "-c", "c.yaml"]),
    ).toEqual({
      agent: "cursor",
      policy: "redact",
      failOpen: true,
      auditLog: false,
      event: "x",
      config: "c.yaml",
    });
    expect(() => parseGuardArgs(["--agent", "vim"])).toThrow(/--agent must be one of/);
    expect(() => parseGuardArgs(["--agent", "codex", "--policy", "maybe"])).toThrow(/--policy must be one of/);
  });

  it("reads and checks the guard: section of .leakgate.yaml", () => {
    const c = parseConfig("guard:\n  policy: redact\n  denyRead: ['a/**']\n  auditLog: false\n  failOpen: true\n", "x.yaml");
    expect(c.guard).toEqual({ policy: "redact", denyRead: ["a/**"], auditLog: false, failOpen: true });
    expect(() => parseConfig("guard:\n  deny: []\n", "x.yaml")).toThrow(/unknown key "guard.deny"/);
    expect(() => parseConfig("guard: [1]\n", "x.yaml")).toThrow(/guard must be a mapping/);
    expect(() => parseConfig("guard:\n  denyRead: 3\n", "x.yaml")).toThrow(/guard.denyRead must be a list of strings/);
  });

  it("recognises its own hook commands only", () => {
    expect(isGuardCommand('"/usr/bin/node" "/x/dist/guard/bin.js" --agent claude-code', "claude-code")).toBe(true);
    expect(isGuardCommand("npx leakgate guard --agent cursor", "cursor")).toBe(true);
    expect(isGuardCommand("npx leakgate guard --agent cursor", "codex")).toBe(false);
    expect(isGuardCommand("./hooks/guard.sh --agent cursor", "cursor")).toBe(false);
  });
});
