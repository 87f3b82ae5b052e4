import { describe, expect, it } from "vitest";
import { detectFormat, sessionFromPath } from "../../src/sources/transcripts/formats.js";
import { inputAction, isoTime, patchLineAction, searchReplaceAction } from "../../src/sources/transcripts/interpret.js";
import { parseSince } from "../../src/sources/transcripts/since.js";
import { zstdDecompress, zstdRawFrame } from "../../src/sources/transcripts/zstd.js";

const none = Buffer.alloc(0);
const fmt = (path: string, head = none) => {
  const info = detectFormat(path, head);
  return info ? `${info.agent}/${info.format}${info.compressed ? "/zst" : ""}` : undefined;
};

describe("detectFormat", () => {
  it("recognises each agent's files by path", () => {
    expect(fmt("/home/u/.claude/projects/-home-u-app/0f1e2d3c.jsonl")).toBe("claude-code/claude-code");
    expect(fmt("/home/u/.claude/projects/-home-u-app/0f1e/subagents/agent-a1.jsonl")).toBe("claude-code/claude-code");
    expect(fmt("/home/u/.claude/projects/-p/0f1e/tool-results/toolu_1.txt")).toBe("claude-code/agent-text");
    expect(fmt(".claude/history.jsonl")).toBe("claude-code/claude-history");
    expect(fmt("/home/u/.codex/sessions/2026/01/02/rollout-2026-01-02T10-00-00-abc.jsonl")).toBe("codex/codex");
    expect(fmt("/home/u/.codex/sessions/2026/01/02/rollout-2026-01-02T10-00-00-abc.jsonl.zst")).toBe("codex/codex/zst");
    expect(fmt("/home/u/.codex/history.jsonl")).toBe("codex/codex-history");
    expect(fmt("/home/u/.gemini/tmp/app/chats/session-2026-01-04T08-30-3e9d8c7b.jsonl")).toBe("gemini-cli/gemini");
    expect(fmt("/home/u/.gemini/tmp/app/logs.json")).toBe("gemini-cli/gemini");
    expect(fmt("/home/u/.gemini/tmp/app/checkpoint-release.json")).toBe("gemini-cli/gemini");
    expect(fmt("/home/u/.gemini/tmp/app/shell_history")).toBe("gemini-cli/agent-text");
    expect(fmt("C:\\Users\\u\\AppData\\Roaming\\Code\\User\\globalStorage\\saoudrizwan.claude-dev\\tasks\\17\\ui_messages.json")).toBe(
      "cline/cline",
    );
    expect(fmt("/x/globalStorage/rooveterinaryinc.roo-cline/tasks/17/api_conversation_history.json")).toBe("roo-code/cline");
    expect(fmt("/home/u/.config/Cursor/User/globalStorage/state.vscdb")).toBe("cursor/cursor");
    expect(fmt("repo/.aider.chat.history.md")).toBe("aider/aider-chat");
    expect(fmt("repo/.aider.input.history")).toBe("aider/aider-input");
  });

  it("recognises JSONL and Markdown by content, and leaves other files alone", () => {
    const line = (o: unknown) => Buffer.from(`${JSON.stringify(o)}\n`);
    expect(fmt("logs/a.jsonl", line({ timestamp: "t", type: "session_meta", payload: {} }))).toBe("codex/codex");
    expect(fmt("a.jsonl", line({ parentUuid: null, sessionId: "s", type: "user" }))).toBe("claude-code/claude-code");
    expect(fmt("a.jsonl", line({ sessionId: "s", projectHash: "h", startTime: "t" }))).toBe("gemini-cli/gemini");
    expect(fmt("a.jsonl", line({ display: "x", pastedContents: {}, timestamp: 1 }))).toBe("claude-code/claude-history");
    expect(fmt("old/session-1.json", Buffer.from('{"sessionId":"s","projectHash":"h","messages":[]}'))).toBe("gemini-cli/gemini");
    expect(fmt("notes/chat.md", Buffer.from("# aider chat started at 2026-01-05 14:02:11\n"))).toBe("aider/aider-chat");
    for (const [path, head] of [
      ["package.json", '{"name":"x"}'],
      ["data.jsonl", '{"a":1}'],
      ["README.md", "# hello"],
      ["settings.json", '{"mcpServers":{}}'],
      [".claude/settings.json", "{}"],
      ["x.jsonl.zst", ""],
    ] as const) {
      expect(fmt(path, Buffer.from(head)), path).toBeUndefined();
    }
  });

  it("derives a session id from the path", () => {
    const s = (p: string) => sessionFromPath(p, detectFormat(p, none) ?? { format: "agent-text", agent: "x", container: "text" });
    expect(s("/h/.claude/projects/-p/0f1e2d3c-aaaa.jsonl")).toBe("0f1e2d3c-aaaa");
    expect(s("/h/.claude/projects/-p/0f1e2d3c-aaaa/subagents/agent-1.jsonl")).toBe("0f1e2d3c-aaaa");
    expect(s("/h/.claude/projects/-p/0f1e2d3c-aaaa/tool-results/t.txt")).toBe("0f1e2d3c-aaaa");
    expect(s("/h/.codex/sessions/2026/01/02/rollout-2026-01-02T10-00-00-0199a3b4-5c6d-4e7f-8a9b-0c1d2e3f4a5b.jsonl.zst")).toBe(
      "0199a3b4-5c6d-4e7f-8a9b-0c1d2e3f4a5b",
    );
    expect(s("/h/.gemini/tmp/app/chats/session-2026-01-04T08-30-3e9d8c7b.jsonl")).toBe("3e9d8c7b");
    expect(s("/x/saoudrizwan.claude-dev/tasks/1767600000000/ui_messages.json")).toBe("1767600000000");
  });
});

describe("what the agent did", () => {
  it("tells written, sent and read apart", () => {
    expect(inputAction("Write", ["content"])).toBe("write");
    expect(inputAction("Edit", ["old_string"])).toBe("read");
    expect(inputAction("Edit", ["new_string"])).toBe("write");
    expect(inputAction("Edit", ["file_path"])).toBe("send");
    expect(inputAction("mcp__filesystem__write_file", ["content"])).toBe("write");
    expect(inputAction("Bash", ["command"])).toBe("send");
    expect(inputAction("mcp__github__create_issue", ["body"])).toBe("send");
    const patch = "*** Begin Patch\n*** Add File: .env\n+TOKEN=abc\n-OLD=def\n context\n*** End Patch";
    expect(inputAction("shell", ["command", 1], { text: patch, offset: patch.indexOf("TOKEN") })).toBe("write");
    expect(inputAction("shell", ["command", 1], { text: patch, offset: patch.indexOf("OLD") })).toBe("read");
    expect(patchLineAction("*** Add File: .env")).toBe("send");
    const diff = "------- SEARCH\nold\n=======\nnew\n+++++++ REPLACE\nafter";
    expect(searchReplaceAction(diff, diff.indexOf("old"))).toBe("read");
    expect(searchReplaceAction(diff, diff.indexOf("new"))).toBe("write");
    expect(searchReplaceAction(diff, diff.indexOf("after"))).toBeUndefined();
  });

  it("normalises times", () => {
    expect(isoTime(1767345600000)).toBe("2026-01-02T09:20:00.000Z");
    expect(isoTime(1767345600)).toBe("2026-01-02T09:20:00.000Z");
    expect(isoTime("2026-01-02T09:20:00Z")).toBe("2026-01-02T09:20:00.000Z");
    expect(isoTime("soon")).toBeUndefined();
  });
});

describe("parseSince", () => {
  it("accepts durations and dates", () => {
    const now = Date.parse("2026-01-10T00:00:00Z");
    expect(parseSince("7d", now)).toBe(Date.parse("2026-01-03T00:00:00Z"));
    expect(parseSince("12h", now)).toBe(now - 12 * 3600_000);
    expect(parseSince("2w", now)).toBe(now - 14 * 86_400_000);
    expect(parseSince("30m", now)).toBe(now - 30 * 60_000);
    expect(parseSince("2026-01-04")).toBe(Date.parse("2026-01-04"));
    expect(() => parseSince("yesterday")).toThrow(/--since/);
  });
});

describe("zstd", () => {
  it("writes raw-block frames that decompress to the input, and caps decompression", () => {
    for (const n of [0, 1, 128 * 1024, 128 * 1024 + 1, 300_000]) {
      const data = Buffer.alloc(n);
      for (let i = 0; i < n; i++) data[i] = (i * 31) & 0xff;
      expect(zstdDecompress(zstdRawFrame(data), 1 << 30).equals(data), String(n)).toBe(true);
    }
    expect(() => zstdDecompress(zstdRawFrame(Buffer.alloc(4096)), 1024)).toThrow(/more than/);
  });
});
