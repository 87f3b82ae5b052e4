import { existsSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, leakgate, tempDir, writeTree } from "../helpers/cli.js";
import { checkGitHubConstraints, validateSarif } from "../helpers/sarif.js";
import { githubToken } from "../helpers/tokens.js";
import { CLEAN, copyHome, FIXTURE_HOME, findingsOf, S } from "./helpers.js";

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error("build first: npm run build");
});

const COMPOSER = "c0ffee00-1111-4222-8333-444455556666";
const ZST = ".codex/sessions/2026/01/03/rollout-2026-01-03T08-00-00-0199a3b4-0000-4e7f-8a9b-0c1d2e3f4a5c.jsonl.zst";
const DB = ".config/Cursor/User/globalStorage/state.vscdb";

/** Runs from an empty directory: the repository's .leakgate.yaml (which allowlists fixtures/) stays out of it. */
const run = (args: string[], env?: NodeJS.ProcessEnv) => leakgate(args, { cwd: tempDir(), env });

const ALL_FILES = [
  ["aider", "aider-chat", ".aider.chat.history.md"],
  ["aider", "aider-input", ".aider.input.history"],
  ["claude-code", "claude-history", ".claude/history.jsonl"],
  ["claude-code", "claude-code", ".claude/projects/-home-dev-acme-app/7f3c2a10-5d1e-4c2b-9a8f-1e2d3c4b5a69.jsonl"],
  ["claude-code", "claude-code", ".claude/projects/-home-dev-acme-app/7f3c2a10-5d1e-4c2b-9a8f-1e2d3c4b5a69/subagents/agent-a1b2c3d4.jsonl"],
  ["claude-code", "agent-text", ".claude/projects/-home-dev-acme-app/7f3c2a10-5d1e-4c2b-9a8f-1e2d3c4b5a69/tool-results/toolu_06Env.txt"],
  ["codex", "codex-history", ".codex/history.jsonl"],
  ["codex", "codex", ".codex/sessions/2026/01/02/rollout-2026-01-02T10-00-00-0199a3b4-5c6d-4e7f-8a9b-0c1d2e3f4a5b.jsonl"],
  ["codex", "codex", ZST],
  ["cline", "cline", ".config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/1767600000000/api_conversation_history.json"],
  ["cline", "cline", ".config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/1767600000000/ui_messages.json"],
  ["cursor", "cursor", DB],
  ["gemini-cli", "gemini", ".gemini/tmp/acme-app/chats/session-2026-01-04T08-30-3e9d8c7b.jsonl"],
  ["gemini-cli", "gemini", ".gemini/tmp/acme-app/logs.json"],
];

const listed = (stdout: string, home: string) =>
  stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [agent, format, path] = l.split("\t");
      return [agent, format, (path as string).slice(home.length + 1)];
    });

describe("leakgate transcripts (built CLI)", () => {
  it("discovers every agent's default locations under --home", () => {
    const r = run(["transcripts", "--home", FIXTURE_HOME, "--list"]);
    expect(r.code).toBe(0);
    expect(listed(r.stdout, FIXTURE_HOME)).toEqual(ALL_FILES);
  });

  it("prints an exposure report: each secret once, with every session and tool call, and what the agent did", () => {
    const r = run(["transcripts", "--home", FIXTURE_HOME]);
    expect(r.code).toBe(1);
    const out = r.stdout;
    for (const secret of Object.values(S)) expect(out).not.toContain(secret);
    expect(out).toMatch(/10 distinct secrets in \d+ sessions \(44 findings\) across 14 transcript files/);
    // The database password: read in .env, sent in a psql command, pasted in a prompt.
    const block = (preview: string) => out.slice(out.indexOf(preview), out.indexOf("rotate:", out.indexOf(preview)));
    const db = block("…Zk4s");
    expect(db).toContain("what happened: sent it in a tool call (1), read it (tool output) (9), typed or pasted by the user (1)");
    expect(db).toContain("claude-code session 7f3c2a10-5d1e-4c2b-9a8f-1e2d3c4b5a69");
    expect(db).toMatch(/5:429 +2026-01-02T09:15:00Z +assistant sent +Bash toolu_02Bash +\$\.message\.content\[0\]\.input\.command/);
    expect(db).toMatch(/7:478 .*assistant read +Edit toolu_03Edit/);
    // The session secret was written into files by two agents.
    const session = block("…w3Rb");
    expect(session).toContain("what happened: wrote it into a file (3), read it (tool output) (1)");
    expect(session).toMatch(/10:245 .*assistant wrote +apply_patch call_03Patch +\$\.payload\.input/);
    // Binary containers are read too: zstd rollout and Cursor's SQLite database.
    expect(out).toContain(`codex session 0199a3b4-0000-4e7f-8a9b-0c1d2e3f4a5c`);
    expect(out).toContain(`cursor session ${COMPOSER}`);
    expect(out).toMatch(/assistant sent +run_terminal_cmd call_t1 +\$\.toolFormerData\.rawArgs::\$\.command/);
  });

  it("writes the plain finding list as JSON, with the logical location as fields", () => {
    const r = run(["transcripts", "--home", FIXTURE_HOME, "-f", "json", "--no-redact"]);
    expect(r.code).toBe(1);
    const list = findingsOf(r.stdout);
    expect(list).toHaveLength(44);
    const zst = list.find((f) => f.path.endsWith(ZST));
    expect(zst).toMatchObject({ startLine: 3, startColumn: 173, endColumn: 193, secret: S.apiToken });
    expect(zst?.logicalLocation).toMatchObject({
      agent: "codex",
      session: "0199a3b4-0000-4e7f-8a9b-0c1d2e3f4a5c",
      record: 2,
      role: "tool",
      tool: "shell",
      toolCallId: "call_11Cfg",
      action: "read",
      pointer: "$.payload.output::$.output",
    });
    // Cursor: line and column inside the row's value; table and key in the logical location.
    const cursor = list
      .filter((f) => f.path.endsWith(DB))
      .map((f) => [f.startLine, f.startColumn, f.secret, f.logicalLocation?.record, f.logicalLocation?.action, f.logicalLocation?.pointer]);
    expect(cursor).toEqual([
      [1, 48, S.webhookSecret, "ItemTable:aiService.prompts", "prompt", "$[0].text"],
      [1, 79, S.webhookSecret, `cursorDiskKV:bubbleId:${COMPOSER}:b1`, "prompt", "$.text"],
      [1, 199, S.bearer, `cursorDiskKV:bubbleId:${COMPOSER}:b3`, "send", "$.toolFormerData.rawArgs::$.command"],
      [1, 214, S.webhookSecret, `cursorDiskKV:bubbleId:${COMPOSER}:b1`, "prompt", "$.richText::$.root.children[0].children[0].text"],
      [1, 284, S.webhookSecret, `cursorDiskKV:bubbleId:${COMPOSER}:b2`, "read", "$.toolFormerData.result::$.contents"],
    ]);
    expect(list.some((f) => f.secret === S.hidden)).toBe(false);
  });

  it("writes valid SARIF with logicalLocations", () => {
    const r = run(["transcripts", "--home", FIXTURE_HOME, "-f", "sarif"]);
    expect(r.code).toBe(1);
    const sarif = validateSarif(JSON.parse(r.stdout));
    checkGitHubConstraints(sarif);
    const results = sarif.runs[0]?.results ?? [];
    expect(results).toHaveLength(44);
    for (const result of results) expect(result.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName).toBeTruthy();
    for (const secret of Object.values(S)) expect(r.stdout).not.toContain(secret);
  });

  it("--since keeps recently modified files, then records newer than the date", () => {
    const home = copyHome();
    const old = new Date("2020-01-01T00:00:00Z");
    // Everything old except the Gemini chat and the Cursor database.
    for (const [, , rel] of ALL_FILES) {
      if (!rel?.startsWith(".gemini/tmp/acme-app/chats") && rel !== DB) utimesSync(join(home, rel as string), old, old);
    }
    const recent = run(["transcripts", "--home", home, "--since", "7d", "--list"]);
    expect(listed(recent.stdout, home).map((row) => row[2])).toEqual([
      DB,
      ".gemini/tmp/acme-app/chats/session-2026-01-04T08-30-3e9d8c7b.jsonl",
    ]);

    // A date: files modified since then (all of them here), then records stamped before it are dropped.
    const fresh = copyHome();
    const r = run(["transcripts", "--home", fresh, "--since", "2026-01-04", "-f", "json", "--no-redact"]);
    expect(r.code).toBe(1);
    const list = findingsOf(r.stdout);
    const stamps = list.map((f) => f.logicalLocation?.timestamp).filter((t): t is string => typeof t === "string");
    expect(stamps.length).toBeGreaterThan(0);
    for (const t of stamps) expect(Date.parse(t)).toBeGreaterThanOrEqual(Date.parse("2026-01-04"));
    // Claude (Jan 2) and Codex (Jan 2-3) records are gone; Gemini (Jan 4), Cline and Aider (Jan 5) stay, and
    // so do findings without a time (the truncated Claude record, a spilled tool output, Cursor rows).
    const claude = list.filter((f) => f.path.includes("/.claude/projects/"));
    expect(claude.map((f) => f.logicalLocation?.note ?? f.logicalLocation?.action)).toEqual(["malformed record, scanned as text", "read"]);
    expect(list.some((f) => f.path.includes("/.codex/sessions/"))).toBe(false);
    expect(list.some((f) => f.path.includes("/.gemini/"))).toBe(true);
    expect(list.some((f) => f.path.endsWith(".aider.chat.history.md"))).toBe(true);
    expect(list.some((f) => f.path.endsWith(DB))).toBe(true);

    const bad = run(["transcripts", "--home", fresh, "--since", "yesterday"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("--since must be a duration");
  });

  it("exits 0 with a clean report when nothing is found", () => {
    const empty = run(["transcripts", "--home", tempDir()]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain("No secrets found in agent transcripts.");
    const clean = run(["transcripts", CLEAN]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/6 transcript files/);
  });

  it("honours CLAUDE_CONFIG_DIR and CODEX_HOME when no --home is given", () => {
    const dir = tempDir();
    const token = githubToken();
    writeTree(dir, {
      "claude-config/projects/-w/s-1.jsonl": `${JSON.stringify({
        type: "user",
        sessionId: "s-1",
        parentUuid: null,
        uuid: "u",
        message: { role: "user", content: `my token is ${token}` },
      })}\n`,
      "codex-home/sessions/2026/01/01/rollout-2026-01-01T00-00-00-12345678-1234-4234-8234-123456789abc.jsonl": `${JSON.stringify({
        timestamp: "2026-01-01T00:00:00Z",
        type: "session_meta",
        payload: { id: "12345678-1234-4234-8234-123456789abc", instructions: `use ${token}` },
      })}\n`,
    });
    const r = leakgate(["transcripts", "-f", "json"], {
      cwd: dir,
      env: { HOME: join(dir, "nobody"), CLAUDE_CONFIG_DIR: join(dir, "claude-config"), CODEX_HOME: join(dir, "codex-home") },
    });
    expect(r.code).toBe(1);
    const list = findingsOf(r.stdout);
    expect(list.map((f) => [f.path, f.logicalLocation?.agent, f.logicalLocation?.action])).toEqual([
      ["claude-config/projects/-w/s-1.jsonl", "claude-code", "prompt"],
      ["codex-home/sessions/2026/01/01/rollout-2026-01-01T00-00-00-12345678-1234-4234-8234-123456789abc.jsonl", "codex", "context"],
    ]);
  });

  it("rejects a missing path with one line and exit 2", () => {
    const r = run(["transcripts", "/nonexistent/leakgate-test"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("leakgate scan on binary transcript containers", () => {
  it("reads zstd-compressed Codex rollouts and Cursor's SQLite store like `transcripts` does", () => {
    const home = copyHome();
    const r = leakgate(["scan", join(home, ".codex"), join(home, ".config/Cursor"), "-f", "json", "--no-redact"], { cwd: tempDir() });
    expect(r.code).toBe(1);
    const list = findingsOf(r.stdout);
    expect(list.find((f) => f.path.endsWith(ZST))).toMatchObject({ startLine: 3, startColumn: 173, secret: S.apiToken });
    expect(list.some((f) => f.path.endsWith(DB) && f.secret === S.webhookSecret)).toBe(true);
  });
});
