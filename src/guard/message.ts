/**
 * The text an agent and its user read when the guard steps in: the rule and the redacted preview of
 * each secret (never the secret), and what to do instead.
 */
import { formatKeys } from "./deny-read.js";
import type { Action, DeniedRead, GuardFinding, NormalizedEvent } from "./types.js";

const MAX_LISTED = 10;

const INSTEAD =
  "Do not put credentials in code, commands or prompts: reference them instead, by environment variable " +
  "(process.env.NAME, os.environ['NAME'], $NAME, ${NAME}) or through a secret manager (1Password op://..., " +
  "Vault, AWS/GCP/Azure secret managers), and keep the value itself in an untracked .env file or the manager.";

const FALSE_POSITIVE =
  "If this is not a real secret, add `leakgate:allow` in a comment on that line, or an allowlist entry in .leakgate.yaml.";

/** `Write to src/app.ts`, `Bash command`, `prompt`, `Read output`. */
export function subject(event: NormalizedEvent, file?: string): string {
  if (event.kind === "prompt") return "prompt";
  const tool = event.tool ?? "tool";
  if (event.kind === "post-tool") return `${tool} output`;
  if (/^(?:shell|bash|run_shell_command|local_shell|exec_command|powershell)$/i.test(tool)) return `${tool} command`;
  return file ? `${tool} of ${file}` : `${tool} call`;
}

export function findingLines(findings: readonly GuardFinding[]): string[] {
  // One line per distinct secret (the same one can sit in several strings).
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const key = `${f.ruleId}\0${f.fingerprint.split(":")[1] ?? f.fingerprint}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const lines = unique.slice(0, MAX_LISTED).map((f) => {
    const where = f.file ? `${f.file}:${f.line}` : `${f.location}${f.line > 1 ? `, line ${f.line}` : ""}`;
    return `  - ${f.ruleName} (${f.ruleId}): ${f.preview} in ${where}${f.decoded ? " (encoded)" : ""}`;
  });
  if (unique.length > MAX_LISTED) lines.push(`  - ...and ${unique.length - MAX_LISTED} more`);
  return lines;
}

function countSecrets(findings: readonly GuardFinding[]): string {
  const n = new Set(findings.map((f) => f.fingerprint.split(":")[1] ?? f.fingerprint)).size;
  return n === 1 ? "a secret" : `${n} secrets`;
}

export function deniedReadLines(denied: readonly DeniedRead[]): string[] {
  const lines: string[] = [];
  for (const d of denied) {
    const how = d.via === "shell" ? "this command would print" : d.via === "attachment" ? "the attachment" : "reading";
    lines.push(`${how} ${d.path} is not allowed: it is a credential file (guard.denyRead "${d.pattern}").`);
    if (d.keys?.length) {
      lines.push(`  It defines these ${d.keyKind ?? "keys"} (names only): ${formatKeys(d.keys)}.`);
    } else if (d.keys) lines.push("  It defines no keys leakgate could name.");
    else lines.push("  (its key names could not be read)");
  }
  if (denied.length) {
    const example = denied.find((d) => d.keys?.length && d.keyKind === "variables")?.keys?.[0];
    lines.push(
      example
        ? `Use these values by name without reading them: the program reads them at run time (process.env.${example}, $${example}); ask the user to set or check a value.`
        : "Use the credentials by reference without reading them (an environment variable, the tool's own credential lookup); ask the user to set or check a value.",
    );
    lines.push(`To allow a file, add "!<path>" to guard.denyRead in .leakgate.yaml.`);
  }
  return lines;
}

/** The reason for a decision about findings and denied reads. */
export function reasonText(
  event: NormalizedEvent,
  action: Action,
  findings: readonly GuardFinding[],
  denied: readonly DeniedRead[],
): string {
  const what = subject(event, findings.find((f) => f.file)?.file);
  const lines: string[] = [];
  if (denied.length) {
    lines.push(action === "warn" ? "leakgate warning (policy warn, allowed):" : "leakgate blocked this action:");
    lines.push(...deniedReadLines(denied));
  }
  if (findings.length) {
    const secrets = countSecrets(findings);
    if (action === "redact") lines.push(`leakgate redacted ${secrets} from the ${what} before the model sees it:`);
    else if (action === "warn") lines.push(`leakgate warning (policy warn, allowed): the ${what} holds ${secrets}:`);
    else if (event.kind === "post-tool") lines.push(`leakgate withheld the ${what}: it holds ${secrets}:`);
    else if (event.kind === "prompt") lines.push(`leakgate blocked this prompt: it holds ${secrets}; the prompt was not sent:`);
    else lines.push(`leakgate blocked this ${what}: it holds ${secrets}:`);
    lines.push(...findingLines(findings));
    if (event.kind === "post-tool" && action !== "warn") {
      lines.push(
        "The secret is already in that file or output: read the value at run time from an environment variable or a secret manager instead of printing it, and rotate it if it was exposed.",
      );
    } else lines.push(INSTEAD);
    lines.push(FALSE_POSITIVE);
  }
  return lines.join("\n");
}

/** The reason when the guard itself could not decide (fail closed). */
export function errorText(agent: string, error: string, failOpen: boolean): string {
  return failOpen
    ? `leakgate guard could not check this action and let it through (--fail-open): ${error}`
    : `leakgate guard blocked this action because it could not check it: ${error}. ` +
        `Reproduce with: leakgate guard --agent ${agent} < event.json (pass --fail-open to let actions through when the guard fails).`;
}
