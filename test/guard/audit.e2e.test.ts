import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { githubToken } from "../helpers/tokens.js";
import { assertBuilt, auditLines, CLEAN_VALUE, fixture, guard, sandbox } from "./helpers.js";

beforeAll(assertBuilt);

describe("guard audit log", () => {
  it("appends one JSON line per decision to ~/.leakgate/guard-audit.jsonl (created), never the secret", () => {
    const { home, project } = sandbox();
    const token = githubToken();
    guard("claude-code", fixture("claude-code/pre-tool-use-write.json", { secret: token, project }), { home });
    guard("claude-code", fixture("claude-code/pre-tool-use-write.json", { secret: CLEAN_VALUE, project }), { home });
    guard("cursor", "{broken", { home });

    const path = join(home, ".leakgate", "guard-audit.jsonl");
    expect(readFileSync(path, "utf8")).not.toContain(token);
    if (process.platform !== "win32") expect(statSync(path).mode & 0o777).toBe(0o600);
    const [deny, allow, error] = auditLines(home);
    expect(deny).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      agent: "claude-code",
      event: "PreToolUse",
      tool: "Write",
      decision: "deny",
      rule: expect.stringMatching(/^github-pat/),
      fingerprint: expect.stringMatching(/^github-pat[\w-]*:[0-9a-f]{64}:src\/github\.ts$/),
      preview: expect.stringMatching(/^ghp_…/),
      location: "tool_input.content",
      path: "src/github.ts",
      session: "9b2f6c1e-5d3a-4e8b-a1c7-2f0e9d4b6a13",
      cwd: project,
    });
    expect(allow).toMatchObject({
      agent: "claude-code",
      event: "PreToolUse",
      tool: "Write",
      decision: "allow",
      rule: null,
      fingerprint: null,
    });
    expect(error).toMatchObject({
      agent: "cursor",
      event: null,
      decision: "deny",
      rule: null,
      error: expect.stringContaining("not valid JSON"),
    });
  });

  it("logs denied reads with the pattern, redactions and warnings", () => {
    const { home, project } = sandbox();
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, ".env"), "A=1\n");
    guard("claude-code", fixture("claude-code/pre-tool-use-read-env.json", { secret: "", project }), { home });
    guard("claude-code", fixture("claude-code/post-tool-use-bash.json", { secret: githubToken(), project }), {
      home,
      args: ["--policy", "redact"],
    });
    guard("copilot", fixture("copilot/user-prompt-submitted.json", { secret: githubToken(), project }), { home });
    const [read, redact, warn] = auditLines(home);
    expect(read).toMatchObject({ decision: "deny", rule: "deny-read", path: join(project, ".env"), pattern: "**/.env", via: "tool" });
    expect(redact).toMatchObject({ event: "PostToolUse", tool: "Bash", decision: "redact", rule: expect.stringMatching(/^github-pat/) });
    expect(warn).toMatchObject({ agent: "copilot", event: "userPromptSubmitted", decision: "warn" });
  });

  it("--audit-log and guard.auditLog choose the file; --no-audit-log and auditLog: false keep none", () => {
    const { home, project } = sandbox();
    mkdirSync(project, { recursive: true });
    const event = JSON.stringify({ hook_event_name: "UserPromptSubmit", cwd: project, prompt: "hello there, general" });
    guard("claude-code", event, { home, args: ["--audit-log", join(home, "logs", "a.jsonl")] });
    expect(
      readFileSync(join(home, "logs", "a.jsonl"), "utf8")
        .trim()
        .split("\n"),
    ).toHaveLength(1);
    guard("claude-code", event, { home, args: ["--no-audit-log"] });
    expect(existsSync(join(home, ".leakgate"))).toBe(false);
    writeFileSync(join(project, ".leakgate.yaml"), "guard:\n  auditLog: audit/guard.jsonl\n");
    guard("claude-code", event, { home });
    expect(existsSync(join(project, "audit", "guard.jsonl"))).toBe(true);
    writeFileSync(join(project, ".leakgate.yaml"), "guard:\n  auditLog: false\n");
    guard("claude-code", event, { home });
    expect(existsSync(join(home, ".leakgate"))).toBe(false);
  });

  it("a log that cannot be written is reported on stderr and does not change the decision", () => {
    const { home, project } = sandbox();
    mkdirSync(project, { recursive: true });
    writeFileSync(join(home, "not-a-dir"), "");
    const args = ["--audit-log", join(home, "not-a-dir", "audit.jsonl")];
    const token = githubToken();
    const denied = guard("claude-code", fixture("claude-code/pre-tool-use-bash.json", { secret: token, project }), { home, args });
    expect(denied.code).toBe(0);
    expect(denied.json).toHaveProperty("hookSpecificOutput.permissionDecision", "deny");
    expect(denied.stderr).toMatch(/warning: cannot write the guard audit log .*not-a-dir.*(?:ENOTDIR|EEXIST)/);
    const clean = guard("claude-code", fixture("claude-code/pre-tool-use-bash.json", { secret: CLEAN_VALUE, project }), { home, args });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toBe("");
  });
});
