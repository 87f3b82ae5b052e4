/**
 * Finds MCP client configs: project-level ones under the given directories (ignored files included:
 * `.cursor/mcp.json` and friends are usually git-ignored, which is exactly why they hold literals),
 * user-level ones under the home directory, and config files named on the command line.
 */
import { closeSync, openSync, readSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import { displayPath, isScanDirectory } from "../enumerate.js";
import { type ClientId, clientForPath, PROJECT_GLOBS, sniffClient, USER_GLOBS } from "./clients.js";

export interface DiscoveredConfig {
  abs: string;
  /** As reported: relative to the working directory when under it. */
  rel: string;
  client: ClientId;
  scope: "project" | "user";
}

const SERVER_KEY = /"(?:mcpServers|servers|context_servers|mcp_servers)"\s*:/;
const IGNORED_DIRS = ["**/node_modules/**", "**/.git/**", "**/.hg/**", "**/.svn/**", "**/.venv/**", "**/venv/**", "**/__pycache__/**"];

function head(path: string): string {
  try {
    const fd = openSync(path, "r");
    try {
      const buf = Buffer.alloc(64 * 1024);
      const n = readSync(fd, buf, 0, buf.length, 0);
      return buf.toString("utf8", 0, n);
    } finally {
      closeSync(fd);
    }
  } catch {
    return "";
  }
}

async function glob(patterns: string[], cwd: string, followSymbolicLinks: boolean): Promise<string[]> {
  const fg = (await import("fast-glob")).default;
  return fg(patterns, { cwd, dot: true, onlyFiles: true, absolute: true, followSymbolicLinks, suppressErrors: true, ignore: IGNORED_DIRS });
}

/**
 * Configs under `paths` (directories are searched, files are taken as configs) and, when `home` is
 * given, the user-level configs of every known client under it. Each file once, in a stable order.
 */
export async function discoverMcpConfigs(paths: readonly string[], cwd: string, home: string | undefined): Promise<DiscoveredConfig[]> {
  const found = new Map<string, DiscoveredConfig>();
  const add = (abs: string, scope: DiscoveredConfig["scope"], explicit: boolean) => {
    let real = abs;
    try {
      real = realpathSync(abs);
    } catch {
      // Reported when read.
    }
    if (found.has(real)) return;
    let client = clientForPath(abs);
    // A bare `mcp.json` outside a known folder counts only when it holds servers.
    if (client === "mcp" && !explicit && !SERVER_KEY.test(head(abs))) return;
    client ??= sniffClient(abs, head(abs)) ?? (explicit ? "mcp" : undefined);
    if (!client) return;
    found.set(real, { abs, rel: displayPath(abs, cwd), client, scope });
  };
  for (const p of paths) {
    const abs = resolve(cwd, p);
    if (!isScanDirectory(abs, p)) {
      add(abs, "project", true);
      continue;
    }
    for (const file of (await glob(PROJECT_GLOBS, abs, false)).sort()) add(file, "project", false);
  }
  if (home) for (const file of (await glob(USER_GLOBS, home, true)).sort()) add(file, "user", false);
  return [...found.values()];
}
