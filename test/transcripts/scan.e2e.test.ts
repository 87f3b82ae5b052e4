import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, leakgate, ROOT, tempDir, writeTree } from "../helpers/cli.js";
import { checkGitHubConstraints, validateSarif } from "../helpers/sarif.js";
import { githubToken } from "../helpers/tokens.js";
import { expectAtSecret, FIXTURE_HOME, findingsOf, type JsonFinding, S } from "./helpers.js";

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error("build first: npm run build");
});

const HOME = "fixtures/agent/home";
const CLAUDE = ".claude/projects/-home-dev-acme-app/7f3c2a10-5d1e-4c2b-9a8f-1e2d3c4b5a69.jsonl";
const SUBAGENT = ".claude/projects/-home-dev-acme-app/7f3c2a10-5d1e-4c2b-9a8f-1e2d3c4b5a69/subagents/agent-a1b2c3d4.jsonl";
const SPILLED = ".claude/projects/-home-dev-acme-app/7f3c2a10-5d1e-4c2b-9a8f-1e2d3c4b5a69/tool-results/toolu_06Env.txt";
const CODEX = ".codex/sessions/2026/01/02/rollout-2026-01-02T10-00-00-0199a3b4-5c6d-4e7f-8a9b-0c1d2e3f4a5b.jsonl";
const GEMINI = ".gemini/tmp/acme-app/chats/session-2026-01-04T08-30-3e9d8c7b.jsonl";
const CLINE = ".config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/1767600000000";

const CLAUDE_SESSION = "7f3c2a10-5d1e-4c2b-9a8f-1e2d3c4b5a69";
const CODEX_SESSION = "0199a3b4-5c6d-4e7f-8a9b-0c1d2e3f4a5b";
const GEMINI_SESSION = "3e9d8c7b-1a2b-4c3d-8e9f-0a1b2c3d4e5f";

type Row = [
  path: string,
  line: number,
  startColumn: number,
  endColumn: number,
  secret: string,
  role: string,
  tool: string,
  action: string,
  pointer: string,
];

/**
 * Every finding of the fixture home, in report order: physical position, the secret, and the logical
 * location (role, tool, action, JSON pointer; `::` enters JSON decoded from a string).
 */
const EXPECTED: Row[] = [
  [".aider.chat.history.md", 8, 42, 59, S.signingKey, "user", "", "prompt", ""],
  [".aider.chat.history.md", 15, 15, 32, S.signingKey, "assistant", "edit", "read", ""],
  [".aider.chat.history.md", 18, 20, 40, S.webhookSecret, "assistant", "edit", "write", ""],
  [".aider.chat.history.md", 26, 15, 31, S.dbPassword, "tool", "", "read", ""],
  [".aider.input.history", 3, 38, 55, S.signingKey, "user", "", "prompt", ""],
  [".claude/history.jsonl", 2, 144, 160, S.dbPassword, "user", "", "prompt", '$.pastedContents["1"].content'],
  // Read: the numbered tool_result and toolUseResult.file.content
  [CLAUDE, 4, 371, 387, S.dbPassword, "tool", "Read", "read", "$.message.content[0].content"],
  [CLAUDE, 4, 533, 549, S.dbPassword, "tool", "Read", "read", "$.toolUseResult.file.content"],
  // Bash: the password sent in the command, then echoed in the error output
  [CLAUDE, 5, 429, 445, S.dbPassword, "assistant", "Bash", "send", "$.message.content[0].input.command"],
  [CLAUDE, 6, 366, 382, S.dbPassword, "tool", "Bash", "read", "$.message.content[0].content"],
  [CLAUDE, 6, 497, 513, S.dbPassword, "tool", "Bash", "read", "$.toolUseResult.stderr"],
  // Edit: the replaced text was read, not written
  [CLAUDE, 7, 478, 494, S.dbPassword, "assistant", "Edit", "read", "$.message.content[0].input.old_string"],
  [CLAUDE, 8, 488, 504, S.dbPassword, "tool", "Edit", "read", "$.toolUseResult.oldString"],
  [CLAUDE, 8, 622, 638, S.dbPassword, "tool", "Edit", "read", "$.toolUseResult.originalFile"],
  [CLAUDE, 8, 777, 793, S.dbPassword, "tool", "Edit", "read", "$.toolUseResult.structuredPatch[0].lines[2]"],
  // Write: written; the `/` of the signing key is \u002f in the input (22 columns) and \/ in the result (18)
  [CLAUDE, 9, 490, 510, S.sessionSecret, "assistant", "Write", "write", "$.message.content[0].input.content"],
  [CLAUDE, 9, 524, 546, S.signingKey, "assistant", "Write", "write", "$.message.content[0].input.content"],
  [CLAUDE, 10, 518, 538, S.sessionSecret, "tool", "Write", "write", "$.toolUseResult.content"],
  [CLAUDE, 10, 552, 570, S.signingKey, "tool", "Write", "write", "$.toolUseResult.content"],
  // MCP result: JSON inside the text block
  [
    CLAUDE,
    12,
    385,
    405,
    S.apiToken,
    "tool",
    "mcp__vault__read_secret",
    "read",
    "$.message.content[0].content[0].text::$.data.data.api_token",
  ],
  // base64 text document (decoded; the finding spans the base64 run); the PNG next to it is skipped
  [CLAUDE, 13, 341, 421, S.bearer, "user", "", "prompt", "$.message.content[0].source.data"],
  // code block in a reply: \"…\" around the secret
  [CLAUDE, 14, 443, 463, S.clientSecret, "assistant", "", "reply", "$.message.content[0].text"],
  [CLAUDE, 15, 312, 329, S.redisPassword, "user", "", "prompt", "$.message.content"],
  // truncated last line: plain text
  [CLAUDE, 16, 130, 150, S.stagingToken, "", "", "context", ""],
  [SUBAGENT, 2, 432, 448, S.mysqlPassword, "assistant", "Bash", "send", "$.message.content[0].input.command"],
  [SPILLED, 2, 16, 36, S.sessionSecret, "tool", "", "read", ""],
  [".codex/history.jsonl", 1, 112, 132, S.stagingToken, "user", "", "prompt", "$.text"],
  // function_call_output: {"output": …} as a JSON string
  [CODEX, 7, 168, 188, S.stagingToken, "tool", "shell", "read", "$.payload.output::$.output"],
  // function_call arguments: a JSON string, the secret in command[2]
  [CODEX, 8, 194, 218, S.bearer, "assistant", "shell", "send", "$.payload.arguments::$.command[2]"],
  [CODEX, 10, 245, 265, S.sessionSecret, "assistant", "apply_patch", "write", "$.payload.input"],
  [
    `${CLINE}/api_conversation_history.json`,
    1,
    348,
    368,
    S.clientSecret,
    "assistant",
    "write_to_file",
    "write",
    "$[1].content[1].input.content",
  ],
  [`${CLINE}/ui_messages.json`, 1, 359, 375, S.mysqlPassword, "assistant", "execute_command", "send", "$[2].text"],
  // the SEARCH half of a replace_in_file diff: read
  [`${CLINE}/ui_messages.json`, 1, 629, 645, S.mysqlPassword, "assistant", "editedExistingFile", "read", "$[4].text::$.diff"],
  [GEMINI, 2, 130, 147, S.redisPassword, "user", "", "prompt", "$.content[0].text"],
  [GEMINI, 3, 470, 487, S.redisPassword, "assistant", "write_file", "write", "$.toolCalls[0].args.content"],
  [GEMINI, 4, 229, 246, S.redisPassword, "assistant", "run_shell_command", "send", "$.toolCalls[0].args.command"],
  [GEMINI, 4, 419, 436, S.redisPassword, "tool", "run_shell_command", "read", "$.toolCalls[0].result[0].functionResponse.response.output"],
  // pretty-printed JSON document
  [".gemini/tmp/acme-app/logs.json", 13, 41, 61, S.apiToken, "user", "", "prompt", "$[1].message"],
];

const isBinaryContainer = (path: string) => path.endsWith(".zst") || path.endsWith(".vscdb");
const str = (v: unknown) => (v === undefined ? "" : String(v));
const rowOf = (f: JsonFinding): Row => [
  f.path.slice(HOME.length + 1),
  f.startLine,
  f.startColumn,
  f.endColumn,
  str(f.secret),
  str(f.logicalLocation?.role),
  str(f.logicalLocation?.tool),
  str(f.logicalLocation?.action),
  str(f.logicalLocation?.pointer),
];

describe("leakgate scan on agent transcripts (built CLI)", () => {
  const run = () => leakgate(["scan", HOME, "-f", "json", "--no-redact"], { cwd: ROOT });

  it("reports every secret with its physical position and logical location", () => {
    const r = run();
    expect(r.code).toBe(1);
    const list = findingsOf(r.stdout);
    expect(list.filter((f) => !isBinaryContainer(f.path)).map(rowOf)).toEqual(EXPECTED);
    // The binary containers (zstd rollout, Cursor's SQLite store) are read too, by their handler.
    expect(list.filter((f) => isBinaryContainer(f.path)).length).toBeGreaterThan(0);
    expect(JSON.parse(r.stdout).stats).toMatchObject({ files: 15, skipped: 0 });
  });

  it("points each finding at the (escaped) text of its secret in the file", () => {
    // Positions in binary containers refer to the decompressed text or the database row.
    for (const f of findingsOf(run().stdout).filter((x) => !isBinaryContainer(x.path))) {
      expectAtSecret(f, join(ROOT, f.path), f.decodedFrom ? 0 : 1);
    }
  });

  it("never reports what sits in opaque fields or images", () => {
    const list = findingsOf(run().stdout);
    expect(list.some((f) => f.secret === S.hidden)).toBe(false);
    // ... although those fields do hold it (base64 of text, and an image whose data is text).
    const claude = readFileSync(join(FIXTURE_HOME, CLAUDE), "utf8").split("\n");
    expect(Buffer.from(JSON.parse(claude[1] as string).message.content[0].signature, "base64").toString()).toContain(S.hidden);
    const codex = readFileSync(join(FIXTURE_HOME, CODEX), "utf8").split("\n");
    expect(Buffer.from(JSON.parse(codex[4] as string).payload.encrypted_content, "base64").toString()).toContain(S.hidden);
  });

  it("carries session, record, role, tool, action and pointer in the logical location", () => {
    const list = findingsOf(run().stdout);
    const bash = list.find((f) => f.path.endsWith(CLAUDE) && f.startLine === 5);
    expect(bash?.logicalLocation).toEqual({
      fullyQualifiedName: `claude-code session ${CLAUDE_SESSION} > record 4 > assistant > Bash (toolu_02Bash) > sent > $.message.content[0].input.command`,
      kind: "transcript",
      agent: "claude-code",
      session: CLAUDE_SESSION,
      record: 4,
      role: "assistant",
      tool: "Bash",
      toolCallId: "toolu_02Bash",
      action: "send",
      pointer: "$.message.content[0].input.command",
      timestamp: "2026-01-02T09:15:00.000Z",
    });
    const codex = list.find((f) => f.path.endsWith(CODEX) && f.startLine === 7);
    expect(codex?.logicalLocation).toMatchObject({ agent: "codex", session: CODEX_SESSION, record: 6, toolCallId: "call_01Token" });
    const sub = list.find((f) => f.path.endsWith(SUBAGENT));
    expect(sub?.logicalLocation).toMatchObject({ session: CLAUDE_SESSION, subagent: "a1b2c3d4", record: 1 });
    const gemini = list.find((f) => f.path.endsWith(GEMINI) && f.startLine === 3);
    expect(gemini?.logicalLocation).toMatchObject({ agent: "gemini-cli", session: GEMINI_SESSION, toolCallId: "write_file-1" });
    const malformed = list.find((f) => f.path.endsWith(CLAUDE) && f.startLine === 16);
    expect(malformed?.logicalLocation).toMatchObject({ record: 15, note: "malformed record, scanned as text" });
    const aider = list.find((f) => f.path.endsWith(".aider.chat.history.md") && f.startLine === 18);
    expect(aider?.logicalLocation).toMatchObject({ agent: "aider", session: "2026-01-05 14:02:11", record: 1 });
  });

  it("shows the logical location in the text report and SARIF logicalLocations", () => {
    // From the fixture home: the repository's .leakgate.yaml allowlists fixtures/.
    const text = leakgate(["scan", CODEX], { cwd: FIXTURE_HOME });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      `location: codex session ${CODEX_SESSION} > record 7 > assistant > shell (call_02Deploy) > sent > $.payload.arguments::$.command[2]`,
    );
    expect(text.stdout + text.stderr).not.toContain(S.bearer);

    const sarifRun = leakgate(["scan", CODEX, "-f", "sarif"], { cwd: FIXTURE_HOME });
    const sarif = validateSarif(JSON.parse(sarifRun.stdout));
    checkGitHubConstraints(sarif);
    const results = sarif.runs[0]?.results ?? [];
    const deploy = results.find((r) => r.locations?.[0]?.physicalLocation?.region?.startLine === 8);
    const logical = deploy?.locations?.[0]?.logicalLocations?.[0];
    expect(logical?.fullyQualifiedName).toContain("$.payload.arguments::$.command[2]");
    expect(logical?.properties).toMatchObject({ session: CODEX_SESSION, role: "assistant", tool: "shell", action: "send", record: 7 });
    expect(deploy?.locations?.[0]?.physicalLocation?.region).toMatchObject({ startLine: 8, startColumn: 194, endColumn: 218 });
    expect(sarifRun.stdout).not.toContain(S.bearer);
  });

  it("reports nothing on real transcripts without secrets, malformed lines included", () => {
    const r = leakgate(["scan", "fixtures/agent/clean", "-f", "json"], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).stats).toMatchObject({ files: 8, skipped: 0 });
  });
});

describe("filters apply to decoded values", () => {
  it("honours an inline allow comment on the decoded line, and the config allowlist", () => {
    const dir = tempDir();
    const rec = (content: string) =>
      JSON.stringify({
        type: "user",
        sessionId: "s",
        parentUuid: null,
        uuid: "u",
        message: { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content }] },
      });
    writeTree(dir, {
      ".claude/projects/-w/s.jsonl": `${rec(`# test data\nDB_PASSWORD=${S.dbPassword} # leakgate:allow\nAPI_TOKEN=${S.apiToken}\n`)}\n`,
    });
    const r = leakgate(["scan", ".", "-f", "json", "--no-redact"], { cwd: dir });
    expect(findingsOf(r.stdout).map((f) => f.secret)).toEqual([S.apiToken]);
    writeTree(dir, { ".leakgate.yaml": `allowlist:\n  values: ['^${S.apiToken}$']\n` });
    expect(leakgate(["scan", "."], { cwd: dir }).code).toBe(0);
  });
});

describe("escapes never hide a GitHub token (generated at run time)", () => {
  // The token's `_` written as \u005f, its `g` as \u0067, inside a command and a JSON-in-JSON output.
  const token = githubToken();
  const escUnderscore = token.replace("_", "\\u005f");
  const escG = `\\u0067${token.slice(1)}`;
  const claudeLine = (content: string) =>
    `{"parentUuid":null,"sessionId":"s-esc","type":"assistant","uuid":"u1","timestamp":"2026-01-02T00:00:00.000Z","message":{"role":"assistant","content":[{"type":"tool_use","id":"toolu_e","name":"Bash","input":{"command":"${content}"}}]}}`;

  it("finds it and points at the escaped text", () => {
    const dir = tempDir();
    // A JSON string holding JSON whose string holds the token with `_` as \u005f: \\u005f in the file.
    const codexOutput = JSON.stringify(JSON.stringify({ output: `GITHUB_TOKEN=${token}\n`, metadata: { exit_code: 0 } })).replace(
      "ghp_",
      "ghp\\\\u005f",
    );
    writeTree(dir, {
      ".claude/projects/-w/s-esc.jsonl": `${claudeLine(`echo start\\ngh auth login --with-token <<< ${escUnderscore}`)}\n${claudeLine(`export TOKEN=\\"${escG}\\"`)}\n`,
      "rollouts/rollout-2026-01-02T00-00-00-99999999-9999-4999-8999-999999999999.jsonl": [
        JSON.stringify({
          timestamp: "2026-01-02T00:00:00.000Z",
          type: "session_meta",
          payload: { id: "99999999-9999-4999-8999-999999999999" },
        }),
        `{"timestamp":"2026-01-02T00:00:01.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c1","output":${codexOutput}}}`,
        "",
      ].join("\n"),
    });
    const r = leakgate(["scan", ".", "-f", "json", "--no-redact"], { cwd: dir });
    expect(r.code).toBe(1);
    const list = findingsOf(r.stdout).filter((f) => f.ruleId.startsWith("github"));
    expect(list.map((f) => [f.path, f.startLine, f.secret, f.logicalLocation?.pointer])).toEqual([
      [".claude/projects/-w/s-esc.jsonl", 1, token, "$.message.content[0].input.command"],
      [".claude/projects/-w/s-esc.jsonl", 2, token, "$.message.content[0].input.command"],
      ["rollouts/rollout-2026-01-02T00-00-00-99999999-9999-4999-8999-999999999999.jsonl", 2, token, "$.payload.output::$.output"],
    ]);
    const lines = readFileSync(join(dir, ".claude/projects/-w/s-esc.jsonl"), "utf8").split("\n");
    const [first, second] = list;
    // 40 characters of token, 5 more for the \u005f escape.
    expect(lines[0]?.slice((first?.startColumn ?? 0) - 1, (first?.endColumn ?? 0) - 1)).toBe(escUnderscore);
    expect(lines[1]?.slice((second?.startColumn ?? 0) - 1, (second?.endColumn ?? 0) - 1)).toBe(escG);
    // Double escaping (\\u005f inside a JSON string inside a JSON string) maps back as well.
    const third = list[2] as JsonFinding;
    const codexLine = readFileSync(join(dir, third.path), "utf8").split("\n")[1] ?? "";
    const raw = codexLine.slice(third.startColumn - 1, third.endColumn - 1);
    expect(JSON.parse(JSON.parse(`"\\"${raw}\\""`))).toBe(token);
    expect(r.stdout).toContain('"ruleId": "github-pat-classic"');
  });
});
