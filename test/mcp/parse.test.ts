import { describe, expect, it } from "vitest";
import { loadBuiltinRules } from "../../src/config/builtin-rules.js";
import { Detector } from "../../src/engine/detector.js";
import { analyzeMcpConfig, formatPath } from "../../src/sources/mcp/analyze.js";
import { clientForPath, envNameOf, remediationFor, sniffClient } from "../../src/sources/mcp/clients.js";
import { isSensitiveName, literalSpan } from "../../src/sources/mcp/sensitive.js";
import { buildValueMap, TextIndex } from "../../src/sources/mcp/text.js";
import { locateToml, pathKey } from "../../src/sources/mcp/toml-locate.js";
import { type CNode, parseConfig, valueMapOf } from "../../src/sources/mcp/tree.js";
import { ruleById } from "../../src/sources/mcp/value-scan.js";
import { githubToken } from "../helpers/tokens.js";

const detector = new Detector(loadBuiltinRules(), { validate: false });
const literalRule = ruleById(detector, "mcp-literal-credential")!;

/** Every string leaf of a parsed document: path → [value, raw text the map points at]. */
function leaves(text: string, root: CNode): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {};
  const visit = (n: CNode, path: (string | number)[]) => {
    if (n.type === "string") {
      const map = valueMapOf(text, n);
      out[formatPath(path)] = [n.value, text.slice(map[0], map[n.value.length])];
    } else if (n.type === "object") for (const e of n.entries) visit(e.value, [...path, e.key]);
    else if (n.type === "array") {
      n.items.forEach((item, i) => {
        visit(item, [...path, i]);
      });
    }
  };
  visit(root, []);
  return out;
}

function parsed(text: string, format: "json" | "yaml" | "toml"): CNode {
  const r = parseConfig(text, format);
  if (!r.ok) throw new Error(r.error);
  return r.roots[0] as CNode;
}

describe("config trees and value maps", () => {
  it("JSONC: comments, trailing commas and escapes map back to the raw text", () => {
    const text = '{\n  // c\n  "a": { "b": "x\\u0041\\"y", },\n  "c": ["p\\\\q",], /* d */\n}\n';
    expect(leaves(text, parsed(text, "json"))).toEqual({
      "a.b": ['xA"y', 'x\\u0041\\"y'],
      "c[0]": ["p\\q", "p\\\\q"],
    });
  });

  it("YAML: plain, quoted and block scalars", () => {
    const text = "a: plain value\nb: 'it''s'\nc: \"tab\\tend\"\nd: |\n  line1\n  line2\ne: [x, \"y\"]\n";
    expect(leaves(text, parsed(text, "yaml"))).toEqual({
      a: ["plain value", "plain value"],
      b: ["it's", "it''s"],
      c: ["tab\tend", "tab\\tend"],
      d: ["line1\nline2\n", "line1\n  line2\n"],
      "e[0]": ["x", "x"],
      "e[1]": ["y", "y"],
    });
  });

  it("TOML: tables, dotted and quoted keys, inline tables, arrays of tables, all string kinds", () => {
    const text = [
      "top = 'lit'",
      '[mcp_servers."my.server"]',
      'args = [ "-y", # comment',
      '  \'C:\\path\', """',
      'multi"""]',
      'env = { A = "\\u0041b", "B.C" = { D = "deep" } }',
      "[[list]]",
      'name = "first"',
      "[[list]]",
      'name = "second"',
      "[list.sub]",
      'k = "v"',
      "",
    ].join("\n");
    expect(leaves(text, parsed(text, "toml"))).toEqual({
      top: ["lit", "lit"],
      'mcp_servers["my.server"].args[0]': ["-y", "-y"],
      'mcp_servers["my.server"].args[1]': ["C:\\path", "C:\\path"],
      'mcp_servers["my.server"].args[2]': ["multi", "multi"],
      'mcp_servers["my.server"].env.A': ["Ab", "\\u0041b"],
      'mcp_servers["my.server"].env["B.C"].D': ["deep", "deep"],
      "list[0].name": ["first", "first"],
      "list[1].name": ["second", "second"],
      "list[1].sub.k": ["v", "v"],
    });
    const located = locateToml(text);
    expect(located.containers.get(pathKey(["list", 1, "sub"]))).toEqual({ start: text.indexOf("[list.sub]"), end: text.length });
  });

  it("reports parse errors on one line with their position", () => {
    expect(parseConfig('{\n  "a": 1,\n  "b" 2\n}', "json")).toEqual({
      ok: false,
      error: "invalid JSON at line 3, column 7: ColonExpected",
    });
    const toml = parseConfig('a = "x\nb = 1\n', "toml");
    expect(toml.ok).toBe(false);
    expect(toml.ok ? "" : toml.error).toMatch(/^invalid TOML at line 1, column \d+: /);
    const yaml = parseConfig("a:\n  - b\n - c\n", "yaml");
    expect(yaml.ok ? "" : yaml.error).toMatch(/^invalid YAML at line \d+, column \d+: /);
    for (const r of [toml, yaml]) expect(r.ok ? "" : r.error).not.toContain("\n");
  });

  it("falls back to a greedy alignment for values the escape walk cannot reproduce", () => {
    const text = 'k: "a\n  b"';
    const map = buildValueMap(text, 4, 9, "a b", true);
    expect([map[0], map[2], map[3]]).toEqual([text.indexOf("a"), text.indexOf("b"), text.length - 1]);
  });

  it("counts columns in UTF-16 code units", () => {
    const index = new TextIndex("ab\n😀x\r\ny");
    expect(index.position(5)).toEqual({ line: 2, column: 3 });
    expect(index.offsetOf(3, 1)).toBe(8);
    expect(index.lineText(4)).toBe("😀x");
  });
});

describe("clients", () => {
  it("recognises configs by path", () => {
    const cases: [string, string | undefined][] = [
      ["Library/Application Support/Claude/claude_desktop_config.json", "claude-desktop"],
      ["/home/u/.claude.json", "claude-code"],
      ["/home/u/.claude/backups/.claude.json.backup.1700000000", "claude-code"],
      ["app/.mcp.json", "claude-code"],
      [".cursor/mcp.json", "cursor"],
      ["repo/.vscode/mcp.json", "vscode"],
      ["repo/.vscode/settings.json", "vscode"],
      [".config/Code/User/mcp.json", "vscode"],
      ["AppData/Roaming/Code - Insiders/User/profiles/abc/mcp.json", "vscode"],
      [".codeium/windsurf/mcp_config.json", "windsurf"],
      [".codex/config.toml", "codex"],
      [".gemini/settings.json", "gemini-cli"],
      [".gemini/extensions/gh/gemini-extension.json", "gemini-cli"],
      [".config/zed/settings.json", "zed"],
      [".zed/settings.json", "zed"],
      [".continue/config.yaml", "continue"],
      [".continue/mcpServers/linear.yaml", "continue"],
      [".config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json", "cline"],
      [".config/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json", "roo"],
      ["repo/.roo/mcp.json", "roo"],
      [".config/goose/config.yaml", "goose"],
      [".aws/amazonq/mcp.json", "amazon-q"],
      ["repo/.amazonq/cli-agents/default.json", "amazon-q"],
      ["tools/mcp.json", "mcp"],
      ["settings.json", undefined],
      ["src/config.toml", undefined],
      [".env", undefined],
    ];
    for (const [path, client] of cases) expect(clientForPath(path), path).toBe(client);
  });

  it("sniffs MCP servers in configs of other names", () => {
    expect(sniffClient("agent.json", '{ "mcpServers": {} }')).toBe("mcp");
    expect(sniffClient("agent.yaml", "name: x\nmcpServers:\n  - name: a\n")).toBe("mcp");
    expect(sniffClient("profile.toml", "[mcp_servers.github]\nurl = 'x'\n")).toBe("codex");
    expect(sniffClient("package.json", '{ "name": "mcpServers" }')).toBeUndefined();
    expect(sniffClient("notes.md", '"mcpServers": {}')).toBeUndefined();
  });

  it("gives the safe form of each client", () => {
    expect(envNameOf("clientSecret")).toBe("CLIENT_SECRET");
    expect(envNameOf("X-API-Key")).toBe("X_API_KEY");
    expect(remediationFor("vscode", "env", "ACME_TOKEN")).toContain('{"type": "promptString", "id": "acme-token", "password": true}');
    expect(remediationFor("vscode", "env", "ACME_TOKEN")).toContain('"${input:acme-token}"');
    expect(remediationFor("codex", "header", "ACME_TOKEN", "Authorization")).toContain('bearer_token_env_var = "ACME_TOKEN"');
    expect(remediationFor("codex", "header", "X_API_KEY", "X-Api-Key")).toContain('env_http_headers = { "X-Api-Key" = "X_API_KEY" }');
    expect(remediationFor("codex", "env", "ACME_TOKEN")).toContain('env_vars = ["ACME_TOKEN"]');
    expect(remediationFor("claude-code", "env", "ACME_TOKEN")).toContain('"${ACME_TOKEN}"');
    expect(remediationFor("cursor", "env", "ACME_TOKEN")).toContain('"${env:ACME_TOKEN}"');
    expect(remediationFor("continue", "env", "ACME_TOKEN")).toContain('"${{ secrets.ACME_TOKEN }}"');
    expect(remediationFor("goose", "env", "ACME_TOKEN")).toContain("env_keys");
    expect(remediationFor("gemini-cli", "env", "ACME_TOKEN")).toContain('"$ACME_TOKEN"');
  });
});

describe("sensitive name + literal value", () => {
  it("knows credential names and the names that only look like one", () => {
    for (const name of [
      "GITHUB_TOKEN",
      "api_key",
      "X-API-Key",
      "Authorization",
      "DB_PASSWORD",
      "PGPASS",
      "clientSecret",
      "AUTH",
      "GH_AUTH",
      "AWS_CREDENTIALS",
    ])
      expect(isSensitiveName(name, literalRule), name).toBe(true);
    for (const name of [
      "LOG_LEVEL",
      "AWS_ACCESS_KEY_ID",
      "TOKEN_URL",
      "KEY_FILE",
      "PUBLIC_KEY",
      "MAX_TOKENS",
      "PASSTHROUGH",
      "AUTHOR",
      "authProviderType",
      "bearer_token_env_var",
    ])
      expect(isSensitiveName(name, literalRule), name).toBe(false);
  });

  it("keeps literals and drops references, placeholders, URLs, paths and flags", () => {
    expect(literalSpan("Zk4sTq9vLm2xRw7p", "API_KEY", literalRule)).toEqual({ start: 0, end: 16 });
    expect(literalSpan("Bearer q8Zt3Lw9Vx2Km7Np4Rs6", "Authorization", literalRule)).toEqual({ start: 7, end: 27 });
    expect(literalSpan("Vx7Kq2Lm9P", "PGPASSWORD", literalRule)).toEqual({ start: 0, end: 10 });
    for (const value of [
      "${API_KEY}",
      "${env:API_KEY}",
      "${input:api-key}",
      "$API_KEY",
      "%API_KEY%",
      "op://Private/Acme/credential",
      "${{ secrets.API_KEY }}",
      "Bearer ${TOKEN}",
      "your-api-key-here",
      "<API_KEY>",
      "https://auth.acme.example/token",
      "/run/secrets/api_key",
      "true",
      "1234567890",
      "short1A",
      "ACME_API_KEY_VALUE",
    ])
      expect(literalSpan(value, "API_KEY", literalRule), value).toBeUndefined();
  });
});

describe("analyzeMcpConfig (in memory)", () => {
  const analyze = (path: string, text: string) => analyzeMcpConfig(detector, Buffer.from(text), { path });

  it("reports a provider token through JSON escapes at its physical column, with the server field", () => {
    const token = githubToken();
    const escaped = `${token.slice(0, 4)}\\u00${token.charCodeAt(4).toString(16)}${token.slice(5)}`;
    const text = `{"mcpServers": {"gh": {"env": {"NOTE": "é😀", "GITHUB_TOKEN": "${escaped}"}}}}`;
    const report = analyze(".cursor/mcp.json", text);
    expect(report.client).toBe("cursor");
    expect(report.servers).toBe(1);
    expect(report.findings).toHaveLength(1);
    const f = report.findings[0]!;
    const start = text.indexOf(escaped);
    expect(f).toMatchObject({
      ruleId: "github-pat-classic",
      startLine: 1,
      startColumn: start + 1,
      endColumn: start + escaped.length + 1,
      secret: token,
    });
    expect(f.logicalLocation).toMatchObject({
      fullyQualifiedName: "cursor > mcp.json > mcpServers.gh > env.GITHUB_TOKEN",
      client: "cursor",
      server: "gh",
      field: "env.GITHUB_TOKEN",
    });
    expect(String(f.logicalLocation?.remediation)).toContain("${env:GITHUB_TOKEN}");
  });

  it("judges args: --k=v, --k v, -e K=v, K=v, --header 'Name: v', and leaves plain args alone", () => {
    const args = [
      "--api-key=Zk4sTq9vLm2xRw7p",
      "--token",
      "Hx4Lm9QzTq9vLm2xRw",
      "-e",
      "ACME_SECRET=Rw7pZk4sTq9vLm2x",
      "DB_PASSWORD=Lm2xRw7pZk4s",
      "--header",
      "Authorization: Bearer q8Zt3Lw9Vx2Km7Np4Rs6",
      "--model",
      "Qz9vLm2xRw7pZk4sTq",
      "--verbose",
    ];
    const text = JSON.stringify({ mcpServers: { s: { command: "x", args } } });
    const report = analyze("x/.mcp.json", text);
    expect(report.findings.map((f) => [f.ruleId, f.logicalLocation?.field, f.secret])).toEqual([
      ["mcp-literal-credential", "args[0]", "Zk4sTq9vLm2xRw7p"],
      ["mcp-literal-credential", "args[2]", "Hx4Lm9QzTq9vLm2xRw"],
      ["mcp-literal-credential", "args[4]", "Rw7pZk4sTq9vLm2x"],
      ["mcp-literal-credential", "args[5]", "Lm2xRw7pZk4s"],
      ["mcp-literal-credential", "args[7]", "q8Zt3Lw9Vx2Km7Np4Rs6"],
    ]);
    for (const f of report.findings) expect(text.slice(f.startColumn - 1, f.endColumn - 1)).toBe(f.secret);
  });

  it("judges URLs: userinfo, sensitive query parameters, key-shaped path segments", () => {
    const url = "https://bot:Sup3rS3cr3tPw@mcp.acme.dev/mcp/k3Jh7Lm9Qz2Wx8Vb4Nc6Rt1Yp5/sse?team=core&access_token=Q8Zt3Lw9Vx2Km7Np&v=2";
    const text = JSON.stringify({ servers: { r: { type: "http", url } } }, null, 2);
    const report = analyze("a/.vscode/mcp.json", text);
    const found = report.findings.map((f) => [f.ruleId, f.secret]);
    expect(found).toContainEqual(["mcp-url-path-key", "k3Jh7Lm9Qz2Wx8Vb4Nc6Rt1Yp5"]);
    expect(found).toContainEqual(["mcp-literal-credential", "Q8Zt3Lw9Vx2Km7Np"]);
    expect(found.map(([, s]) => s)).toContain("Sup3rS3cr3tPw");
    expect(report.findings).toHaveLength(3);
    for (const f of report.findings) expect(f.logicalLocation?.field).toBe("url");
    // A link in env is not an endpoint: its path ids are not keys (its query still counts).
    const docs = JSON.stringify({
      mcpServers: { d: { env: { DOCS_URL: "https://docs.acme.example/d/1BxiMVs0XRA5nFMdKvBdBZjgmU2q/edit?auth_token=Q8Zt3Lw9Vx2Km7Np" } } },
    });
    expect(analyze(".mcp.json", docs).findings.map((f) => f.secret)).toEqual(["Q8Zt3Lw9Vx2Km7Np"]);
  });

  it("runs the plain scan over the rest of the file and dedupes what both find", () => {
    const text = [
      "# user settings",
      'model_provider = "acme"',
      "[model_providers.acme]",
      'experimental_bearer_token = "Hq3vNz8kWr5mXt2pLc7s"',
      "[mcp_servers.a]",
      'env = { "ACME_API_KEY" = "Zk4sTq9vLm2xRw7p" }',
      'bearer_token_env_var = "ACME_TOKEN_VARIABLE_2"',
      "",
    ].join("\n");
    const report = analyze("home/.codex/config.toml", text);
    expect(report.findings.map((f) => [f.ruleId, f.startLine, f.logicalLocation?.fullyQualifiedName])).toEqual([
      ["mcp-literal-credential", 6, "codex > config.toml > mcp_servers.a > env.ACME_API_KEY"],
      ["generic-credential-assignment", 4, undefined],
    ]);
  });

  it("keeps a malformed config's plain-scan findings and says why it could not parse it", () => {
    const report = analyze(".mcp.json", '{"mcpServers": {"a": {"env": {"API_KEY": "Zk4sTq9vLm2xRw7p"}}');
    expect(report.error).toMatch(/^invalid JSON at line 1, column \d+: /);
    expect(report.findings.map((f) => f.ruleId)).toEqual(["generic-credential-assignment"]);
  });

  it("honours disabledRules: without the MCP rule only plain-scan findings remain", () => {
    const rules = loadBuiltinRules().filter((r) => r.id !== "mcp-literal-credential");
    const d = new Detector(rules, { validate: false });
    const text = '{"mcpServers": {"a": {"env": {"ACME_API_KEY": "Zk4sTq9vLm2xRw7p"}, "args": ["--secret", "Hx4Lm9QzTq9vLm2xRw"]}}}';
    const report = analyzeMcpConfig(d, Buffer.from(text), { path: ".mcp.json" });
    expect(report.findings.map((f) => [f.ruleId, f.logicalLocation?.field])).toEqual([
      ["generic-credential-assignment", "env.ACME_API_KEY"],
    ]);
  });
});
