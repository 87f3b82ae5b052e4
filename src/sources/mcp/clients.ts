/**
 * What leakgate knows about each MCP client: where its configs live, how to recognise one, and the
 * safe way to give that client a credential (shown with each finding). Sources: the `B. MCP client
 * configuration` table of shared/agent-formats/NOTES.md.
 */
import type { ConfigFormat } from "./tree.js";

export type ClientId =
  | "claude-desktop"
  | "claude-code"
  | "cursor"
  | "vscode"
  | "copilot"
  | "windsurf"
  | "codex"
  | "gemini-cli"
  | "zed"
  | "continue"
  | "cline"
  | "roo"
  | "goose"
  | "amazon-q"
  | "junie"
  | "mcp";

/** Path patterns (forward slashes, matched against `/` + the path) → client, most specific first. */
const PATH_CLIENTS: [RegExp, ClientId][] = [
  [/\/claude_desktop_config\.json$/i, "claude-desktop"],
  [/\/\.claude\.json(?:\.backup[^/]*)?$/, "claude-code"],
  [/\/\.claude\/backups\/\.claude\.json[^/]*$/, "claude-code"],
  [/\/\.mcp\.json$/, "claude-code"],
  [/\/\.claude-plugin\/plugin\.json$/, "claude-code"],
  [/\/\.cursor\/mcp\.json$/, "cursor"],
  [/\/\.vscode\/(?:mcp|settings)\.json$/, "vscode"],
  [/\/(?:Code|Code - Insiders|Code - OSS|VSCodium)\/User\/(?:profiles\/[^/]+\/)?(?:mcp|settings)\.json$/, "vscode"],
  [/\/saoudrizwan\.claude-dev\/settings\/cline_mcp_settings\.json$|\/cline_mcp_settings\.json$/, "cline"],
  [/\/rooveterinaryinc\.roo-cline\/settings\/mcp_settings\.json$|\/\.roo\/mcp\.json$|\/mcp_settings\.json$/, "roo"],
  [/\/\.copilot\/mcp-config\.json$|\/github-copilot\/intellij\/mcp\.json$/, "copilot"],
  [/\/\.codeium\/(?:windsurf\/)?mcp_config\.json$|\/mcp_config\.json$/, "windsurf"],
  [/\/\.codex\/[^/]*\.toml$/, "codex"],
  [/\/\.gemini\/settings\.json$|\/gemini-extension\.json$|\/gemini-cli\/(?:settings|system-defaults)\.json$/, "gemini-cli"],
  [/\/\.?zed\/settings\.json$/i, "zed"],
  [/\/\.continue\/(?:config\.(?:ya?ml|json)|mcpServers\/[^/]+\.(?:ya?ml|json))$/, "continue"],
  [/\/goose\/(?:config\/)?config\.ya?ml$/, "goose"],
  [/\/(?:\.aws\/amazonq|\.amazonq)\/(?:mcp\.json|(?:cli-)?agents\/[^/]+\.json)$/, "amazon-q"],
  [/\/\.junie\/mcp\/mcp\.json$/, "junie"],
  [/\/mcp\.json$/, "mcp"],
];

export const CLIENT_LABELS: Record<ClientId, string> = {
  "claude-desktop": "Claude Desktop",
  "claude-code": "Claude Code",
  cursor: "Cursor",
  vscode: "VS Code",
  copilot: "GitHub Copilot",
  windsurf: "Windsurf",
  codex: "Codex",
  "gemini-cli": "Gemini CLI",
  zed: "Zed",
  continue: "Continue",
  cline: "Cline",
  roo: "Roo Code",
  goose: "goose",
  "amazon-q": "Amazon Q",
  junie: "Junie",
  mcp: "MCP client",
};

/** The client a config path belongs to, from its name and folders alone. */
export function clientForPath(path: string): ClientId | undefined {
  const p = `/${path.replace(/\\/g, "/")}`;
  return PATH_CLIENTS.find(([re]) => re.test(p))?.[1];
}

export function formatForPath(path: string): ConfigFormat {
  if (/\.toml$/i.test(path)) return "toml";
  if (/\.ya?ml$/i.test(path)) return "yaml";
  return "json";
}

const SNIFF_JSON = /"(?:mcpServers|context_servers|mcp_servers)"\s*:/;
const SNIFF_YAML = /^[ \t-]*mcpServers[ \t]*:/m;
const SNIFF_TOML = /^[ \t]*\[[ \t]*mcp_servers[ \t]*\.|^[ \t]*mcp_servers[ \t]*[.=]/m;

/** A config of unknown name that holds MCP servers, judged from its first bytes. */
export function sniffClient(path: string, head: string): ClientId | undefined {
  if (/\.toml$/i.test(path)) return SNIFF_TOML.test(head) ? "codex" : undefined;
  if (/\.ya?ml$/i.test(path)) return SNIFF_YAML.test(head) ? "mcp" : undefined;
  if (/\.json[c5]?$/i.test(path)) return SNIFF_JSON.test(head) ? "mcp" : undefined;
  return undefined;
}

// ------------------------------------------------------------------------------- discovery globs

/** Project-level configs, as globs relative to each scanned directory. */
export const PROJECT_GLOBS = [
  "**/.mcp.json",
  "**/mcp.json",
  "**/.vscode/settings.json",
  "**/.gemini/settings.json",
  "**/gemini-extension.json",
  "**/.zed/settings.json",
  "**/.config/zed/settings.json",
  "**/.continue/config.{yaml,yml,json}",
  "**/.continue/mcpServers/*.{yaml,yml,json}",
  "**/.amazonq/{cli-agents,agents}/*.json",
  "**/.codex/*.toml",
  "**/claude_desktop_config.json",
  "**/cline_mcp_settings.json",
  "**/mcp_settings.json",
  "**/mcp_config.json",
  "**/.claude.json",
  "**/.copilot/mcp-config.json",
  "**/.claude-plugin/plugin.json",
  "**/.config/goose/config.yaml",
];

const VSCODE_HOSTS = ["Code", "Code - Insiders", "VSCodium", "Cursor", "Windsurf"];
const APP_DIRS = ["Library/Application Support", ".config", "AppData/Roaming"];

/** User-level configs, as globs relative to the home directory. */
export const USER_GLOBS = [
  ...APP_DIRS.map((d) => `${d}/Claude/claude_desktop_config.json`),
  ".claude.json",
  ".claude/backups/.claude.json*",
  "Library/Developer/Xcode/CodingAssistant/ClaudeAgentConfig/.claude.json",
  ".cursor/mcp.json",
  ...APP_DIRS.flatMap((d) =>
    VSCODE_HOSTS.flatMap((host) => [
      ...(host === "Cursor" || host === "Windsurf" ? [] : [`${d}/${host}/User/mcp.json`, `${d}/${host}/User/settings.json`]),
      `${d}/${host}/User/profiles/*/mcp.json`,
      `${d}/${host}/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json`,
      `${d}/${host}/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json`,
    ]),
  ),
  ".cline/data/settings/cline_mcp_settings.json",
  ".copilot/mcp-config.json",
  "AppData/Local/github-copilot/intellij/mcp.json",
  ".config/github-copilot/intellij/mcp.json",
  ".codeium/windsurf/mcp_config.json",
  ".codeium/mcp_config.json",
  ".codex/*.toml",
  ".gemini/settings.json",
  ".gemini/extensions/*/gemini-extension.json",
  ".config/zed/settings.json",
  "AppData/Roaming/Zed/settings.json",
  ".continue/config.{yaml,yml,json}",
  ".continue/mcpServers/*.{yaml,yml,json}",
  ".config/goose/config.yaml",
  "AppData/Roaming/Block/goose/config/config.yaml",
  ".aws/amazonq/mcp.json",
  ".aws/amazonq/{cli-agents,agents}/*.json",
  ".junie/mcp/mcp.json",
];

// ----------------------------------------------------------------------------------- safe forms

/** Where in a server the value sits, for the client-specific advice. */
export type FieldKind = "env" | "header" | "arg" | "url" | "oauth" | "setting";

/** `clientSecret` → `CLIENT_SECRET`, `X-API-Key` → `X_API_KEY`. */
export function envNameOf(name: string): string {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toUpperCase();
  return /^[A-Z_]/.test(snake) ? snake : `MCP_${snake || "TOKEN"}`;
}

const ROTATE = "then rotate the exposed value";

/**
 * One line: how this client takes the credential without a literal in the file. `variable` is the
 * suggested environment variable name, `header` the header name when the value is one.
 */
export function remediationFor(client: ClientId, kind: FieldKind, variable: string, header?: string): string {
  const where =
    kind === "url"
      ? "Take the key out of the URL (URLs end up in logs and history); "
      : kind === "arg"
        ? "Pass it through the server's environment instead of its arguments; "
        : "";
  const tail = (advice: string) => `${where}${advice}; ${ROTATE}.`;
  const id = variable.toLowerCase().replace(/_/g, "-");
  switch (client) {
    case "claude-code":
      if (kind === "header")
        return tail(`use "Bearer \${${variable}}" (Claude Code expands \${VAR} in headers) or a headersHelper command`);
      if (kind === "oauth") return tail("remove it and give it to `claude mcp add --client-secret` (kept in the keychain)");
      return tail(
        `use "\${${variable}}" (Claude Code expands \${VAR} and \${VAR:-default} in command, args, env, url and headers) and set ${variable} outside the repository`,
      );
    case "cursor":
    case "windsurf":
      return tail(`use "\${env:${variable}}" (${CLIENT_LABELS[client]} expands it from the environment)`);
    case "vscode":
      return tail(
        `declare an input {"type": "promptString", "id": "${id}", "password": true} under "inputs" and use "\${input:${id}}" (or "\${env:${variable}}", or an envFile kept out of the repository)`,
      );
    case "codex":
      if (kind === "header" && /^authorization$/i.test(header ?? ""))
        return tail(`replace the header with bearer_token_env_var = "${variable}" and export ${variable}`);
      if (kind === "header")
        return tail(`move it to env_http_headers = { "${header ?? "Header"}" = "${variable}" } and export ${variable}`);
      return tail(`remove the literal and forward the variable with env_vars = ["${variable}"] (export ${variable} in your shell)`);
    case "gemini-cli":
      return tail(
        `use "$${variable}" or "\${${variable}}" (Gemini CLI expands environment variables in settings) and keep ${variable} outside the repository`,
      );
    case "continue":
      return tail(`use "\${{ secrets.${variable} }}" (Continue secrets) instead of the literal`);
    case "goose":
      return tail(`list ${variable} under env_keys (goose keeps the value in the OS keyring) instead of envs`);
    case "claude-desktop":
    case "zed":
      return tail(
        `${CLIENT_LABELS[client]} does not expand variables here: start the server through a wrapper that reads ${variable} from the OS keychain or a secret manager`,
      );
    case "cline":
    case "roo":
    case "amazon-q":
    case "junie":
    case "copilot":
      return tail(
        `${CLIENT_LABELS[client]} documents no variable reference for this field: keep the value out of shared or synced copies of the file, restrict its permissions, or use a server that reads ${variable} from its environment`,
      );
    default:
      return tail(`use your client's environment reference ("\${${variable}}" or "\${env:${variable}}") instead of the literal`);
  }
}
