import { describe, expect, it } from "vitest";
import { loadBuiltinRules } from "../../src/config/builtin-rules.js";
import { Detector } from "../../src/engine/detector.js";
import type { FormatInfo } from "../../src/sources/transcripts/formats.js";
import { scanTranscriptText } from "../../src/sources/transcripts/index.js";
import { redactRecords } from "../../src/sources/transcripts/redact.js";
import type { Located } from "../../src/sources/transcripts/scanner.js";
import { githubToken } from "../helpers/tokens.js";
import { S } from "./helpers.js";

const detector = new Detector(loadBuiltinRules(), { validate: false });
const CLAUDE: FormatInfo = { format: "claude-code", agent: "claude-code", container: "json" };
const CODEX: FormatInfo = { format: "codex", agent: "codex", container: "json" };

function scan(text: string, info = CLAUDE) {
  const bytes = Buffer.from(text, "utf8");
  return { bytes, ...scanTranscriptText(detector, bytes, { path: "t.jsonl" }, info) };
}

/** [line, startColumn, endColumn, secret, pointer] per finding, in file order. */
const rows = (located: Located[]) =>
  located
    .map((l) => l.finding)
    .sort((a, b) => a.startLine - b.startLine || a.startColumn - b.startColumn)
    .map((f) => [f.startLine, f.startColumn, f.endColumn, f.secret, f.logicalLocation?.pointer]);

/** 1-based UTF-16 column of `needle` on `line` of `text`. */
const col = (text: string, line: number, needle: string) => (text.split("\n")[line - 1] as string).indexOf(needle) + 1;

const rec = (content: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: "user", sessionId: "s", uuid: "u", message: { role: "user", content }, ...extra });

describe("structured transcript scanning", () => {
  it("decodes escapes and keeps the key as context for the rules", () => {
    // `\u0063` (c) inside the secret: only the decoded value, read with its key, is a credential.
    const line = `{"type":"user","sessionId":"s","message":{"content":"x"},"env":{"client_secret":"Wm4Rt8Yq2Kx6Zp9L\\u00633Vb"}}`;
    const { located } = scan(`${line}\n`);
    expect(rows(located)).toEqual([[1, col(line, 1, "Wm4R"), col(line, 1, "3Vb") + 3, S.clientSecret, "$.env.client_secret"]]);
  });

  it("counts columns in UTF-16 units after non-ASCII text", () => {
    const text = `${rec(`😀 café\\n日本 DB_PASSWORD=${S.dbPassword}`)}\n`.replace("\\\\n", "\\n");
    const { located } = scan(text);
    expect(rows(located)).toEqual([
      [1, col(text, 1, S.dbPassword), col(text, 1, S.dbPassword) + S.dbPassword.length, S.dbPassword, "$.message.content"],
    ]);
  });

  it("handles CRLF line ends and a pretty-printed document", () => {
    const crlf = `${rec("hello")}\r\n${rec(`DB_PASSWORD=${S.dbPassword}`)}\r\n`;
    expect(rows(scan(crlf).located)).toEqual([
      [2, col(crlf, 2, S.dbPassword), col(crlf, 2, S.dbPassword) + 16, S.dbPassword, "$.message.content"],
    ]);
    const pretty = `${JSON.stringify({ sessionId: "s", projectHash: "h", messages: [{ type: "user", content: `auth_token: ${S.apiToken}` }] }, null, 2)}\n`;
    const gemini: FormatInfo = { format: "gemini", agent: "gemini-cli", container: "json" };
    const { located } = scan(pretty, gemini);
    const line = pretty.split("\n").findIndex((l) => l.includes(S.apiToken)) + 1;
    expect(rows(located)).toEqual([
      [line, col(pretty, line, S.apiToken), col(pretty, line, S.apiToken) + 20, S.apiToken, "$.messages[0].content"],
    ]);
    expect(located[0]?.finding.logicalLocation).toMatchObject({ record: 0, role: "user", action: "prompt", session: "s" });
  });

  it("follows JSON inside strings three levels deep", () => {
    const inner = JSON.stringify({ env: { API_TOKEN: `auth_token: ${S.apiToken}` } });
    const middle = JSON.stringify({ result: inner });
    const line = JSON.stringify({
      timestamp: "2026-01-01T00:00:00Z",
      type: "response_item",
      payload: { type: "function_call_output", call_id: "c", output: middle },
    });
    const { located } = scan(`${line}\n`, CODEX);
    expect(located).toHaveLength(1);
    const f = located[0]?.finding;
    expect(f?.secret).toBe(S.apiToken);
    expect(f?.logicalLocation?.pointer).toBe("$.payload.output::$.result::$.env.API_TOKEN");
    expect(line.slice((f?.startColumn ?? 0) - 1, (f?.endColumn ?? 0) - 1)).toBe(S.apiToken);
  });

  it("reports a repeated large value at every copy, under any key", () => {
    const body = `${"const x = 1;\\n".repeat(40)}DB_PASSWORD=${S.dbPassword}\\n`;
    const a = `{"type":"user","sessionId":"s","toolUseResult":{"stdout":"${body}"},"message":{"content":[{"type":"tool_result","tool_use_id":"t","content":"${body}"}]}}`;
    const b = `{"type":"user","sessionId":"s","toolUseResult":{"stdout":"${body}"}}`;
    const text = `${a}\n${b}\n`;
    const found = rows(scan(text).located);
    const at = (line: number, from = 0) => (text.split("\n")[line - 1] as string).indexOf(S.dbPassword, from) + 1;
    expect(found).toEqual([
      [1, at(1), at(1) + 16, S.dbPassword, "$.toolUseResult.stdout"],
      [1, at(1, at(1)), at(1, at(1)) + 16, S.dbPassword, "$.message.content[0].content"],
      [2, at(2), at(2) + 16, S.dbPassword, "$.toolUseResult.stdout"],
    ]);
  });

  it("skips ciphertext, signatures and media, and decodes other data URLs", () => {
    const hidden = Buffer.from(`api_key=${S.hidden} `.repeat(5)).toString("base64");
    const png = Buffer.concat([
      Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"),
      Buffer.from(`password=${S.hidden}\n`.repeat(8)),
    ]).toString("base64");
    const doc = Buffer.from(`notes\nauth_token: ${S.apiToken}\n`).toString("base64");
    const text = [
      JSON.stringify({ type: "response_item", payload: { type: "reasoning", encrypted_content: hidden } }),
      JSON.stringify({ type: "assistant", message: { content: [{ type: "thinking", thinking: "hm", signature: hidden }] } }),
      JSON.stringify({ type: "assistant", message: { content: [{ type: "redacted_thinking", data: hidden }] } }),
      JSON.stringify({ type: "gemini", content: [{ text: "ok", thoughtSignature: hidden }] }),
      JSON.stringify({
        type: "user",
        message: { content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: png } }] },
      }),
      JSON.stringify({ type: "message", content: [{ type: "input_image", image_url: `data:image/png;base64,${png}` }] }),
      JSON.stringify({ type: "message", content: [{ type: "input_file", file_url: `data:text/plain;base64,${doc}` }] }),
      "",
    ].join("\n");
    const { located } = scan(text);
    expect(located.map((l) => [l.finding.startLine, l.finding.secret, l.finding.logicalLocation?.pointer])).toEqual([
      [7, S.apiToken, "$.content[0].file_url::base64"],
    ]);
  });

  it("scans a malformed record as text, once, and keeps scanning the next ones", () => {
    const broken = `{"type":"user","message":{"content":"a\\nb DB_PASSWORD=${S.dbPassword} c"}, oops}`;
    const text = `${broken}\n${rec(`auth_token: ${S.apiToken}`)}\n`;
    const { located } = scan(text);
    expect(rows(located)).toEqual([
      [1, col(text, 1, S.dbPassword), col(text, 1, S.dbPassword) + 16, S.dbPassword, undefined],
      [2, col(text, 2, S.apiToken), col(text, 2, S.apiToken) + 20, S.apiToken, "$.message.content"],
    ]);
    expect(located.find((l) => l.finding.startLine === 1)?.finding.logicalLocation?.note).toBe("malformed record, scanned as text");
  });

  it("does not lose a secret next to numbers and literals (removed from the raw text)", () => {
    const line = `{"usage":{"input_tokens":12,"output_tokens":3},"ok":true,"n":null,"k":"DB_PASSWORD=${S.dbPassword}","t":1.5e3}`;
    expect(rows(scan(`${line}\n`).located)).toEqual([
      [1, col(line, 1, S.dbPassword), col(line, 1, S.dbPassword) + 16, S.dbPassword, "$.k"],
    ]);
  });

  it("finds the tool of a result by its call id in another record", () => {
    const token = githubToken();
    const text = [
      JSON.stringify({
        type: "assistant",
        sessionId: "s",
        message: { role: "assistant", content: [{ type: "tool_use", id: "toolu_X", name: "WebFetch", input: { url: "https://x" } }] },
      }),
      JSON.stringify({
        type: "user",
        sessionId: "s",
        message: { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_X", content: `found ${token}` }] },
      }),
      "",
    ].join("\n");
    const loc = scan(text).located[0]?.finding.logicalLocation;
    expect(loc).toMatchObject({ role: "tool", tool: "WebFetch", toolCallId: "toolu_X", action: "read", record: 1 });
  });
});

describe("redactRecords", () => {
  it("leaves out a replacement that would break a record and replaces literal copies elsewhere", () => {
    const token = githubToken();
    const line = JSON.stringify({ a: `x ${token}`, [token]: 1 });
    const bytes = Buffer.from(`${line}\n`);
    const { located, docs } = scanTranscriptText(detector, bytes, { path: "t.jsonl" }, CLAUDE);
    // Add an unsafe span (the quote before the value) on top of the real finding.
    const finding = located[0]?.finding;
    if (!finding) throw new Error("no finding");
    const quote = line.indexOf('"x ');
    const unsafe = { finding: { ...finding, ruleId: "custom" }, start: quote, end: quote + 2 };
    const result = redactRecords(bytes, docs, true, [...located, unsafe]);
    const out = result.bytes.toString();
    expect(JSON.parse(out)).toEqual({
      a: expect.stringMatching(/^x \[REDACTED:github-pat-classic:[0-9a-f]{8}\]$/),
      [`[REDACTED:github-pat-classic:${finding.secretSha256.slice(0, 8)}]`]: 1,
    });
    expect(out).not.toContain(token);
    expect(result.unsafe).toBe(1);
  });
});

describe("record shapes of each agent", () => {
  const locs = (text: string, info: FormatInfo) =>
    scan(text, info)
      .located.map((l) => l.finding)
      .sort((a, b) => a.startLine - b.startLine || a.startColumn - b.startColumn)
      .map((f) => {
        const { fullyQualifiedName: _, kind: __, agent: ___, ...rest } = f.logicalLocation ?? { fullyQualifiedName: "" };
        return rest;
      });
  const secret = `auth_token: ${S.apiToken}`;
  const gemini: FormatInfo = { format: "gemini", agent: "gemini-cli", container: "json" };

  it("Gemini: checkpoint Content[], $set rewrites, legacy session documents", () => {
    const checkpoint = JSON.stringify([
      { role: "user", parts: [{ text: secret }] },
      { role: "model", parts: [{ functionCall: { name: "run_shell_command", args: { command: `echo ${secret}` } } }] },
      { role: "user", parts: [{ functionResponse: { name: "run_shell_command", response: { output: secret } } }] },
    ]);
    expect(locs(`${checkpoint}\n`, gemini)).toEqual([
      { record: 0, role: "user", action: "prompt", pointer: "$[0].parts[0].text" },
      { record: 1, role: "assistant", tool: "run_shell_command", action: "send", pointer: "$[1].parts[0].functionCall.args.command" },
      { record: 2, role: "tool", tool: "run_shell_command", action: "read", pointer: "$[2].parts[0].functionResponse.response.output" },
    ]);
    const jsonl = [
      JSON.stringify({ sessionId: "g-1", projectHash: "h", startTime: "2026-01-01T00:00:00Z" }),
      JSON.stringify({ $set: { messages: [{ id: "m1", type: "user", timestamp: "2026-01-01T00:00:01Z", content: [{ text: secret }] }] } }),
      "",
    ].join("\n");
    expect(locs(jsonl, gemini)).toEqual([
      {
        session: "g-1",
        record: 1,
        role: "user",
        action: "prompt",
        pointer: "$.$set.messages[0].content[0].text",
        timestamp: "2026-01-01T00:00:01.000Z",
      },
    ]);
    const legacy = JSON.stringify(
      { sessionId: "g-2", projectHash: "h", messages: [{ id: "a", type: "gemini", content: secret }] },
      null,
      2,
    );
    expect(locs(legacy, gemini)).toEqual([
      { session: "g-2", record: 0, role: "assistant", action: "reply", pointer: "$.messages[0].content" },
    ]);
  });

  it("Codex: legacy rollouts and event messages", () => {
    const legacy = [
      JSON.stringify({ id: "44444444-4444-4444-8444-444444444444", timestamp: "2025-01-01T00:00:00Z" }),
      JSON.stringify({
        type: "function_call",
        name: "shell",
        arguments: JSON.stringify({ command: ["bash", "-lc", `export ${secret}`] }),
        call_id: "c1",
      }),
      JSON.stringify({ type: "function_call_output", call_id: "c1", output: secret }),
      "",
    ].join("\n");
    expect(locs(legacy, CODEX)).toEqual([
      {
        session: "44444444-4444-4444-8444-444444444444",
        record: 1,
        role: "assistant",
        tool: "shell",
        toolCallId: "c1",
        action: "send",
        pointer: "$.arguments::$.command[2]",
      },
      {
        session: "44444444-4444-4444-8444-444444444444",
        record: 2,
        role: "tool",
        tool: "shell",
        toolCallId: "c1",
        action: "read",
        pointer: "$.output",
      },
    ]);
    const events = [
      JSON.stringify({ timestamp: "2026-01-01T00:00:00Z", type: "session_meta", payload: { id: "s-2" } }),
      JSON.stringify({
        timestamp: "2026-01-01T00:00:01Z",
        type: "event_msg",
        payload: { type: "exec_command_end", call_id: "c2", aggregated_output: secret },
      }),
      JSON.stringify({ timestamp: "2026-01-01T00:00:02Z", type: "event_msg", payload: { type: "agent_message", message: secret } }),
      "",
    ].join("\n");
    expect(locs(events, CODEX).map((l) => [l.role, l.tool, l.action])).toEqual([
      ["tool", "shell", "read"],
      ["assistant", undefined, "reply"],
    ]);
  });

  it("Cline: a tool_result names the tool_use it answers", () => {
    const cline: FormatInfo = { format: "cline", agent: "cline", container: "json" };
    const api = JSON.stringify([
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "read_file", input: { path: ".env" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: secret }] },
      { role: "user", content: [{ type: "text", text: `[execute_command for 'env'] Result:\n${secret}` }] },
    ]);
    expect(locs(api, cline)).toEqual([
      { record: 1, role: "tool", tool: "read_file", toolCallId: "t1", action: "read", pointer: "$[1].content[0].content" },
      { record: 2, role: "tool", tool: "execute_command", action: "read", pointer: "$[2].content[0].text" },
    ]);
  });
});

describe("Gemini /restore checkpoints", () => {
  it("reads the history and the pending tool call", () => {
    const gemini: FormatInfo = { format: "gemini", agent: "gemini-cli", container: "json" };
    const doc = JSON.stringify({
      history: [{ role: "user", parts: [{ text: `auth_token: ${S.apiToken}` }] }],
      toolCall: { name: "write_file", args: { file_path: "a.env", content: `DB_PASSWORD=${S.dbPassword}` } },
      commitHash: "abc",
    });
    const got = scan(`${doc}\n`, gemini).located.map((l) => [
      l.finding.secret,
      l.finding.logicalLocation?.role,
      l.finding.logicalLocation?.action,
      l.finding.logicalLocation?.pointer,
    ]);
    expect(got.sort()).toEqual(
      [
        [S.apiToken, "user", "prompt", "$.history[0].parts[0].text"],
        [S.dbPassword, "assistant", "write", "$.toolCall.args.content"],
      ].sort(),
    );
  });
});

describe("keys of numeric fields", () => {
  it("still scans a key that could be a secret, even with a number value", () => {
    const token = githubToken();
    const line = JSON.stringify({ type: "user", sessionId: "s", limits: { [token]: 5000, input_tokens: 3 } });
    const found = scan(`${line}\n`).located.map((l) => [l.finding.secret, l.finding.logicalLocation?.pointer]);
    expect(found).toEqual([[token, `$.limits.${token}`]]);
  });
});
