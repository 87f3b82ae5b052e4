/**
 * SARIF 2.1.0 report, shaped for GitHub code scanning
 * (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning).
 */
import type * as Sarif from "sarif";
import type { Finding, RuleDefinition, Severity } from "../engine/types.js";
import type { ReportContext, Reporter } from "./types.js";
import { present, round2, SEVERITY_RANK, sortFindings, wellFormed } from "./util.js";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
export const TOOL_INFORMATION_URI = "https://github.com/leakgate/leakgate";
/** GitHub rejects runs with more results than this. */
export const MAX_RESULTS_PER_RUN = 25_000;
/** GitHub rejects rules with more than 20 tags and only keeps the first 10. */
const MAX_TAGS_PER_RULE = 10;
export const FINGERPRINT_KEY = "leakgate/v1";

const LEVEL: Readonly<Record<Severity, Sarif.ReportingConfiguration.level>> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
};

/** GitHub's `security-severity`: a number in (0, 10] written as a string. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
};

function levelOf(severity: Severity): Sarif.ReportingConfiguration.level {
  return LEVEL[severity] ?? "error";
}

function securitySeverityOf(severity: Severity): string {
  return SECURITY_SEVERITY[severity] ?? SECURITY_SEVERITY.high;
}

/** `GitHub personal access token (classic)` -> `GitHubPersonalAccessTokenClassic`. */
export function pascalCase(text: string): string {
  return text
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}

const SEGMENT_KEEP = /%(?:24|26|2B|2C|3B|3D|40)/gi;

/**
 * A relative URI reference (resolved against `%SRCROOT%`) for a scan path:
 * forward slashes, no leading `/` or `./`, every segment percent-encoded
 * (spaces, `#`, `?`, `%`, `:` and non-ASCII included) so it can never be read
 * as a scheme, query or fragment.
 */
export function toArtifactUri(path: string): string {
  const normalised = wellFormed(path).replace(/\\/g, "/");
  const segments = normalised.split("/").filter((segment, i, all) => {
    if (segment === ".") return false;
    // Drop the empty segments produced by leading slashes or `a//b`, but keep a trailing one.
    return segment !== "" || (i === all.length - 1 && i > 0);
  });
  const uri = segments.map((segment) => encodeURIComponent(segment).replace(SEGMENT_KEEP, (m) => decodeURIComponent(m))).join("/");
  return uri === "" ? "." : uri;
}

function helpFor(rule: RuleDefinition): Sarif.MultiformatMessageString {
  const description = (rule.description ?? "").trim();
  const remediation = (rule.remediation ?? "").trim();
  const intro = description !== "" ? description : `${rule.name} detected.`;
  const fix =
    remediation !== ""
      ? remediation
      : "Revoke the exposed credential with its provider, issue a new one, and remove the secret from the code and its history.";
  return {
    text: `${intro}\n\nRemediation: ${fix}`,
    markdown: `${intro}\n\n**Remediation**\n\n${fix}`,
  };
}

function tagsFor(rule: RuleDefinition): string[] {
  const tags = ["security", "secret"];
  for (const tag of rule.tags ?? []) {
    if (typeof tag === "string" && tag !== "" && !tags.includes(tag)) tags.push(tag);
  }
  return tags.slice(0, MAX_TAGS_PER_RULE);
}

function toReportingDescriptor(rule: RuleDefinition, severity: Severity): Sarif.ReportingDescriptor {
  const name = rule.name && rule.name.trim() !== "" ? rule.name.trim() : rule.id;
  const description = (rule.description ?? "").trim();
  return {
    id: rule.id,
    name: pascalCase(name) || pascalCase(rule.id) || "Secret",
    shortDescription: { text: name },
    fullDescription: { text: description !== "" ? description : name },
    help: helpFor({ ...rule, name }),
    defaultConfiguration: { level: levelOf(severity) },
    properties: {
      tags: tagsFor(rule),
      precision: "high",
      "security-severity": securitySeverityOf(severity),
    },
  };
}

function positive(n: number): number {
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
}

function toResult(f: Finding, ruleIndex: number, redact: boolean): Sarif.Result {
  const shown = redact ? f.preview : f.secret;
  const startLine = positive(f.startLine);
  const startColumn = positive(f.startColumn);
  const endLine = Math.max(startLine, positive(f.endLine));
  const endColumn = positive(f.endColumn);
  const region: Sarif.Region = { startLine, startColumn, endLine, endColumn };
  if (shown !== "") region.snippet = { text: shown };

  const location: Sarif.Location = {
    physicalLocation: {
      artifactLocation: { uri: toArtifactUri(f.path), uriBaseId: "%SRCROOT%" },
      region,
    },
  };
  // SARIF 2.1.0 puts logical locations on the location, not on the result.
  if (f.logicalLocation && present(f.logicalLocation.fullyQualifiedName)) {
    const { fullyQualifiedName, kind, ...rest } = f.logicalLocation;
    const logical: Sarif.LogicalLocation = { fullyQualifiedName };
    if (present(kind)) logical.kind = kind;
    const extra = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    if (Object.keys(extra).length > 0) logical.properties = extra;
    location.logicalLocations = [logical];
  }

  const result: Sarif.Result = {
    ruleId: f.ruleId,
    ruleIndex,
    level: levelOf(f.severity),
    message: { text: `${f.ruleName} ${shown} found` },
    locations: [location],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
  };

  const properties: Sarif.PropertyBag = {
    severity: f.severity,
    secretSha256: f.secretSha256,
    entropy: round2(f.entropy),
  };
  if (present(f.commit)) properties.commit = f.commit;
  if (present(f.author)) properties.author = f.author;
  if (present(f.date)) properties.date = f.date;
  if (present(f.decodedFrom)) properties.decodedFrom = f.decodedFrom;
  result.properties = properties;
  return result;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export function buildSarif(ctx: ReportContext): Sarif.Log {
  const redact = ctx.redact !== false;
  const sorted = sortFindings(ctx.findings);
  const kept = sorted.slice(0, MAX_RESULTS_PER_RUN);
  const dropped = sorted.length - kept.length;

  // Rules that have (kept) findings, sorted by id. A rule missing from
  // ctx.rules is described from its findings so that ruleIndex stays valid.
  const ruleSeverity = new Map<string, Severity>();
  const ruleNames = new Map<string, string>();
  for (const f of kept) {
    const seen = ruleSeverity.get(f.ruleId);
    if (seen === undefined || SEVERITY_RANK[f.severity] < SEVERITY_RANK[seen]) ruleSeverity.set(f.ruleId, f.severity);
    if (!ruleNames.has(f.ruleId)) ruleNames.set(f.ruleId, f.ruleName);
  }
  const ruleIds = [...ruleSeverity.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i] as const));
  const rules = ruleIds.map((id) => {
    const definition: RuleDefinition = ctx.rules.get(id) ?? { id, name: ruleNames.get(id) ?? id, pattern: "" };
    const severity = definition.severity ?? ruleSeverity.get(id) ?? "high";
    return toReportingDescriptor({ ...definition, id }, severity);
  });

  const driver: Sarif.ToolComponent = {
    name: "leakgate",
    informationUri: TOOL_INFORMATION_URI,
    ...(SEMVER.test(ctx.toolVersion) ? { semanticVersion: ctx.toolVersion } : {}),
    version: ctx.toolVersion,
    rules,
  };

  const run: Sarif.Run = {
    tool: { driver },
    columnKind: "utf16CodeUnits",
    results: kept.map((f) => toResult(f, ruleIndex.get(f.ruleId) ?? 0, redact)),
    properties: {
      totalFindings: sorted.length,
      droppedResults: dropped,
    },
  };

  return { $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs: [run] };
}

export const renderSarif: Reporter = (ctx) => `${JSON.stringify(buildSarif(ctx), null, 2)}\n`;
