import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { githubToken } from "../helpers/tokens.js";
import { assertBuilt, guard, sandbox } from "./helpers.js";

// When the guard cannot decide, it blocks in the way each agent treats as blocking: exit 2 with the
// reason on stderr (Claude Code, Codex, Gemini CLI: exit 1 would let the action through), a deny JSON
// plus exit 2 (Cursor), a deny JSON with exit 0 (Copilot skips hooks that exit non-zero).

beforeAll(assertBuilt);

const EXPECTED: Record<string, { code: number; json: unknown }> = {
  "claude-code": { code: 2, json: undefined },
  codex: { code: 2, json: undefined },
  gemini: { code: 2, json: undefined },
  cursor: {
    code: 2,
    json: {
      permission: "deny",
      continue: false,
      user_message: expect.stringContaining("blocked"),
      agent_message: expect.stringContaining("blocked"),
    },
  },
  copilot: { code: 0, json: { permissionDecision: "deny", permissionDecisionReason: expect.stringContaining("blocked") } },
};

describe("fail closed", () => {
  for (const [agent, expected] of Object.entries(EXPECTED)) {
    it(`${agent}: malformed JSON blocks, without echoing the input`, () => {
      const { home } = sandbox();
      const token = githubToken();
      // Truncated JSON holding a secret: V8's parse error would quote it; the guard must not.
      const r = guard(agent, `{"hook_event_name":"PreToolUse","tool_input":{"command":"echo ${token}`, { home });
      expect(r.code).toBe(expected.code);
      expect(r.json).toEqual(expected.json);
      expect(r.stderr).toMatch(
        /leakgate guard blocked this action because it could not check it: the hook event on stdin is not valid JSON/,
      );
      expect(r.stdout + r.stderr).not.toContain(token);
    });

    it(`${agent}: an unknown event blocks and names the events it answers`, () => {
      const { home } = sandbox();
      const r = guard(agent, JSON.stringify({ hook_event_name: "SessionStart", cwd: home, source: "startup" }), { home });
      expect(r.code).toBe(expected.code);
      expect(r.json).toEqual(expected.json);
      expect(r.stderr).toMatch(/unknown .* hook event "SessionStart"/);
    });
  }

  it("empty stdin and a JSON value that is not an object block too", () => {
    const { home } = sandbox();
    expect(guard("claude-code", "", { home })).toMatchObject({ code: 2, stderr: expect.stringContaining("no hook event on stdin") });
    expect(guard("claude-code", "[1,2]", { home })).toMatchObject({ code: 2, stderr: expect.stringContaining("not a JSON object") });
  });

  it("a broken .leakgate.yaml blocks with the config error", () => {
    const { home, project } = sandbox();
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, ".leakgate.yaml"), "guard:\n  policy: sometimes\n");
    const r = guard("gemini", JSON.stringify({ hook_event_name: "BeforeAgent", cwd: project, prompt: "hello" }), { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("guard.policy must be block, redact or warn");
  });

  it("a bad option of a hook command still answers in the agent's contract", () => {
    const { home } = sandbox();
    const r = guard("cursor", "{}", { home, args: ["--polcy", "warn"] });
    expect(r.code).toBe(2);
    expect(r.json).toMatchObject({ permission: "deny", continue: false });
    expect(r.stderr).toContain("unknown option '--polcy'");
  });

  it("--fail-open lets the action through with a warning, in each contract", () => {
    const { home } = sandbox();
    const claude = guard("claude-code", "{not json", { home, args: ["--fail-open"] });
    expect(claude.code).toBe(0);
    expect(claude.json).toEqual({ systemMessage: expect.stringContaining("let it through (--fail-open)") });
    const cursor = guard("cursor", "{not json", { home, args: ["--fail-open"] });
    expect(cursor.code).toBe(0);
    expect(cursor.json).toEqual({ permission: "allow", continue: true });
    const copilot = guard("copilot", "{not json", { home, args: ["--fail-open"] });
    expect(copilot.code).toBe(0);
    expect(copilot.stdout).toBe("");
    expect(copilot.stderr).toContain("--fail-open");
  });
});
