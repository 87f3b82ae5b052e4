import { createHash } from "node:crypto";
import type { Finding, RuleDefinition } from "../../src/engine/types.js";
import type { ReportContext } from "../../src/report/types.js";

let counter = 0;

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

/** A fake finding whose secret is a unique `FAKE-SECRET-...` string. */
export function makeFinding(overrides: Partial<Finding> = {}): Finding {
  counter++;
  const secret = overrides.secret ?? `FAKE-SECRET-${String(counter).padStart(6, "0")}-zq9x`;
  const path = overrides.path ?? "src/config.ts";
  const ruleId = overrides.ruleId ?? "github-pat-classic";
  return {
    ruleId,
    ruleName: "GitHub personal access token (classic)",
    severity: "high",
    path,
    startLine: 12,
    startColumn: 18,
    endLine: 12,
    endColumn: 18 + secret.length,
    preview: `${secret.slice(0, 3)}…${secret.slice(-2)}`,
    secretSha256: sha256(secret),
    fingerprint: `${ruleId}:${sha256(secret)}:${path}`,
    entropy: 4.123456,
    secret,
    lineText: `const token = "${secret}"; // LINE-TEXT-MARKER`,
    ...overrides,
  };
}

export const RULES: RuleDefinition[] = [
  {
    id: "github-pat-classic",
    name: "GitHub personal access token (classic)",
    description: "A GitHub classic personal access token grants access to the owner's repositories.",
    severity: "high",
    pattern: "ghp_[A-Za-z0-9]{36}",
    remediation: "Revoke the token at https://github.com/settings/tokens and create a fine-grained one.\nThen audit the security log.",
    tags: ["github", "vcs"],
  },
  {
    id: "aws-access-key-id",
    name: "AWS access key ID",
    severity: "critical",
    pattern: "AKIA[0-9A-Z]{16}",
    tags: ["aws", "cloud", "security"],
  },
  {
    id: "generic-password",
    name: "Generic password assignment",
    description: "A password assigned in configuration.",
    severity: "medium",
    pattern: "password\\s*=\\s*(\\S+)",
  },
  {
    id: "low-entropy-token",
    name: "Low-confidence token",
    severity: "low",
    pattern: "tok_(\\w+)",
    remediation: "   \n\n  Rotate the token if it is real.  ",
  },
];

export function makeContext(findings: Finding[], overrides: Partial<ReportContext> = {}): ReportContext {
  return {
    findings,
    rules: new Map(RULES.map((r) => [r.id, r])),
    stats: { files: 42, bytes: 1536, skipped: 3, durationMs: 123.4 },
    redact: true,
    color: false,
    toolVersion: "0.1.0",
    ...overrides,
  };
}

/** A varied set of findings exercising every optional field. */
export function sampleFindings(): Finding[] {
  return [
    makeFinding(),
    makeFinding({
      ruleId: "aws-access-key-id",
      ruleName: "AWS access key ID",
      severity: "critical",
      path: "deploy/my scripts/run #1.sh",
      startLine: 3,
      startColumn: 1,
      endLine: 3,
      endColumn: 21,
      commit: "0123456789abcdef0123456789abcdef01234567",
      author: "Jane Doe <jane@example.com>",
      date: "2024-05-01T10:00:00Z",
    }),
    makeFinding({
      ruleId: "generic-password",
      ruleName: "Generic password assignment",
      severity: "medium",
      path: ".claude/projects/x/session.jsonl",
      startLine: 7,
      startColumn: 40,
      endLine: 7,
      endColumn: 60,
      decodedFrom: "encoded:base64",
      logicalLocation: {
        fullyQualifiedName: "session 1234 > record 7 > $.message.content[0]",
        kind: "object",
        record: 7,
      },
    }),
    makeFinding({
      ruleId: "low-entropy-token",
      ruleName: "Low-confidence token",
      severity: "low",
      path: "README.md",
      startLine: 1,
      startColumn: 5,
      endLine: 1,
      endColumn: 30,
    }),
  ];
}
