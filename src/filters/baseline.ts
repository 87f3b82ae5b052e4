import { readFileSync } from "node:fs";
import type { Finding } from "../engine/types.js";
import { ConfigError } from "../errors.js";
import type { FindingFilter } from "./types.js";

/**
 * A baseline lists accepted findings by fingerprint (rule, secret hash, path: no line, so it survives
 * code moving). It is sorted and has no timestamps, so two branches that add entries merge cleanly.
 */
export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  path: string;
  preview: string;
}

export interface Baseline {
  version: 1;
  findings: BaselineEntry[];
}

export function createBaseline(findings: readonly Finding[]): Baseline {
  const byFingerprint = new Map<string, BaselineEntry>();
  for (const f of findings) {
    byFingerprint.set(f.fingerprint, { fingerprint: f.fingerprint, ruleId: f.ruleId, path: f.path, preview: f.preview });
  }
  const entries = [...byFingerprint.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  return { version: 1, findings: entries };
}

export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

export function readBaseline(path: string): Set<string> {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(`cannot read baseline ${path}: ${reason}`);
  }
  const findings = (doc as Partial<Baseline>)?.findings;
  if (!Array.isArray(findings) || findings.some((e) => typeof e?.fingerprint !== "string")) {
    throw new ConfigError(`baseline ${path} is not a leakgate baseline (expected {"version":1,"findings":[{"fingerprint":...}]})`);
  }
  return new Set(findings.map((e) => e.fingerprint));
}

export function baselineFilter(fingerprints: ReadonlySet<string>): FindingFilter {
  return (finding) => !fingerprints.has(finding.fingerprint);
}
