import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, type JsonFinding, leakgate, ROOT, reportFindings, tempDir, writeTree } from "../helpers/cli.js";
import { checkGitHubConstraints, validateSarif } from "../helpers/sarif.js";
import { githubToken } from "../helpers/tokens.js";

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error("build first: npm run build");
});

const FIX = "fixtures/mcp";
const run = (args: string[], cwd = ROOT) => leakgate(args, { cwd });
const findings = reportFindings;
const row = (f: JsonFinding) => [f.path, f.ruleId, f.startLine, f.startColumn, f.endColumn, f.logicalLocation?.fullyQualifiedName];

/** Every finding points at its secret: the file holds it at exactly that line and columns. */
function expectPhysical(list: JsonFinding[], cwd = ROOT): void {
  for (const f of list) {
    const line = readFileSync(join(cwd, f.path), "utf8").split("\n")[f.startLine - 1] ?? "";
    expect(f.endLine, f.path).toBe(f.startLine);
    expect(line.slice(f.startColumn - 1, f.endColumn - 1), `${f.path}:${f.startLine}`).toBe(f.secret);
  }
}

/** Per client: the fixture directory and the findings it must give, in report order. */
const CLIENTS: Record<string, (string | number | undefined)[][]> = {
  "claude-code": [
    [`${FIX}/claude-code/.mcp.json`, "mcp-literal-credential", 14, 47, 67, "claude-code > .mcp.json > mcpServers.linear > args[2]"],
    [
      `${FIX}/claude-code/.mcp.json`,
      "mcp-literal-credential",
      24,
      24,
      36,
      "claude-code > .mcp.json > mcpServers.postgres > env.PGPASSWORD",
    ],
    [
      `${FIX}/claude-code/.mcp.json`,
      "mcp-literal-credential",
      33,
      25,
      45,
      "claude-code > .mcp.json > mcpServers.sentry > headers.X-Org-Token",
    ],
    [`${FIX}/claude-code/.mcp.json`, "mcp-literal-credential", 38, 72, 92, "claude-code > .mcp.json > mcpServers.internal-docs > url"],
  ],
  "claude-code-user": [
    [
      `${FIX}/claude-code-user/.claude.json`,
      "mcp-literal-credential",
      9,
      38,
      58,
      "claude-code > .claude.json > mcpServers.sentry > env.SENTRY_AUTH_TOKEN",
    ],
    [
      `${FIX}/claude-code-user/.claude.json`,
      "mcp-literal-credential",
      19,
      49,
      69,
      'claude-code > .claude.json > projects["/home/dev/acme-app"].mcpServers.neon > headers.Authorization',
    ],
  ],
  "claude-desktop": [
    [
      `${FIX}/claude-desktop/claude_desktop_config.json`,
      "mcp-literal-credential",
      6,
      34,
      54,
      "claude-desktop > claude_desktop_config.json > mcpServers.brave-search > env.BRAVE_API_KEY",
    ],
  ],
  cursor: [
    [
      `${FIX}/cursor/.cursor/mcp.json`,
      "mcp-literal-credential",
      11,
      38,
      58,
      "cursor > mcp.json > mcpServers.firecrawl > env.FIRECRAWL_API_KEY",
    ],
  ],
  vscode: [
    [`${FIX}/vscode/.vscode/mcp.json`, "mcp-literal-credential", 25, 34, 54, "vscode > mcp.json > servers.acme > headers.Authorization"],
    [
      `${FIX}/vscode/.vscode/settings.json`,
      "mcp-literal-credential",
      9,
      44,
      64,
      "vscode > settings.json > mcp.servers.memory > env.MEMORY_ENCRYPTION_KEY",
    ],
  ],
  windsurf: [
    [
      `${FIX}/windsurf/.codeium/windsurf/mcp_config.json`,
      "mcp-url-path-key",
      4,
      52,
      76,
      "windsurf > mcp_config.json > mcpServers.zapier > serverUrl",
    ],
  ],
  codex: [
    [`${FIX}/codex/.codex/config.toml`, "generic-credential-assignment", 8, 30, 50, undefined],
    [`${FIX}/codex/.codex/config.toml`, "mcp-literal-credential", 17, 54, 74, "codex > config.toml > mcp_servers.context7 > args[3]"],
    [
      `${FIX}/codex/.codex/config.toml`,
      "mcp-literal-credential",
      21,
      37,
      57,
      "codex > config.toml > mcp_servers.figma > http_headers.X-Figma-Token",
    ],
    [
      `${FIX}/codex/.codex/config.toml`,
      "mcp-literal-credential",
      31,
      30,
      50,
      "codex > config.toml > mcp_servers.notion > env.OPENAPI_MCP_HEADERS_TOKEN",
    ],
  ],
  "gemini-cli": [
    [
      `${FIX}/gemini-cli/.gemini/settings.json`,
      "mcp-literal-credential",
      13,
      26,
      46,
      "gemini-cli > settings.json > mcpServers.drive > oauth.clientSecret",
    ],
  ],
  zed: [
    [
      `${FIX}/zed/.zed/settings.json`,
      "mcp-literal-credential",
      8,
      42,
      62,
      "zed > settings.json > context_servers.mcp-server-github > settings.github_personal_access_token",
    ],
    [`${FIX}/zed/.zed/settings.json`, "database-postgres-url", 14, 81, 93, "zed > settings.json > context_servers.postgres > args[2]"],
  ],
  continue: [
    [
      `${FIX}/continue/.continue/mcpServers/search.yaml`,
      "mcp-literal-credential",
      14,
      54,
      74,
      "continue > search.yaml > mcpServers[1] > args[3]",
    ],
  ],
  cline: [
    [
      `${FIX}/cline/cline_mcp_settings.json`,
      "mcp-literal-credential",
      8,
      34,
      54,
      "cline > cline_mcp_settings.json > mcpServers.slack > env.SLACK_SIGNING_SECRET",
    ],
  ],
  roo: [[`${FIX}/roo/.roo/mcp.json`, "mcp-literal-credential", 5, 81, 101, "roo > mcp.json > mcpServers.supabase > args[3]"]],
  goose: [
    [
      `${FIX}/goose/.config/goose/config.yaml`,
      "mcp-literal-credential",
      12,
      23,
      43,
      "goose > config.yaml > extensions.tavily > envs.TAVILY_API_KEY",
    ],
  ],
  "amazon-q": [
    [
      `${FIX}/amazon-q/.amazonq/mcp.json`,
      "mcp-literal-credential",
      6,
      35,
      55,
      "amazon-q > mcp.json > mcpServers.jira > env.JIRA_API_TOKEN",
    ],
  ],
};

describe("leakgate mcp: fixtures of every client (built CLI)", () => {
  for (const [client, expected] of Object.entries(CLIENTS)) {
    it(`${client}: exact lines, columns and logical locations; scan agrees`, () => {
      const r = run(["mcp", `${FIX}/${client}`, "--no-user", "-f", "json", "--no-redact"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      const list = findings(r.stdout);
      expect(list.map(row)).toEqual(expected);
      expectPhysical(list);
      const scanned = run(["scan", `${FIX}/${client}`, "-f", "json", "--no-redact"]);
      expect(scanned.code).toBe(1);
      expect(findings(scanned.stdout).map(row)).toEqual(expected);
      expect(findings(scanned.stdout).map((f) => f.fingerprint)).toEqual(list.map((f) => f.fingerprint));
    });
  }

  it("reports references, placeholders and non-secret values as clean", () => {
    for (const dir of ["clean", "samples"]) {
      const r = run(["mcp", `${FIX}/${dir}`, "--no-user", "-v"]);
      expect(r.code, dir).toBe(0);
      expect(r.stdout).toMatch(/No secrets found/);
      expect(run(["scan", `${FIX}/${dir}`]).code, `scan ${dir}`).toBe(0);
    }
    const inventory = run(["mcp", `${FIX}/clean`, "--no-user", "-v"])
      .stderr.trim()
      .split("\n");
    // One line per config, sorted by path.
    expect(inventory).toEqual([
      `leakgate: mcp: codex project ${FIX}/clean/.codex/config.toml (2 servers)`,
      `leakgate: mcp: goose project ${FIX}/clean/.config/goose/config.yaml (1 server)`,
      `leakgate: mcp: continue project ${FIX}/clean/.continue/mcpServers/linear.yaml (1 server)`,
      `leakgate: mcp: cursor project ${FIX}/clean/.cursor/mcp.json (1 server)`,
      `leakgate: mcp: gemini-cli project ${FIX}/clean/.gemini/settings.json (2 servers)`,
      `leakgate: mcp: claude-code project ${FIX}/clean/.mcp.json (3 servers)`,
      `leakgate: mcp: vscode project ${FIX}/clean/.vscode/mcp.json (2 servers)`,
    ]);
  });

  it("shows each client's safe form in the text report, never the secret", () => {
    // Directory arguments: the repository's own .leakgate.yaml (which allowlists fixtures/) does not apply.
    const vscode = run(["mcp", `${FIX}/vscode`, "--no-user"]);
    expect(vscode.stdout).toContain(`${FIX}/vscode/.vscode/mcp.json:25:34`);
    expect(vscode.stdout).toContain("location: vscode > mcp.json > servers.acme > headers.Authorization");
    expect(vscode.stdout).toMatch(/fix: +declare an input \{"type": "promptString", "id": "acme-token", "password": true\}/);
    expect(vscode.stdout).toContain('"${input:acme-token}"');
    expect(vscode.stdout).not.toContain("Gd6pWn3xKs9rTm2vLq8z");
    const codex = run(["mcp", `${FIX}/codex`, "--no-user"]);
    expect(codex.stdout).toContain('env_http_headers = { "X-Figma-Token" = "X_FIGMA_TOKEN" }');
    expect(codex.stdout).toContain('forward the variable with env_vars = ["OPENAPI_MCP_HEADERS_TOKEN"]');
    const claude = run(["mcp", `${FIX}/claude-code`, "--no-user"]);
    expect(claude.stdout).toContain('use "${PGPASSWORD}" (Claude Code expands ${VAR}');
    expect(run(["mcp", `${FIX}/cursor`, "--no-user"]).stdout).toContain('use "${env:FIRECRAWL_API_KEY}"');
  });

  it("names the Codex bearer_token_env_var form for a literal Authorization header", () => {
    const dir = tempDir();
    writeTree(dir, {
      ".codex/config.toml":
        '[mcp_servers.gh]\nurl = "https://x.example/mcp"\nhttp_headers = { Authorization = "Bearer q8Zt3Lw9Vx2Km7Np4Rs6" }\n',
    });
    const [f] = findings(leakgate(["mcp", ".", "--no-user", "-f", "json"], { cwd: dir }).stdout);
    expect(f?.logicalLocation?.remediation).toContain('replace the header with bearer_token_env_var = "GH_TOKEN"');
    expect(f).toMatchObject({ startLine: 3, startColumn: 42 });
  });

  it("writes valid SARIF with the logical location of each finding", () => {
    const r = run(["mcp", `${FIX}/claude-code`, "--no-user", "-f", "sarif"]);
    expect(r.code).toBe(1);
    const sarif = validateSarif(JSON.parse(r.stdout));
    checkGitHubConstraints(sarif);
    const results = sarif.runs[0]?.results ?? [];
    expect(results).toHaveLength(4);
    const logical = results[1]?.locations?.[0]?.logicalLocations?.[0];
    expect(logical).toMatchObject({
      fullyQualifiedName: "claude-code > .mcp.json > mcpServers.postgres > env.PGPASSWORD",
      kind: "property",
      properties: { client: "claude-code", server: "postgres", field: "env.PGPASSWORD" },
    });
    const rules = sarif.runs[0]?.tool.driver.rules ?? [];
    expect(rules.map((rule) => rule.id)).toContain("mcp-literal-credential");
    expect(r.stdout).not.toContain("Wm3kRt8pZq5x");
  });

  it("reports a provider token in a server's env under its provider rule, with the server field", () => {
    const dir = tempDir();
    const token = githubToken();
    writeTree(dir, {
      ".mcp.json": `{\n  "mcpServers": {\n    "github": {\n      "command": "docker",\n      "args": ["run", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN=${token}", "ghcr.io/github/github-mcp-server"],\n      "env": { "GITHUB_TOKEN": "${token}" }\n    }\n  }\n}\n`,
    });
    for (const command of ["mcp", "scan"]) {
      const r = leakgate([command, ".", ...(command === "mcp" ? ["--no-user"] : []), "-f", "json", "--no-redact"], { cwd: dir });
      expect(r.code, command).toBe(1);
      const list = findings(r.stdout);
      expect(list.map(row), command).toEqual([
        [".mcp.json", "github-pat-classic", 5, 59, 99, "claude-code > .mcp.json > mcpServers.github > args[2]"],
        [".mcp.json", "github-pat-classic", 6, 33, 73, "claude-code > .mcp.json > mcpServers.github > env.GITHUB_TOKEN"],
      ]);
      expectPhysical(list, dir);
    }
    expect(leakgate(["mcp", ".", "--no-user"], { cwd: dir }).stdout).not.toContain(token);
  });

  it("finds user-level configs under --home, and skips them with --no-user", () => {
    const home = tempDir("leakgate-home-");
    const project = tempDir("leakgate-project-");
    const fixture = (p: string) => readFileSync(join(ROOT, FIX, p), "utf8");
    writeTree(home, {
      ".claude.json": fixture("claude-code-user/.claude.json"),
      ".cursor/mcp.json": fixture("cursor/.cursor/mcp.json"),
      ".codex/config.toml": fixture("codex/.codex/config.toml"),
      ".codeium/windsurf/mcp_config.json": fixture("windsurf/.codeium/windsurf/mcp_config.json"),
      "Library/Application Support/Claude/claude_desktop_config.json": fixture("claude-desktop/claude_desktop_config.json"),
      ".config/Code/User/mcp.json": fixture("vscode/.vscode/mcp.json"),
      ".config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json": fixture("cline/cline_mcp_settings.json"),
      ".gemini/settings.json": fixture("gemini-cli/.gemini/settings.json"),
      ".config/zed/settings.json": fixture("zed/.zed/settings.json"),
      ".continue/mcpServers/search.yaml": fixture("continue/.continue/mcpServers/search.yaml"),
      ".config/goose/config.yaml": fixture("goose/.config/goose/config.yaml"),
      ".aws/amazonq/mcp.json": fixture("amazon-q/.amazonq/mcp.json"),
      "unrelated/settings.json": '{ "password": "not scanned by mcp" }',
    });
    writeTree(project, { "README.md": "# app\n" });
    const r = leakgate(["mcp", "--home", home, "-f", "json", "-v"], { cwd: project });
    expect(r.code).toBe(1);
    const inventory = r.stderr.trim().split("\n");
    const shown = (p: string) => join(home, p);
    expect(inventory).toEqual([
      `leakgate: mcp: amazon-q user ${shown(".aws/amazonq/mcp.json")} (1 server)`,
      `leakgate: mcp: claude-code user ${shown(".claude.json")} (3 servers)`,
      `leakgate: mcp: windsurf user ${shown(".codeium/windsurf/mcp_config.json")} (2 servers)`,
      `leakgate: mcp: codex user ${shown(".codex/config.toml")} (4 servers)`,
      `leakgate: mcp: cline user ${shown(".config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json")} (1 server)`,
      `leakgate: mcp: vscode user ${shown(".config/Code/User/mcp.json")} (2 servers)`,
      `leakgate: mcp: goose user ${shown(".config/goose/config.yaml")} (3 servers)`,
      `leakgate: mcp: zed user ${shown(".config/zed/settings.json")} (2 servers)`,
      `leakgate: mcp: continue user ${shown(".continue/mcpServers/search.yaml")} (2 servers)`,
      `leakgate: mcp: cursor user ${shown(".cursor/mcp.json")} (3 servers)`,
      `leakgate: mcp: gemini-cli user ${shown(".gemini/settings.json")} (2 servers)`,
      `leakgate: mcp: claude-desktop user ${shown("Library/Application Support/Claude/claude_desktop_config.json")} (2 servers)`,
    ]);
    const list = findings(r.stdout);
    expect(list).toHaveLength(17);
    expect(list.every((f) => f.path.startsWith(home))).toBe(true);
    expect(list.find((f) => f.path.endsWith(".claude.json") && f.startLine === 19)?.logicalLocation?.fullyQualifiedName).toBe(
      'claude-code > .claude.json > projects["/home/dev/acme-app"].mcpServers.neon > headers.Authorization',
    );
    const none = leakgate(["mcp", "--home", home, "--no-user", "-v"], { cwd: project });
    expect(none.code).toBe(0);
    expect(none.stderr).toContain("no MCP client configs found");
  });

  it("warns on one line about a malformed config, still scans it as text, and exits by its findings", () => {
    const bad = run(["mcp", `${FIX}/malformed`, "--no-user", "-f", "json"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `leakgate: warning: ${FIX}/malformed/.cursor/mcp.json: invalid JSON at line 8, column 1: CloseBraceExpected; scanned as plain text\n`,
    );
    expect(findings(bad.stdout).map(row)).toEqual([
      [`${FIX}/malformed/.cursor/mcp.json`, "generic-credential-assignment", 5, 33, 53, undefined],
    ]);
    const clean = run(["mcp", `${FIX}/malformed-clean`, "--no-user"]);
    expect(clean.code).toBe(0);
    const lines = clean.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^leakgate: warning: fixtures\/mcp\/malformed-clean\/\.codex\/config\.toml: invalid TOML at line 2, column \d+: .+; scanned as plain text$/,
    );
    expect(lines[1]).toMatch(
      /^leakgate: warning: fixtures\/mcp\/malformed-clean\/\.continue\/config\.yaml: invalid YAML at line \d+, column \d+: .+; scanned as plain text$/,
    );
    // `scan` falls back to the plain scan silently.
    expect(run(["scan", `${FIX}/malformed`]).code).toBe(1);
    expect(run(["scan", `${FIX}/malformed-clean`]).code).toBe(0);
  });

  it("takes config files named on the command line, whatever their name", () => {
    const dir = tempDir();
    writeTree(dir, {
      "agent-config.json": '{\n  "mcpServers": { "a": { "env": { "ACME_API_KEY": "Zk4sTq9vLm2xRw7p" } } }\n}\n',
      "notes.json": '{ "servers": 1 }\n',
    });
    const r = leakgate(["mcp", "agent-config.json", "notes.json", "--no-user", "-f", "json", "-v"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("leakgate: mcp: mcp project agent-config.json (1 server)");
    expect(r.stderr).toContain("leakgate: mcp: mcp project notes.json (0 servers)");
    const list = findings(leakgate(["mcp", "agent-config.json", "--no-user", "-f", "json", "--no-redact"], { cwd: dir }).stdout);
    expect(list.map(row)).toEqual([
      ["agent-config.json", "mcp-literal-credential", 2, 52, 68, "mcp > agent-config.json > mcpServers.a > env.ACME_API_KEY"],
    ]);
    expectPhysical(list, dir);
    // `scan` recognises it by content.
    expect(findings(leakgate(["scan", ".", "-f", "json"], { cwd: dir }).stdout).map((f) => f.ruleId)).toEqual(["mcp-literal-credential"]);
  });

  it("supports --output, --exit-zero, --baseline and the ignore file", () => {
    const dir = tempDir();
    writeTree(dir, { ".cursor/mcp.json": readFileSync(join(ROOT, FIX, "cursor/.cursor/mcp.json"), "utf8") });
    const out = leakgate(["mcp", ".", "--no-user", "-f", "json", "-o", "report.json"], { cwd: dir });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("1 finding(s) in 1 file(s); json report written to report.json");
    expect(leakgate(["mcp", ".", "--no-user", "--exit-zero"], { cwd: dir }).code).toBe(0);
    expect(leakgate(["baseline", "create"], { cwd: dir }).code).toBe(0);
    expect(leakgate(["mcp", ".", "--no-user"], { cwd: dir }).code).toBe(0);
    expect(leakgate(["mcp", ".", "--no-user", "-b", "missing.json"], { cwd: dir }).code).toBe(2);
    const fingerprint = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")).findings[0].fingerprint;
    const dir2 = tempDir();
    writeTree(dir2, {
      ".cursor/mcp.json": readFileSync(join(ROOT, FIX, "cursor/.cursor/mcp.json"), "utf8"),
      ".leakgateignore": `${fingerprint}\n`,
    });
    expect(leakgate(["mcp", ".", "--no-user"], { cwd: dir2 }).code).toBe(0);
  });

  it("follows --config: a disabled MCP rule leaves only other rules' findings", () => {
    const dir = tempDir();
    writeTree(dir, {
      ".mcp.json": '{"mcpServers": {"a": {"args": ["--api-key", "Zk4sTq9vLm2xRw7p"]}}}\n',
      "c.yaml": "disabledRules: [mcp-literal-credential]\n",
    });
    expect(leakgate(["mcp", ".", "--no-user"], { cwd: dir }).code).toBe(1);
    expect(leakgate(["mcp", ".", "--no-user", "-c", "c.yaml"], { cwd: dir }).code).toBe(0);
  });

  it("fails with one line on a missing path or --home", () => {
    const dir = tempDir();
    const missing = leakgate(["mcp", "nope"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("leakgate: error: cannot scan nope: no such file or directory\n");
    const home = leakgate(["mcp", ".", "--home", "nohome"], { cwd: dir });
    expect(home.code).toBe(2);
    expect(home.stderr).toBe("leakgate: error: --home nohome: not a directory\n");
  });

  it("lists the MCP and .env rules", () => {
    const r = run(["rules", "--json"]);
    const ids = JSON.parse(r.stdout).map((rule: { id: string }) => rule.id);
    expect(ids).toEqual(expect.arrayContaining(["mcp-literal-credential", "mcp-url-path-key", "dotenv-sensitive-value"]));
  });
});
