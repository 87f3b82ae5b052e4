import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { githubToken } from "../helpers/tokens.js";
import { assertBuilt, CLEAN_VALUE, fixture, type GuardRun, guard, sandbox } from "./helpers.js";

// Recorded-shape events of each agent (fixtures/hooks), piped into the built guard with a fresh fake
// GitHub token (or a reference, for the clean variant); each answer is checked against the agent's
// own output contract (NOTES.md part C).

const WITHHELD = "[withheld by leakgate: this text holds a secret]";

beforeAll(assertBuilt);

function run(agent: string, path: string, variant: "secret" | "clean", args: string[] = [], cli = false) {
  const { home, project } = sandbox();
  mkdirSync(project, { recursive: true });
  const secret = githubToken();
  const input = fixture(path, { secret: variant === "secret" ? secret : CLEAN_VALUE, project });
  const r = guard(agent, input, { home, cwd: project, args, cli });
  // Whatever the answer, the secret itself is never printed.
  expect(r.stdout + r.stderr).not.toContain(secret);
  return { ...r, secret, project, home };
}

/** `hookSpecificOutput` of a Claude Code / Codex answer. */
function specific(r: GuardRun): Record<string, unknown> {
  return (r.json?.hookSpecificOutput ?? {}) as Record<string, unknown>;
}

function reasonOf(r: GuardRun): string {
  const j = r.json ?? {};
  const specific = j.hookSpecificOutput as Record<string, unknown> | undefined;
  return String(specific?.permissionDecisionReason ?? j.reason ?? j.permissionDecisionReason ?? j.user_message ?? "");
}

/** A reason names the rule and the redacted preview, and says what to do instead. */
function expectGoodReason(reason: string) {
  expect(reason).toMatch(/\(github-pat[^)]*\): ghp_…\w{1,4}/);
  expect(reason).toMatch(/environment variable/);
  expect(reason).toMatch(/secret manager/);
}

describe("Claude Code", () => {
  const pre = [
    "pre-tool-use-write.json",
    "pre-tool-use-edit.json",
    "pre-tool-use-multiedit.json",
    "pre-tool-use-bash.json",
    "pre-tool-use-mcp.json",
  ];
  for (const name of pre) {
    it(`PreToolUse ${name}: deny with a reason; clean: no output`, () => {
      const r = run("claude-code", `claude-code/${name}`, "secret");
      expect(r.code).toBe(0);
      expect(r.json).toEqual({
        hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: expect.any(String) },
      });
      expectGoodReason(reasonOf(r));
      const clean = run("claude-code", `claude-code/${name}`, "clean");
      expect(clean.code).toBe(0);
      expect(clean.stdout).toBe("");
    });
  }

  it("PreToolUse Write names the file and line", () => {
    const r = run("claude-code", "claude-code/pre-tool-use-write.json", "secret");
    expect(reasonOf(r)).toContain("Write of src/github.ts");
    expect(reasonOf(r)).toContain("src/github.ts:3");
  });

  it("UserPromptSubmit: block the prompt", () => {
    const r = run("claude-code", "claude-code/user-prompt-submit.json", "secret");
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ decision: "block", reason: expect.stringContaining("the prompt was not sent") });
    expectGoodReason(reasonOf(r));
    expect(run("claude-code", "claude-code/user-prompt-submit.json", "clean").stdout).toBe("");
  });

  it("PostToolUse Bash, policy block: decision block and the output withheld, same shape", () => {
    const r = run("claude-code", "claude-code/post-tool-use-bash.json", "secret");
    expect(r.code).toBe(0);
    expect(r.json).toEqual({
      decision: "block",
      reason: expect.stringContaining("withheld the Bash output"),
      hookSpecificOutput: {
        hookEventName: "PostToolUse",
        updatedToolOutput: { stdout: WITHHELD, stderr: "", interrupted: false, isImage: false },
      },
    });
    expect(run("claude-code", "claude-code/post-tool-use-bash.json", "clean").stdout).toBe("");
  });

  it("PostToolUse Bash, policy redact: updatedToolOutput is the redacted copy", () => {
    const r = run("claude-code", "claude-code/post-tool-use-bash.json", "secret", ["--policy", "redact"]);
    expect(r.json).toEqual({
      systemMessage: expect.stringContaining("redacted a secret from the Bash output"),
      hookSpecificOutput: {
        hookEventName: "PostToolUse",
        updatedToolOutput: {
          stdout: expect.stringMatching(/^https:\/\/x-access-token:\[REDACTED:github-pat[\w-]*\]@github\.com\/acme\/widgets\.git\n$/),
          stderr: "",
          interrupted: false,
          isImage: false,
        },
      },
    });
  });

  it("PostToolUse Read, policy redact: the file content is redacted in place", () => {
    const r = run("claude-code", "claude-code/post-tool-use-read.json", "secret", ["--policy", "redact"]);
    const out = specific(r).updatedToolOutput as {
      type: string;
      file: Record<string, unknown>;
    };
    expect(out.type).toBe("text");
    expect(out.file).toMatchObject({ filePath: join(r.project, "docker-compose.yml"), numLines: 6, startLine: 1, totalLines: 6 });
    expect(out.file.content).toMatch(/GITHUB_TOKEN: \[REDACTED:github-pat[\w-]*\]\n {6}LOG_LEVEL: info/);
  });

  it("PostToolUse of an MCP tool answers updatedMCPToolOutput, JSON text redacted inside", () => {
    const r = run("claude-code", "claude-code/post-tool-use-mcp.json", "secret", ["--policy", "redact"]);
    const out = specific(r).updatedMCPToolOutput as { type: string; text: string }[];
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]?.text ?? "")).toEqual({
      path: "ci/github",
      data: { token: expect.stringMatching(/^\[REDACTED:github-pat/), owner: "release-bot" },
    });
  });

  it("policy warn lets the action through with a systemMessage", () => {
    const r = run("claude-code", "claude-code/pre-tool-use-write.json", "secret", ["--policy", "warn"]);
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ systemMessage: expect.stringContaining("policy warn, allowed") });
  });

  it("the full CLI (`leakgate guard`) answers the same", () => {
    const r = run("claude-code", "claude-code/pre-tool-use-bash.json", "secret", [], true);
    expect(r.code).toBe(0);
    expect(specific(r).permissionDecision).toBe("deny");
    expect(run("claude-code", "claude-code/pre-tool-use-bash.json", "clean", [], true).stdout).toBe("");
  });
});

describe("Cursor", () => {
  for (const name of ["before-shell-execution.json", "before-mcp-execution.json", "before-read-file.json"]) {
    it(`${name}: permission deny with user and agent messages; clean: permission allow`, () => {
      const r = run("cursor", `cursor/${name}`, "secret");
      expect(r.code).toBe(0);
      expect(r.json).toEqual({ permission: "deny", user_message: expect.any(String), agent_message: expect.any(String) });
      expect(r.json?.user_message).toBe(r.json?.agent_message);
      expectGoodReason(reasonOf(r));
      const clean = run("cursor", `cursor/${name}`, "clean");
      expect(clean.code).toBe(0);
      expect(clean.json).toEqual({ permission: "allow" });
    });
  }

  it("beforeMCPExecution: the JSON-string tool_input is parsed and the file named", () => {
    const r = run("cursor", "cursor/before-mcp-execution.json", "secret");
    expect(reasonOf(r)).toContain(".github/workflows/release.yml:2");
  });

  it("beforeSubmitPrompt: continue false; clean: continue true", () => {
    const r = run("cursor", "cursor/before-submit-prompt.json", "secret");
    expect(r.json).toEqual({ continue: false, user_message: expect.stringContaining("blocked this prompt") });
    expect(run("cursor", "cursor/before-submit-prompt.json", "clean").json).toEqual({ continue: true });
  });

  it("policy redact cannot replace content in Cursor: it blocks", () => {
    const r = run("cursor", "cursor/before-read-file.json", "secret", ["--policy", "redact"]);
    expect(r.json?.permission).toBe("deny");
  });
});

describe("Gemini CLI", () => {
  for (const name of ["before-tool-write-file.json", "before-tool-shell.json"]) {
    it(`BeforeTool ${name}: decision deny with reason; clean: no output`, () => {
      const r = run("gemini", `gemini/${name}`, "secret");
      expect(r.code).toBe(0);
      expect(r.json).toEqual({ decision: "deny", reason: expect.any(String), systemMessage: expect.any(String) });
      expectGoodReason(reasonOf(r));
      const clean = run("gemini", `gemini/${name}`, "clean");
      expect(clean.code).toBe(0);
      expect(clean.stdout).toBe("");
    });
  }

  it("AfterTool: deny replaces the result with the reason (block) or with the redacted result (redact)", () => {
    const blocked = run("gemini", "gemini/after-tool-read-file.json", "secret");
    expect(blocked.json).toEqual({
      decision: "deny",
      reason: expect.stringContaining("withheld the read_file output"),
      systemMessage: expect.any(String),
    });
    const redacted = run("gemini", "gemini/after-tool-read-file.json", "secret", ["--policy", "redact"]);
    expect(redacted.json).toEqual({
      decision: "deny",
      reason: expect.stringMatching(/^\[ci\]\nrunner = "self-hosted"\ngithub_token = "\[REDACTED:github-pat[\w-]*\]"\n/),
      systemMessage: expect.stringContaining("redacted a secret"),
    });
    expect(run("gemini", "gemini/after-tool-read-file.json", "clean").stdout).toBe("");
  });

  it("BeforeAgent: deny discards the prompt", () => {
    const r = run("gemini", "gemini/before-agent.json", "secret");
    expect(r.json).toEqual({ decision: "deny", reason: expect.stringContaining("blocked this prompt"), systemMessage: expect.any(String) });
    expect(run("gemini", "gemini/before-agent.json", "clean").stdout).toBe("");
  });
});

describe("Codex", () => {
  for (const name of ["pre-tool-use-bash.json", "pre-tool-use-apply-patch.json"]) {
    it(`PreToolUse ${name}: permissionDecision deny; clean: no output`, () => {
      const r = run("codex", `codex/${name}`, "secret");
      expect(r.code).toBe(0);
      // Codex validates hook output strictly (additionalProperties: false): nothing else may appear.
      expect(r.json).toEqual({
        hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: expect.any(String) },
      });
      expectGoodReason(reasonOf(r));
      expect(run("codex", `codex/${name}`, "clean").stdout).toBe("");
    });
  }

  it("UserPromptSubmit: decision block with a reason", () => {
    const r = run("codex", "codex/user-prompt-submit.json", "secret");
    expect(r.json).toEqual({ decision: "block", reason: expect.stringContaining("the prompt was not sent") });
    expect(run("codex", "codex/user-prompt-submit.json", "clean").stdout).toBe("");
  });
});

describe("GitHub Copilot", () => {
  for (const name of ["pre-tool-use-bash.json", "pre-tool-use-create.json"]) {
    it(`preToolUse ${name}: toolArgs (a JSON string) parsed; deny; clean: no output`, () => {
      const r = run("copilot", `copilot/${name}`, "secret", ["--event", "preToolUse"]);
      expect(r.code).toBe(0);
      expect(r.json).toEqual({ permissionDecision: "deny", permissionDecisionReason: expect.any(String) });
      expectGoodReason(reasonOf(r));
      expect(run("copilot", `copilot/${name}`, "clean", ["--event", "preToolUse"]).stdout).toBe("");
    });
  }

  it("preToolUse without --event: inferred from the payload", () => {
    const r = run("copilot", "copilot/pre-tool-use-bash.json", "secret");
    expect(r.json?.permissionDecision).toBe("deny");
    expect(reasonOf(r)).toContain("in toolArgs.command");
  });

  it("VS Code compatible PreToolUse payloads also get hookSpecificOutput", () => {
    const r = run("copilot", "copilot/pre-tool-use-vscode.json", "secret");
    expect(r.json).toEqual({
      permissionDecision: "deny",
      permissionDecisionReason: expect.any(String),
      hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: expect.any(String) },
    });
  });

  it("userPromptSubmitted cannot block in Copilot: a warning on stderr, exit 0", () => {
    const r = run("copilot", "copilot/user-prompt-submitted.json", "secret", ["--event", "userPromptSubmitted"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/leakgate warning .*the prompt holds a secret/);
  });
});

describe("filters shared with `leakgate scan`", () => {
  it("an inline leakgate:allow comment lets the line through", () => {
    const { home, project } = sandbox();
    mkdirSync(project, { recursive: true });
    const token = githubToken();
    const event = {
      hook_event_name: "PreToolUse",
      cwd: project,
      tool_name: "Write",
      tool_input: { file_path: join(project, "test/fixture.ts"), content: `export const FAKE = "${token}"; // leakgate:allow\n` },
    };
    expect(guard("claude-code", JSON.stringify(event), { home }).stdout).toBe("");
  });

  it("config allowlists (paths and values) in .leakgate.yaml apply, found from a subdirectory", () => {
    const { home, project } = sandbox();
    mkdirSync(join(project, "pkg"), { recursive: true });
    writeFileSync(join(project, ".leakgate.yaml"), "allowlist:\n  paths: ['fixtures/**']\n");
    const token = githubToken();
    const write = (file: string) =>
      JSON.stringify({
        hook_event_name: "PreToolUse",
        cwd: join(project, "pkg"),
        tool_name: "Write",
        tool_input: { file_path: join(project, file), content: `token = "${token}"\n` },
      });
    expect(guard("claude-code", write("fixtures/a.txt"), { home }).stdout).toBe("");
    expect(guard("claude-code", write("src/a.txt"), { home }).json).toHaveProperty("hookSpecificOutput.permissionDecision", "deny");
    writeFileSync(join(project, ".leakgate.yaml"), `allowlist:\n  values: ['^${token}$']\n`);
    expect(guard("claude-code", write("src/a.txt"), { home }).stdout).toBe("");
  });

  it("guard.policy in .leakgate.yaml sets the policy; --policy overrides it", () => {
    const { home, project } = sandbox();
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, ".leakgate.yaml"), "guard:\n  policy: warn\n");
    const input = fixture("claude-code/pre-tool-use-write.json", { secret: githubToken(), project });
    expect(guard("claude-code", input, { home }).json).toHaveProperty("systemMessage");
    expect(guard("claude-code", input, { home, args: ["--policy", "block"] }).json).toHaveProperty(
      "hookSpecificOutput.permissionDecision",
      "deny",
    );
  });
});
