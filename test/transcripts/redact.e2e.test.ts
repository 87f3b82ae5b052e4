import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { decompress } from "fzstd";
import type { SqlJsStatic } from "sql.js";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, leakgate, tempDir, writeTree } from "../helpers/cli.js";
import { githubToken } from "../helpers/tokens.js";
import { copyHome, findingsOf, S } from "./helpers.js";

const CLAUDE = ".claude/projects/-home-dev-acme-app/7f3c2a10-5d1e-4c2b-9a8f-1e2d3c4b5a69.jsonl";
const ZST = ".codex/sessions/2026/01/03/rollout-2026-01-03T08-00-00-0199a3b4-0000-4e7f-8a9b-0c1d2e3f4a5c.jsonl.zst";
const DB = ".config/Cursor/User/globalStorage/state.vscdb";
const UI = ".config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/1767600000000/ui_messages.json";
const LOGS = ".gemini/tmp/acme-app/logs.json";
const AIDER = ".aider.chat.history.md";
const MARKER = /\[REDACTED:[a-z0-9-]+:[0-9a-f]{8}\]/g;

let SQL: SqlJsStatic;
beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error("build first: npm run build");
  const init = createRequire(import.meta.url)("sql.js") as () => Promise<SqlJsStatic>;
  SQL = await init();
});

const secretsIn = (text: string) =>
  Object.values(S).filter((s) => text.includes(s) || text.includes(s.replace("/", "\\u002f")) || text.includes(s.replace("/", "\\/")));
/** Lines that parse as JSON (a truncated record stays truncated). */
const validLines = (text: string) =>
  text
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      try {
        JSON.parse(l);
        return true;
      } catch {
        return false;
      }
    });
const rescan = (home: string, rel: string) => leakgate(["transcripts", join(home, rel), "-f", "json"], { cwd: tempDir() });

describe("leakgate redact (built CLI)", () => {
  it("rewrites a Claude Code session: every line stays valid JSON, a backup is kept, re-scan is clean", () => {
    const home = copyHome();
    const file = join(home, CLAUDE);
    const before = readFileSync(file, "utf8");
    expect(secretsIn(before).length).toBeGreaterThan(0);
    const r = leakgate(["redact", CLAUDE], { cwd: home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/redacted \d+ replacement\(s\) of 8 secret\(s\); backup .*\.jsonl\.leakgate-bak/);
    const after = readFileSync(file, "utf8");
    expect(secretsIn(after)).toEqual([]);
    expect(validLines(after)).toEqual(validLines(before));
    expect(after.match(MARKER)?.length).toBeGreaterThanOrEqual(18);
    expect(after).toContain("[REDACTED:database-postgres-url:");
    // The backup is the original, readable by the owner only.
    const backup = `${file}.leakgate-bak`;
    expect(readFileSync(backup, "utf8")).toBe(before);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    // The nested JSON in the MCP result still parses, with the marker inside.
    const mcp = JSON.parse(after.split("\n")[11] as string);
    expect(JSON.parse(mcp.message.content[0].content[0].text).data.data.api_token).toMatch(MARKER);
    // Nothing left to find; a second run has nothing to do.
    const again = leakgate(["scan", CLAUDE, "-f", "json"], { cwd: home });
    expect(again.code).toBe(0);
    expect(leakgate(["redact", CLAUDE], { cwd: home }).stdout).toContain("no secrets found");
  });

  it("keeps JSON documents, JSON-in-strings and Markdown valid", () => {
    const home = copyHome();
    const r = leakgate(["redact", UI, LOGS, AIDER, "--no-backup"], { cwd: home });
    expect(r.code).toBe(0);
    for (const rel of [UI, LOGS, AIDER]) {
      const text = readFileSync(join(home, rel), "utf8");
      expect(secretsIn(text), rel).toEqual([]);
      expect(existsSync(join(home, `${rel}.leakgate-bak`))).toBe(false);
      expect(rescan(home, rel).code, rel).toBe(0);
    }
    const ui = JSON.parse(readFileSync(join(home, UI), "utf8"));
    expect(JSON.parse(ui[4].text).diff).toMatch(MARKER);
    expect(JSON.parse(readFileSync(join(home, LOGS), "utf8"))[1].message).toMatch(MARKER);
    expect(readFileSync(join(home, AIDER), "utf8")).toContain("#### the settings still have SIGNING_KEY=[REDACTED:");
  });

  it("rewrites a zstd rollout as a valid zstd frame", () => {
    const home = copyHome();
    const r = leakgate(["redact", ZST], { cwd: home });
    expect(r.code).toBe(0);
    const text = Buffer.from(decompress(readFileSync(join(home, ZST)))).toString("utf8");
    expect(secretsIn(text)).toEqual([]);
    expect(validLines(text).every(Boolean)).toBe(true);
    expect(text).toMatch(MARKER);
    expect(rescan(home, ZST).code).toBe(0);
    expect(existsSync(join(home, `${ZST}.leakgate-bak`))).toBe(true);
  });

  it("rewrites Cursor's SQLite database, which still opens with every value valid JSON", () => {
    const home = copyHome();
    const r = leakgate(["redact", DB], { cwd: home });
    expect(r.code).toBe(0);
    const db = new SQL.Database(readFileSync(join(home, DB)));
    const rows = db.exec("SELECT key, value FROM cursorDiskKV UNION ALL SELECT key, value FROM ItemTable")[0]?.values ?? [];
    db.close();
    expect(rows).toHaveLength(6);
    for (const [key, value] of rows) {
      const text = value instanceof Uint8Array ? Buffer.from(value).toString("utf8") : String(value);
      expect(secretsIn(text), String(key)).toEqual([]);
      JSON.parse(text);
    }
    expect(rescan(home, DB).code).toBe(0);
  });

  it("refuses a database with a write-ahead log (Cursor running)", () => {
    const home = copyHome();
    writeFileSync(join(home, `${DB}-wal`), "x");
    const before = readFileSync(join(home, DB));
    const r = leakgate(["redact", DB], { cwd: home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("close Cursor and retry");
    expect(readFileSync(join(home, DB)).equals(before)).toBe(true);
  });

  it("--dry-run changes nothing; other files are refused with one line each", () => {
    const home = copyHome();
    const before = readFileSync(join(home, CLAUDE), "utf8");
    const dry = leakgate(["redact", "--dry-run", CLAUDE], { cwd: home });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("would redact");
    expect(readFileSync(join(home, CLAUDE), "utf8")).toBe(before);
    expect(existsSync(join(home, `${CLAUDE}.leakgate-bak`))).toBe(false);

    writeTree(home, { "notes.txt": `DB_PASSWORD=${S.dbPassword}\n` });
    const r = leakgate(["redact", "notes.txt", "missing.jsonl"], { cwd: home });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      "leakgate: error: notes.txt: not a recognised agent transcript; nothing changed",
      "leakgate: error: missing.jsonl: no such file",
    ]);
    expect(readFileSync(join(home, "notes.txt"), "utf8")).toContain(S.dbPassword);
  });

  it("redacts a GitHub token written with an escape, keeping the line valid", () => {
    const dir = tempDir();
    const token = githubToken();
    const rel = ".claude/projects/-w/s-esc.jsonl";
    writeTree(dir, {
      [rel]: `{"parentUuid":null,"sessionId":"s-esc","type":"user","uuid":"u","message":{"role":"user","content":"token \\u0067${token.slice(1)} ok"}}\n`,
    });
    const r = leakgate(["redact", rel], { cwd: dir });
    expect(r.code).toBe(0);
    const after = readFileSync(join(dir, rel), "utf8");
    expect(JSON.parse(after).message.content).toMatch(/^token \[REDACTED:github-pat-classic:[0-9a-f]{8}\] ok$/);
    expect(after).not.toContain(token.slice(1));
  });

  it("refuses to write a file that changed while it ran, and leaves it as the writer left it", async () => {
    const home = copyHome();
    const file = join(home, CLAUDE);
    const before = readFileSync(file, "utf8");
    const appended = `${JSON.stringify({ type: "user", sessionId: "x", message: { role: "user", content: "new line" } })}\n`;
    const child = spawn(process.execPath, [BIN, "redact", CLAUDE], {
      cwd: home,
      env: { ...process.env, NO_COLOR: "1", LEAKGATE_TEST_REDACT_PAUSE_MS: "4000" },
    });
    let stderr = "";
    let stdout = "";
    const paused = new Promise<void>((resolvePaused) => {
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes("test pause before writing")) resolvePaused();
      });
    });
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    await paused;
    // The agent appends to its session meanwhile.
    appendFileSync(file, appended);
    const code = await exited;
    expect(code).toBe(2);
    expect(stderr).toContain("changed while it was being redacted; left as it was");
    expect(stdout).toBe("");
    expect(readFileSync(file, "utf8")).toBe(before + appended);
    expect(existsSync(`${file}.leakgate-bak`)).toBe(false);
    expect(findingsOf(leakgate(["scan", CLAUDE, "-f", "json"], { cwd: home }).stdout).length).toBeGreaterThan(0);
  });
});
