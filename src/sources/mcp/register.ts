/** `scan` analyses MCP client configs it meets (by path, or by an `mcpServers`-like key in the first bytes). */
import { registerStructuredHandler } from "../structured.js";
import { analyzeMcpConfig } from "./analyze.js";
import { clientForPath, sniffClient } from "./clients.js";

registerStructuredHandler({
  name: "mcp",
  matches: (path, head) => clientForPath(path) !== undefined || sniffClient(path, head.toString("utf8")) !== undefined,
  scan: (detector, bytes, origin) => analyzeMcpConfig(detector, bytes, origin).findings,
});
