/**
 * The audit log: one JSON line per finding or denied read of each decision (one line when there is
 * neither), appended to `~/.leakgate/guard-audit.jsonl` by default. It holds rule ids, fingerprints
 * and redacted previews, never a secret. A write failure is reported and never blocks the hook.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { Decision, NormalizedEvent } from "./types.js";

export function defaultAuditLog(home = homedir()): string {
  return join(home, ".leakgate", "guard-audit.jsonl");
}

/** `~/x` expands to the home directory; a relative path is relative to `base`. */
export function expandPath(path: string, base: string, home = homedir()): string {
  if (path === "~") return home;
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(home, path.slice(2));
  return isAbsolute(path) ? path : resolve(base, path);
}

export interface AuditRecord {
  time: string;
  agent: string;
  event: string | null;
  tool: string | null;
  decision: string;
  rule: string | null;
  fingerprint: string | null;
  [key: string]: unknown;
}

export function auditRecords(agent: string, event: NormalizedEvent | undefined, decision: Decision, time = new Date()): AuditRecord[] {
  const base: AuditRecord = {
    time: time.toISOString(),
    agent,
    event: event?.name ?? null,
    tool: event?.tool ?? null,
    decision: decision.action,
    rule: null,
    fingerprint: null,
  };
  if (event?.session) base.session = event.session;
  if (event) base.cwd = event.cwd;
  const records: AuditRecord[] = [];
  for (const f of decision.findings) {
    const r: AuditRecord = { ...base, rule: f.ruleId, fingerprint: f.fingerprint, preview: f.preview, location: f.location };
    if (f.file) r.path = f.file;
    records.push(r);
  }
  for (const d of decision.denied) records.push({ ...base, rule: "deny-read", path: d.path, pattern: d.pattern, via: d.via });
  if (records.length === 0) records.push(decision.error ? { ...base, error: decision.error } : base);
  return records;
}

/** Appends the records; returns an error message instead of throwing. */
export function appendAudit(path: string, records: readonly AuditRecord[]): string | undefined {
  try {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, records.map((r) => `${JSON.stringify(r)}\n`).join(""), { mode: 0o600 });
    return undefined;
  } catch (error) {
    return `leakgate: warning: cannot write the guard audit log ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
}
