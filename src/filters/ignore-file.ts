import { readFileSync } from "node:fs";
import type { FindingFilter } from "./types.js";

/**
 * `.leakgateignore`: one entry per line, `#` comments. A line that is a fingerprint
 * (`rule:sha256:path`, as printed in JSON output) drops that finding; any other line is a
 * gitignore-style path pattern (handled with the config's path allowlist).
 */
const FINGERPRINT = /^[a-z0-9][a-z0-9._-]*:[0-9a-f]{64}:.+$/;

export interface IgnoreFile {
  fingerprints: Set<string>;
  paths: string[];
}

export function parseIgnoreFile(text: string): IgnoreFile {
  const result: IgnoreFile = { fingerprints: new Set(), paths: [] };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    if (FINGERPRINT.test(line)) result.fingerprints.add(line);
    else result.paths.push(line);
  }
  return result;
}

export function readIgnoreFile(path: string): IgnoreFile | undefined {
  try {
    return parseIgnoreFile(readFileSync(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export function ignoreFingerprintFilter(fingerprints: ReadonlySet<string>): FindingFilter {
  return (finding) => !fingerprints.has(finding.fingerprint);
}
