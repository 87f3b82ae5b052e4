import { describe, expect, it } from "vitest";
import { loadBuiltinRules } from "../../src/config/builtin-rules.js";
import { Detector } from "../../src/engine/detector.js";
import { analyzeDotenv } from "../../src/sources/dotenv/analyze.js";
import { isDotenvPath, isExampleDotenv, parseDotenv } from "../../src/sources/dotenv/parse.js";
import { githubToken } from "../helpers/tokens.js";

/** key → [value, raw text its map points at, quote]. */
function parsed(text: string): Record<string, [string, string, string]> {
  const out: Record<string, [string, string, string]> = {};
  for (const e of parseDotenv(text)) out[e.key] = [e.value, text.slice(e.map[0], e.map[e.value.length]), e.quote];
  return out;
}

describe("parseDotenv", () => {
  it("reads plain, exported, quoted and commented assignments", () => {
    const text = [
      "# comment",
      "",
      "PLAIN=value",
      "SPACED = spaced value  ",
      "export EXPORTED=yes",
      "  export   INDENTED='single # not a comment'",
      'DOUBLE="double"   # trailing comment',
      "BACKTICK=`tick`",
      "INLINE=abc #comment",
      "HASH=abc#def",
      "EMPTY=",
      "COLON: yaml style",
      "dotted.key-name=ok",
      "not an assignment",
      "=novalue",
      "",
    ].join("\n");
    expect(parsed(text)).toEqual({
      PLAIN: ["value", "value", ""],
      SPACED: ["spaced value", "spaced value", ""],
      EXPORTED: ["yes", "yes", ""],
      INDENTED: ["single # not a comment", "single # not a comment", "'"],
      DOUBLE: ["double", "double", '"'],
      BACKTICK: ["tick", "tick", "`"],
      INLINE: ["abc", "abc", ""],
      HASH: ["abc#def", "abc#def", ""],
      EMPTY: ["", "", ""],
      COLON: ["yaml style", "yaml style", ""],
      "dotted.key-name": ["ok", "ok", ""],
    });
    expect(parseDotenv(text).find((e) => e.key === "EXPORTED")?.exported).toBe(true);
  });

  it("expands escapes in double quotes only, keeping a map to the raw characters", () => {
    const text = 'D="a\\nb\\t\\"c\\\\d\\x"\nS=\'a\\nb\'\n';
    const entries = parseDotenv(text);
    expect(entries.map((e) => e.value)).toEqual(['a\nb\t"c\\d\\x', "a\\nb"]);
    const d = entries[0]!;
    // `b` sits after the two raw characters of `\n`.
    expect(text[d.map[d.value.indexOf("b")]!]).toBe("b");
    expect(d.map[d.value.length]).toBe(text.indexOf("\n") - 1); // the closing quote
  });

  it("reads quoted values over several lines, and an unclosed quote as a plain value", () => {
    const text = 'CERT="-----BEGIN-----\nMIIB\n-----END-----"\nNEXT=1\nOPEN="unclosed\nLAST=2\n';
    expect(parsed(text)).toEqual({
      CERT: ["-----BEGIN-----\nMIIB\n-----END-----", "-----BEGIN-----\nMIIB\n-----END-----", '"'],
      NEXT: ["1", "1", ""],
      OPEN: ['"unclosed', '"unclosed', ""],
      LAST: ["2", "2", ""],
    });
  });

  it("handles CRLF line ends", () => {
    expect(parsed("A=1\r\nB='2'\r\n# c\r\nC=3")).toEqual({ A: ["1", "1", ""], B: ["2", "2", "'"], C: ["3", "3", ""] });
  });

  it("knows which files are env files and which are examples", () => {
    for (const p of [".env", "app/.env.local", ".env.production", "deploy/prod.env", "tracked.env", ".env.example"])
      expect(isDotenvPath(p), p).toBe(true);
    for (const p of [".envrc", ".env.js", "src/.env.ts", ".env.json", "env", "environment.yaml", ".env.vault", "x.env.bak"])
      expect(isDotenvPath(p), p).toBe(false);
    for (const p of [".env.example", ".env.sample", ".env.template", ".env.dist", "example.env", ".env.local.example", ".env-sample"])
      expect(isExampleDotenv(p), p).toBe(true);
    for (const p of [".env", ".env.production", "distro.env"]) expect(isExampleDotenv(p), p).toBe(false);
  });
});

describe("analyzeDotenv (in memory)", () => {
  const detector = new Detector(loadBuiltinRules(), { validate: false });
  const analyze = (path: string, text: string) => analyzeDotenv(detector, Buffer.from(text), { path });

  it("reports sensitive literals by key, provider tokens by rule, and nothing for references", () => {
    const token = githubToken();
    const text = `A=1\nAPI_KEY_PROD=Zk4sTq9vLm2xRw7p\nREF_TOKEN=\${OTHER}\nGH=${token}\nNAME=Hx4Lm9QzTq9vLm2xRw\n`;
    const findings = analyze(".env", text);
    expect(findings.map((f) => [f.ruleId, f.startLine, f.startColumn, f.logicalLocation?.fullyQualifiedName])).toEqual([
      ["dotenv-sensitive-value", 2, 14, ".env > API_KEY_PROD"],
      ["github-pat-classic", 4, 4, ".env > GH"],
    ]);
  });

  it("places a finding after escapes and line breaks of a double-quoted value", () => {
    const token = githubToken();
    const text = `MULTI="first line\nsecond \\"quoted\\" \\n ${token}"\n`;
    const [f] = analyze(".env", text);
    // `second \"quoted\" \n ` is 21 raw characters.
    expect(f).toMatchObject({ ruleId: "github-pat-classic", startLine: 2, startColumn: 22, endColumn: 22 + token.length, secret: token });
  });

  it("keeps example files to real-looking values", () => {
    const token = githubToken();
    const text = `DB_PASSWORD=changeme\nSECRET_KEY=1234567890abcdef1234\nAPI_TOKEN=Zk4sTq9vLm2xRw7p\nREAL_SECRET=k8Jh3Lm9Qz2Wx7Vb4Nc6Rt1\nGITHUB_TOKEN=${token}\n`;
    expect(analyze(".env.example", text).map((f) => [f.ruleId, f.logicalLocation?.key])).toEqual([
      ["dotenv-sensitive-value", "REAL_SECRET"],
      ["github-pat-classic", "GITHUB_TOKEN"],
    ]);
    // The same lines in a real .env file are all reported.
    expect(analyze(".env", text).map((f) => f.logicalLocation?.key)).toEqual(["SECRET_KEY", "API_TOKEN", "REAL_SECRET", "GITHUB_TOKEN"]);
  });
});
