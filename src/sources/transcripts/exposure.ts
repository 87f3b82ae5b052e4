/**
 * The exposure report of `leakgate transcripts`: one block per distinct secret (same value, whatever
 * the file), listing every session and tool call where it appeared and what the agent did with it:
 * wrote it into a file, sent it in a tool call, or only read it. Answers "what did this agent do, with
 * which credential". Secrets are shown redacted unless the user asked otherwise.
 */
import { Chalk, type ChalkInstance } from "chalk";
import type { Finding, RuleDefinition, Severity } from "../../engine/types.js";
import type { ScanStats } from "../../report/types.js";
import { escapeForTerminal, firstLine, formatBytes, plural, sortFindings } from "../../report/util.js";

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export const ACTION_LABEL: Record<string, string> = {
  write: "wrote it into a file",
  send: "sent it in a tool call",
  read: "read it (tool output)",
  prompt: "typed or pasted by the user",
  reply: "written by the model",
  context: "present in the session",
};
const ACTION_SHORT: Record<string, string> = {
  write: "wrote",
  send: "sent",
  read: "read",
  prompt: "prompt",
  reply: "reply",
  context: "context",
};
/** Order in which actions are listed: the most consequential first. */
const ACTION_ORDER = ["write", "send", "read", "prompt", "reply", "context"];

export interface ExposureContext {
  findings: Finding[];
  rules: ReadonlyMap<string, RuleDefinition>;
  stats: ScanStats;
  redact: boolean;
  color: boolean;
  /** Transcript files considered (after --since). */
  files: number;
  since?: number;
}

interface Occurrence {
  finding: Finding;
  action: string;
}

interface SessionGroup {
  key: string;
  agent: string;
  session: string;
  path: string;
  occurrences: Occurrence[];
}

interface SecretGroup {
  sha: string;
  best: Finding;
  sessions: Map<string, SessionGroup>;
  actions: Map<string, number>;
  count: number;
  first: string;
}

const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** Groups findings by secret, then session. */
export function groupExposure(findings: readonly Finding[]): SecretGroup[] {
  const groups = new Map<string, SecretGroup>();
  for (const f of sortFindings(findings)) {
    let g = groups.get(f.secretSha256);
    if (!g) {
      g = { sha: f.secretSha256, best: f, sessions: new Map(), actions: new Map(), count: 0, first: f.path };
      groups.set(f.secretSha256, g);
    }
    if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[g.best.severity]) g.best = f;
    const loc = f.logicalLocation;
    const agent = str(loc?.agent) || "unknown agent";
    const session = str(loc?.session);
    const key = `${agent}\u0000${session}\u0000${f.path}`;
    let s = g.sessions.get(key);
    if (!s) {
      s = { key, agent, session, path: f.path, occurrences: [] };
      g.sessions.set(key, s);
    }
    const action = str(loc?.action) || "context";
    s.occurrences.push({ finding: f, action });
    g.actions.set(action, (g.actions.get(action) ?? 0) + 1);
    g.count++;
  }
  const list = [...groups.values()];
  for (const g of list) {
    for (const s of g.sessions.values())
      s.occurrences.sort((a, b) => a.finding.startLine - b.finding.startLine || a.finding.startColumn - b.finding.startColumn);
  }
  return list.sort(
    (a, b) => SEVERITY_RANK[a.best.severity] - SEVERITY_RANK[b.best.severity] || b.count - a.count || (a.sha < b.sha ? -1 : 1),
  );
}

function severityStyle(c: ChalkInstance, severity: Severity): ChalkInstance {
  return severity === "critical" ? c.bold.red : severity === "high" ? c.red : severity === "medium" ? c.yellow : c.blue;
}

/** Occurrences listed per session before "... and N more". */
const MAX_OCCURRENCES = 25;

export function renderExposure(ctx: ExposureContext): string {
  const c = new Chalk({ level: ctx.color ? 1 : 0 });
  const safe = escapeForTerminal;
  const groups = groupExposure(ctx.findings);
  const sessionKeys = new Set<string>();
  for (const g of groups) for (const k of g.sessions.keys()) sessionKeys.add(k);
  const out: string[] = [];
  const ms = Number.isFinite(ctx.stats.durationMs) ? Math.max(0, Math.round(ctx.stats.durationMs)) : 0;
  const scope = ctx.since ? ` active since ${new Date(ctx.since).toISOString()}` : "";
  const scanned = `${plural(ctx.files, "transcript file")}${scope} (${formatBytes(ctx.stats.bytes)} scanned, ${ctx.stats.skipped} skipped) in ${ms} ms`;
  if (groups.length === 0) {
    out.push(c.green("No secrets found in agent transcripts."));
    out.push(c.dim(scanned));
    return `${out.join("\n")}\n`;
  }
  groups.forEach((g, i) => {
    const f = g.best;
    const shown = ctx.redact ? f.preview : f.secret;
    out.push(
      `${severityStyle(c, f.severity)(String(f.severity).toUpperCase().padEnd(9))}${c.bold(safe(f.ruleName))} ${c.dim(`(${safe(f.ruleId)})`)}  ${c.magenta(safe(shown))}  ${c.dim(`secret ${i + 1}, sha256 ${g.sha.slice(0, 8)}`)}`,
    );
    const did = ACTION_ORDER.filter((a) => g.actions.has(a)).map((a) => `${ACTION_LABEL[a]} (${g.actions.get(a)})`);
    out.push(`  ${c.bold("what happened:")} ${did.join(", ")}`);
    out.push(`  ${c.bold("seen:")} ${plural(g.count, "time")} in ${plural(g.sessions.size, "session")}`);
    for (const s of g.sessions.values()) {
      out.push(`  ${c.cyan(safe(`${s.agent}${s.session ? ` session ${s.session}` : ""}`))}  ${c.dim(safe(s.path))}`);
      for (const o of s.occurrences.slice(0, MAX_OCCURRENCES)) {
        const loc = o.finding.logicalLocation;
        const where = `${o.finding.startLine}:${o.finding.startColumn}`.padEnd(9);
        const role = (str(loc?.role) || "-").padEnd(9);
        const tool = str(loc?.tool) ? `${str(loc?.tool)}${str(loc?.toolCallId) ? ` ${str(loc?.toolCallId)}` : ""}` : "-";
        const action = (ACTION_SHORT[o.action] ?? o.action).padEnd(7);
        const when = str(loc?.timestamp) ? `${str(loc?.timestamp).replace(/\.\d{3}Z$/, "Z")}  ` : "";
        const pointer = str(loc?.pointer) || str(loc?.note);
        out.push(`    ${where} ${when}${role} ${action} ${safe(tool)}${pointer ? c.dim(`  ${safe(pointer)}`) : ""}`);
      }
      if (s.occurrences.length > MAX_OCCURRENCES) out.push(c.dim(`    ... and ${s.occurrences.length - MAX_OCCURRENCES} more`));
    }
    const hint = firstLine(ctx.rules.get(f.ruleId)?.remediation);
    if (hint) out.push(`  ${c.bold("rotate:")} ${c.green(safe(hint))}`);
    out.push("");
  });
  const summary = `${plural(groups.length, "distinct secret")} in ${plural(sessionKeys.size, "session")} (${plural(ctx.findings.length, "finding")}) across ${scanned}`;
  const severe = groups.some((g) => g.best.severity === "critical" || g.best.severity === "high");
  out.push((severe ? c.bold.red : c.bold.yellow)(summary));
  return `${out.join("\n")}\n`;
}
