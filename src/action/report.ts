/**
 * What the action shows on GitHub, as pure functions: findings read back from the SARIF report,
 * workflow-command annotations, the job summary and step outputs. Every string that came from the
 * repository (paths, previews, rule names of custom rules) is escaped for where it goes, and no function
 * here ever sees a secret: the SARIF it reads is the CLI's redacted one.
 */
import type { Severity } from "../engine/types.js";
import type { JsonFinding } from "../report/json.js";
import { escapeForTerminal } from "../report/util.js";

export type { Severity };

/** The fields of a report finding the action shows (read back from the SARIF; `preview` is redacted). */
export type ActionFinding = Pick<
  JsonFinding,
  "ruleId" | "ruleName" | "severity" | "path" | "startLine" | "startColumn" | "endLine" | "endColumn" | "preview" | "commit"
>;

export interface SarifFindings {
  findings: ActionFinding[];
  /** All findings, including results GitHub's per-run cap made the CLI leave out of the file. */
  total: number;
}

const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];
const LEVEL_SEVERITY: Readonly<Record<string, Severity>> = { error: "high", warning: "medium", note: "low", none: "low" };

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown, fallback: number): number => (typeof v === "number" && Number.isFinite(v) && v >= 1 ? Math.floor(v) : fallback);

function decodeUri(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

/** The findings of a leakgate SARIF report (its first run). */
export function findingsFromSarif(log: unknown): SarifFindings {
  const run = obj((obj(log)?.runs as unknown[] | undefined)?.[0]);
  if (!run) throw new Error("the SARIF report has no run");
  const rules = (obj(obj(run.tool)?.driver)?.rules as unknown[] | undefined) ?? [];
  const results = Array.isArray(run.results) ? run.results : [];
  const findings: ActionFinding[] = [];
  for (const raw of results) {
    const result = obj(raw);
    if (!result) continue;
    const ruleId = str(result.ruleId) ?? "secret";
    const rule = typeof result.ruleIndex === "number" ? obj(rules[result.ruleIndex]) : undefined;
    const ruleName = str(obj(rule?.shortDescription)?.text) ?? ruleId;
    const properties = obj(result.properties) ?? {};
    const declared = str(properties.severity) as Severity | undefined;
    const severity = declared && SEVERITIES.includes(declared) ? declared : (LEVEL_SEVERITY[str(result.level) ?? "error"] ?? "high");
    const physical = obj(obj((result.locations as unknown[] | undefined)?.[0])?.physicalLocation);
    const region = obj(physical?.region) ?? {};
    const startLine = num(region.startLine, 1);
    const startColumn = num(region.startColumn, 1);
    const finding: ActionFinding = {
      ruleId,
      ruleName,
      severity,
      path: decodeUri(str(obj(physical?.artifactLocation)?.uri) ?? ""),
      startLine,
      startColumn,
      endLine: Math.max(startLine, num(region.endLine, startLine)),
      endColumn: num(region.endColumn, startColumn),
      preview: str(obj(region.snippet)?.text) ?? "",
    };
    const commit = str(properties.commit);
    if (commit) finding.commit = commit;
    findings.push(finding);
  }
  const declaredTotal = obj(run.properties)?.totalFindings;
  const total = typeof declaredTotal === "number" && declaredTotal >= findings.length ? declaredTotal : findings.length;
  return { findings, total };
}

/** Most severe first, then by path and position (the CLI's order). */
export function bySeverity(findings: readonly ActionFinding[]): ActionFinding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITIES.indexOf(a.f.severity) - SEVERITIES.indexOf(b.f.severity) || a.i - b.i)
    .map(({ f }) => f);
}

// ---------------------------------------------------------------------------------------------------
// Workflow commands (https://docs.github.com/actions/reference/workflow-commands-for-github-actions)

/** The message part of a workflow command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A `key=value` property of a workflow command: `:` and `,` end values, so they are escaped too. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** GitHub shows 10 error annotations per step and 50 per job; more are dropped without a word. */
export const MAX_ANNOTATIONS = 50;
/** GitHub's cap on one step's summary. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

const shortSha = (sha: string) => sha.slice(0, 12);

/** The single-line text shown for a finding (annotation message, log line). */
function describe(f: ActionFinding): string {
  const where = f.commit ? ` added in commit ${shortSha(f.commit)}` : "";
  return `${f.ruleName} (${f.ruleId}, ${f.severity}) ${f.preview}${where}`;
}

export function annotation(f: ActionFinding): string {
  const props = [
    `file=${escapeProperty(f.path)}`,
    `line=${f.startLine}`,
    `endLine=${f.endLine}`,
    // Columns only mean something when the finding sits on one line.
    ...(f.startLine === f.endLine ? [`col=${f.startColumn}`, `endColumn=${f.endColumn}`] : []),
    `title=${escapeProperty(`leakgate: ${f.ruleName}`)}`,
  ];
  const message = `${describe(f)}. Rotate it with its provider, then remove it, or accept it with a leakgate:allow comment, .leakgateignore or the baseline.`;
  return `::error ${props.join(",")}::${escapeData(message)}`;
}

/**
 * Annotation commands for the first `max` findings (most severe first), then one notice for the rest.
 */
export function annotations(findings: readonly ActionFinding[], total: number, max = MAX_ANNOTATIONS): string[] {
  const sorted = bySeverity(findings);
  const lines = sorted.slice(0, max).map(annotation);
  const more = total - Math.min(max, sorted.length);
  if (more > 0) {
    lines.push(
      `::notice title=${escapeProperty("leakgate: more findings")}::${escapeData(`${more} more finding(s) are not annotated: see the job summary, the SARIF file and the full list in this step's log.`)}`,
    );
  }
  return lines;
}

/** One plain log line per finding (terminal-escaped; the caller stops command parsing around them). */
export function logLine(f: ActionFinding): string {
  const commit = f.commit ? `  commit ${shortSha(f.commit)}` : "";
  return escapeForTerminal(`${f.severity.padEnd(8)} ${f.path}:${f.startLine}:${f.startColumn}  ${f.ruleId}  ${f.preview}${commit}`);
}

// ---------------------------------------------------------------------------------------------------
// Job summary

/**
 * Text for a Markdown table cell: HTML and Markdown punctuation become character references (so a path
 * cannot open a link, an image, a code span, a table column or an @-mention), controls become escapes.
 */
export function markdownCell(text: string): string {
  return escapeForTerminal(text.replace(/\r\n|\r|\n/g, " ")).replace(/[&<>"'|\\`*_[\]()~#!@:{}]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

export interface SummaryContext {
  /** "pull request #12 (abc..def)". */
  description: string;
  /** "diff" / "history": what was scanned. */
  mode: string;
  commits?: number;
  /** `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}`, for commit and file links. */
  repositoryUrl?: string;
  notices?: readonly string[];
  failed: boolean;
}

function locationCell(f: ActionFinding, ctx: SummaryContext): string {
  const text = `<code>${markdownCell(`${f.path}:${f.startLine}:${f.startColumn}`)}</code>`;
  if (!ctx.repositoryUrl || !f.commit || !/^[0-9a-f]{40,64}$/.test(f.commit)) return text;
  return `<a href="${ctx.repositoryUrl}/blob/${f.commit}/${markdownCell(encodePath(f.path))}#L${f.startLine}">${text}</a>`;
}

function commitCell(f: ActionFinding, ctx: SummaryContext): string {
  if (!f.commit) return "";
  const text = `<code>${markdownCell(shortSha(f.commit))}</code>`;
  if (!ctx.repositoryUrl || !/^[0-9a-f]{40,64}$/.test(f.commit)) return text;
  return `<a href="${ctx.repositoryUrl}/commit/${f.commit}">${text}</a>`;
}

const HOW_TO_FIX = [
  "",
  "**What to do**: rotate each secret with its provider first (removing it in a later commit does not un-leak it), then remove it from the code.",
  "A false positive: add `leakgate:allow` on the line, list its fingerprint in `.leakgateignore`, or add it to the baseline (`leakgate baseline create`).",
  "",
];

/**
 * The job summary in Markdown, at most `maxBytes` bytes: rows are dropped from the end (least severe)
 * with an "N more" line when the table would not fit.
 */
export function renderSummary(
  findings: readonly ActionFinding[],
  total: number,
  ctx: SummaryContext,
  maxBytes = SUMMARY_LIMIT_BYTES,
): string {
  const scanned = `${markdownCell(ctx.description)}${ctx.commits !== undefined ? `, ${ctx.commits} commit(s)` : ""}`;
  const head: string[] = ["## leakgate", ""];
  for (const notice of ctx.notices ?? []) head.push(`> ${markdownCell(notice)}`, "");
  if (total === 0) {
    head.push(`No secrets found in ${scanned}.`, "");
    return head.join("\n");
  }
  head.push(
    `**${total} secret(s) found** in ${scanned}${ctx.failed ? "" : " (not failing: fail-on-findings is false)"}.`,
    "",
    "| Severity | Rule | Location | Commit | Preview |",
    "| --- | --- | --- | --- | --- |",
  );
  const rows = bySeverity(findings).map(
    (f) =>
      `| ${f.severity} | ${markdownCell(f.ruleName)} <sub>${markdownCell(f.ruleId)}</sub> | ${locationCell(f, ctx)} | ${commitCell(f, ctx)} | <code>${markdownCell(f.preview)}</code> |`,
  );
  const tail = HOW_TO_FIX.join("\n");
  const moreLine = (n: number) => `\n_…and ${n} more finding(s): see the SARIF file and the full list in the step log._\n`;
  let size = Buffer.byteLength(`${head.join("\n")}\n${tail}`) + Buffer.byteLength(moreLine(total));
  const kept: string[] = [];
  for (const row of rows) {
    const rowBytes = Buffer.byteLength(row) + 1;
    if (size + rowBytes > maxBytes) break;
    kept.push(row);
    size += rowBytes;
  }
  const more = total - kept.length;
  return `${head.join("\n")}\n${kept.join("\n")}${kept.length ? "\n" : ""}${more > 0 ? moreLine(more) : ""}${tail}`;
}

// ---------------------------------------------------------------------------------------------------
// Step outputs

/** `$GITHUB_OUTPUT` lines for `outputs`, each value in a heredoc block with a delimiter it cannot contain. */
export function outputLines(outputs: Readonly<Record<string, string>>, delimiter: string): string {
  let text = "";
  for (const [name, value] of Object.entries(outputs)) {
    if (value.includes(delimiter)) throw new Error(`output ${name} contains the delimiter`);
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  return text;
}
