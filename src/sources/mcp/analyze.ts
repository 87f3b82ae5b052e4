/**
 * The MCP config analysis shared by `leakgate mcp` and `leakgate scan`: find every server of a
 * client config, judge each value (env, headers, args, url, OAuth secrets, client settings), then
 * merge with a plain scan of the whole file for what lies outside the server blocks.
 */
import { basename } from "node:path";
import type { Detector } from "../../engine/detector.js";
import type { CompiledRule } from "../../engine/rules.js";
import type { Finding, LogicalLocation, Origin } from "../../engine/types.js";
import { type ClientId, clientForPath, envNameOf, type FieldKind, formatForPath, remediationFor, sniffClient } from "./clients.js";
import { isLiteralCredential, isSensitiveName, literalSpan, looksLikeUrl } from "./sensitive.js";
import { TextIndex } from "./text.js";
import { type CArray, type CNode, type ConfigFormat, type CString, nodeRange, parseConfig, valueMapOf } from "./tree.js";
import { detectInValue, mergeWithWholeFile, type Region, ruleById, type ScanContext, type ValueSite, valueFindings } from "./value-scan.js";

export const MCP_LITERAL_RULE = "mcp-literal-credential";
export const MCP_URL_KEY_RULE = "mcp-url-path-key";

export interface McpConfigReport {
  client: ClientId;
  format: ConfigFormat;
  /** Servers found (0 for a config without any). */
  servers: number;
  findings: Finding[];
  /** One line when the file could not be parsed; it was then scanned as plain text. */
  error?: string;
}

/** Keys holding a map or list of servers. */
const SERVER_MAPS = new Set(["mcpServers", "mcp_servers", "context_servers", "modelContextProtocolServers"]);
/** Fields whose values are names of environment variables or helper commands, never secrets. */
const REFERENCE_FIELDS = new Set([
  "bearer_token_env_var",
  "env_vars",
  "env_http_headers",
  "env_keys",
  "headersHelper",
  "apiKeyHelper",
  "envFile",
  "env_file",
]);
const URL_FIELDS = new Set(["url", "serverUrl", "httpUrl", "uri", "endpoint", "baseUrl", "base_url"]);
const ENV_FIELDS = new Set(["env", "envs", "environment"]);
const HEADER_FIELDS = new Set(["headers", "http_headers", "header"]);

interface Server {
  name: string;
  label: (string | number)[];
  node: CNode;
}

/** `projects["/home/u/app"].mcpServers.github`, `args[3]`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

function findServers(roots: CNode[], client: ClientId): Server[] {
  const servers: Server[] = [];
  const add = (map: CNode, label: (string | number)[]) => {
    if (map.type === "object") {
      for (const e of map.entries) if (e.value.type === "object") servers.push({ name: e.key, label: [...label, e.key], node: e.value });
    } else if (map.type === "array") {
      map.items.forEach((item, i) => {
        if (item.type !== "object") return;
        const name = item.entries.find((e) => e.key === "name")?.value;
        servers.push({ name: name?.type === "string" ? name.value : String(i), label: [...label, i], node: item });
      });
    }
  };
  const walk = (node: CNode, path: string[], depth: number) => {
    if (node.type !== "object") return;
    for (const { key, value } of node.entries) {
      if (SERVER_MAPS.has(key)) add(value, [...path, key]);
      else if (key === "servers" && (path.length === 0 || path[path.length - 1] === "mcp")) add(value, [...path, key]);
      else if (key === "extensions" && client === "goose" && path.length === 0) add(value, [...path, key]);
      else if (depth < 4) walk(value, [...path, key], depth + 1);
    }
  };
  for (const root of roots) walk(root, [], 0);
  return servers;
}

interface Judged {
  /** Spans of the value to report under a rule (from the MCP rules). */
  candidates: { rule: CompiledRule; from: number; to: number }[];
  /** The analysis decided on this value (generic whole-file findings give way). */
  authoritative: boolean;
}

class ConfigAnalysis {
  readonly structured: Finding[] = [];
  readonly regions: Region[] = [];
  private readonly literalRule: CompiledRule | undefined;
  private readonly urlKeyRule: CompiledRule | undefined;

  constructor(
    private readonly ctx: ScanContext,
    private readonly text: string,
    private readonly client: ClientId,
    private readonly configLabel: string,
  ) {
    this.literalRule = ruleById(ctx.detector, MCP_LITERAL_RULE);
    this.urlKeyRule = ruleById(ctx.detector, MCP_URL_KEY_RULE);
  }

  server(server: Server): void {
    const range = nodeRange(server.node);
    if (range) {
      this.regions.push({ ...range, authoritative: false, location: this.location(server, [], "setting", server.name) });
    }
    this.walk(server, server.node, []);
  }

  private location(server: Server, field: (string | number)[], kind: FieldKind, name: string): LogicalLocation {
    const fieldLabel = formatPath(field);
    const parts = [this.client, this.configLabel, formatPath(server.label)];
    if (fieldLabel) parts.push(fieldLabel);
    let variable = envNameOf(name);
    if (kind === "header" && /^authorization$/i.test(name)) variable = envNameOf(`${server.name}_token`);
    else if (kind === "url" || kind === "oauth" || !/[A-Za-z]/.test(name))
      variable = envNameOf(`${server.name}_${kind === "oauth" ? "client_secret" : "api_key"}`);
    const location: LogicalLocation = {
      fullyQualifiedName: parts.join(" > "),
      kind: "property",
      client: this.client,
      config: this.configLabel,
      server: server.name,
    };
    if (fieldLabel) location.field = fieldLabel;
    location.remediation = remediationFor(this.client, kind, variable, kind === "header" ? name : undefined);
    return location;
  }

  private walk(server: Server, node: CNode, field: (string | number)[]): void {
    if (node.type === "object") {
      for (const { key, value } of node.entries) {
        if (REFERENCE_FIELDS.has(key)) this.references(server, value, [...field, key]);
        else if (key === "args" && value.type === "array") this.args(server, value, [...field, key]);
        else this.walk(server, value, [...field, key]);
      }
    } else if (node.type === "array") {
      node.items.forEach((item, i) => {
        this.walk(server, item, [...field, i]);
      });
    } else if (node.type === "string") {
      const name = [...field].reverse().find((s): s is string => typeof s === "string") ?? "";
      const kind = kindOf(field, name);
      const judged: Judged = { candidates: [], authoritative: false };
      if (URL_FIELDS.has(name) || looksLikeUrl(node.value)) {
        // Key-shaped path segments only in the server's endpoint: other URLs (docs links in env) have ids there.
        this.judgeUrl(node.value, judged, URL_FIELDS.has(name));
        judged.authoritative = this.literalRule !== undefined && (URL_FIELDS.has(name) || this.isSensitive(name));
      } else if (this.literalRule && this.isSensitive(name)) {
        const span = literalSpan(node.value, name, this.literalRule);
        if (span) judged.candidates.push({ rule: this.literalRule, from: span.start, to: span.end });
        judged.authoritative = true;
      }
      this.value(server, node, field, kind, name, judged);
    }
  }

  /** Codex `env_vars` / `bearer_token_env_var` / `env_http_headers`, goose `env_keys`, helpers: names, not values. */
  private references(server: Server, node: CNode, field: (string | number)[]): void {
    if (node.type === "string")
      this.value(server, node, field, "setting", String(field[field.length - 1]), { candidates: [], authoritative: true });
    else if (node.type === "object") for (const e of node.entries) this.references(server, e.value, [...field, e.key]);
    else if (node.type === "array") {
      node.items.forEach((item, i) => {
        this.references(server, item, [...field, i]);
      });
    }
  }

  /** `--api-key=v`, `--token v`, `-e KEY=v`, `KEY=v`, `--header "Authorization: Bearer v"`, URLs. */
  private args(server: Server, list: CArray, field: (string | number)[]): void {
    const rule = this.literalRule;
    list.items.forEach((item, i) => {
      const path = [...field, i];
      if (item.type !== "string") {
        this.walk(server, item, path);
        return;
      }
      const value = item.value;
      const previous = list.items[i - 1];
      const flag = previous?.type === "string" && /^--?[A-Za-z][\w.-]*$/.test(previous.value) ? previous.value : undefined;
      const judged: Judged = { candidates: [], authoritative: rule !== undefined };
      let name = "";
      const consider = (candidateName: string, from: number) => {
        name = candidateName;
        if (!rule || !this.isSensitive(candidateName)) return;
        const span = literalSpan(value.slice(from), candidateName, rule);
        if (span) judged.candidates.push({ rule, from: from + span.start, to: from + span.end });
      };
      const assignment = /^(--?[A-Za-z][\w.-]*)=/.exec(value);
      const pair = /^([A-Za-z_][\w.-]*)=/.exec(value);
      const header = /^([A-Za-z0-9-]+)[ \t]*:[ \t]*/.exec(value);
      if (looksLikeUrl(value)) this.judgeUrl(value, judged, true);
      else if (assignment) consider((assignment[1] as string).replace(/^-+/, ""), assignment[0].length);
      else if (flag && /^(?:-e|--env)$/.test(flag) && pair) consider(pair[1] as string, pair[0].length);
      else if (flag && /^(?:-H|--header|--headers)$/.test(flag) && header) consider(header[1] as string, header[0].length);
      else if (flag && !value.startsWith("-")) consider(flag.replace(/^-+/, ""), 0);
      else if (pair) consider(pair[1] as string, pair[0].length);
      else if (header && this.isSensitive(header[1] as string)) consider(header[1] as string, header[0].length);
      this.value(server, item, path, "arg", name, judged);
    });
  }

  /** Userinfo, sensitive query parameters and (for an endpoint) key-shaped path segments of a URL. */
  private judgeUrl(value: string, judged: Judged, endpoint: boolean): void {
    const lead = value.length - value.trimStart().length;
    const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#\s]*)([^?#\s]*)(\?[^#\s]*)?/i.exec(value.slice(lead));
    if (!m) return;
    const base = lead;
    const rule = this.literalRule;
    const authority = m[2] as string;
    const at = authority.lastIndexOf("@");
    const authorityStart = base + (m[1] as string).length;
    if (rule && at > 0) {
      const userinfo = authority.slice(0, at);
      const colon = userinfo.indexOf(":");
      if (colon >= 0) {
        const password = userinfo.slice(colon + 1);
        if (isLiteralCredential(safeDecode(password), "password", rule)) {
          judged.candidates.push({ rule, from: authorityStart + colon + 1, to: authorityStart + at });
        }
      } else if (userinfo.length >= 20 && isLiteralCredential(safeDecode(userinfo), "token", rule)) {
        judged.candidates.push({ rule, from: authorityStart, to: authorityStart + at });
      }
    }
    const pathStart = authorityStart + authority.length;
    const path = m[3] as string;
    const keyRule = this.urlKeyRule;
    if (keyRule && endpoint) {
      let segmentStart = pathStart;
      for (const segment of path.split("/")) {
        if (isKeyShapedSegment(segment, keyRule))
          judged.candidates.push({ rule: keyRule, from: segmentStart, to: segmentStart + segment.length });
        segmentStart += segment.length + 1;
      }
    }
    const query = m[4];
    if (rule && query) {
      let pairStart = pathStart + path.length + 1;
      for (const pair of query.slice(1).split("&")) {
        const eq = pair.indexOf("=");
        if (eq > 0) {
          const key = safeDecode(pair.slice(0, eq));
          const raw = pair.slice(eq + 1);
          if (this.isSensitive(key) && isLiteralCredential(safeDecode(raw), key, rule)) {
            judged.candidates.push({ rule, from: pairStart + eq + 1, to: pairStart + pair.length });
          }
        }
        pairStart += pair.length + 1;
      }
    }
  }

  private isSensitive(name: string): boolean {
    return this.literalRule !== undefined && isSensitiveName(name, this.literalRule);
  }

  private value(server: Server, node: CString, field: (string | number)[], kind: FieldKind, name: string, judged: Judged): void {
    const site: ValueSite = {
      value: node.value,
      map: valueMapOf(this.text, node),
      rawStart: Math.max(node.start, 0),
      rawEnd: Math.max(node.end, 0),
      location: this.location(server, field, kind, name),
    };
    const detected = detectInValue(this.ctx, site);
    for (const f of valueFindings(this.ctx, site, detected, judged.candidates)) this.structured.push(f);
    if (node.start >= 0)
      this.regions.push({ start: node.start, end: node.end, location: site.location, authoritative: judged.authoritative });
  }
}

function kindOf(field: (string | number)[], name: string): FieldKind {
  const top = field.filter((s): s is string => typeof s === "string");
  if (top.some((s) => HEADER_FIELDS.has(s))) return "header";
  if (top.some((s) => ENV_FIELDS.has(s))) return "env";
  if (top.includes("oauth")) return "oauth";
  if (URL_FIELDS.has(name)) return "url";
  return "setting";
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path segment that looks like a key: long, letters and digits, random enough for the rule. */
export function isKeyShapedSegment(segment: string, rule: CompiledRule): boolean {
  if (!/^[A-Za-z0-9_-]{20,}$/.test(segment) || !/[A-Za-z]/.test(segment) || !/\d/.test(segment) || UUID.test(segment)) return false;
  return isLiteralCredential(segment, "key", rule);
}

/** The client, format and analysis of one config file. `client` overrides the path-based guess. */
export function analyzeMcpConfig(detector: Detector, bytes: Buffer, origin: Origin, client?: ClientId): McpConfigReport {
  const text = bytes.toString("utf8");
  const format = formatForPath(origin.path);
  const id = client ?? clientForPath(origin.path) ?? sniffClient(origin.path, text.slice(0, 4096)) ?? "mcp";
  const whole = detector.detect({ bytes, origin });
  try {
    const parsed = parseConfig(text, format);
    if (!parsed.ok) return { client: id, format, servers: 0, findings: whole, error: parsed.error };
    const servers = findServers(parsed.roots, id);
    const ctx: ScanContext = { detector, origin, index: new TextIndex(text) };
    const analysis = new ConfigAnalysis(ctx, text, id, basename(origin.path));
    for (const server of servers) analysis.server(server);
    return { client: id, format, servers: servers.length, findings: mergeWithWholeFile(ctx, analysis.structured, whole, analysis.regions) };
  } catch (error) {
    // A bug in the analysis must not lose the file: its plain-scan findings stand.
    return { client: id, format, servers: 0, findings: whole, error: `could not analyse it (${(error as Error).message})` };
  }
}
