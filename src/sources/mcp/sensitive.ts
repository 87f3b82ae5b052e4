/**
 * "Sensitive name + literal value" decisions shared by MCP configs and .env files. The thresholds
 * (entropy, allowed values, excluded names) come from the rule the finding is reported under
 * (`rules/mcp.yaml`, `rules/dotenv.yaml`), so a user can tune or disable them like any rule.
 */
import { shannonEntropy } from "../../engine/entropy.js";
import { isPlaceholder } from "../../engine/placeholder.js";
import type { CompiledRule } from "../../engine/rules.js";

/** `*TOKEN*`, `*KEY*`, `*SECRET*`, `*PASSWORD*`, `*PASS*`, `*PWD*`, `Authorization`, `*CREDENTIAL*`, `AUTH` as a word. */
const SENSITIVE_NAME = /token|key|secret|pass|pwd|credential|authorization|(?:^|[^a-z])auth(?:$|[^a-z])/i;
const PASSWORD_NAME = /pass|pwd/i;

/** True when `name` says it holds a credential and the rule's `allowMatch` does not exclude it. */
export function isSensitiveName(name: string, rule: CompiledRule): boolean {
  if (!SENSITIVE_NAME.test(name)) return false;
  const context = `${name}=`;
  return !rule.allowMatch.some((a) => a.test(context));
}

/** `Bearer`, `Basic`, `Token`... in front of a credential (Authorization-style values). */
const AUTH_SCHEME = /^(?:bearer|basic|token|bot|apikey|api-key|key|sso-key|digest)\s+/i;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;
const PATH_LIKE = /^(?:\.{0,2}\/|~[/\\]|[A-Za-z]:[\\/]|\\\\)/;
const NOT_SECRET_WORD = /^(?:true|false|yes|no|on|off|null|none|nil|undefined|enabled|disabled)$/i;
const NUMBER = /^[-+]?\d+(?:\.\d+)?$/;

export function looksLikeUrl(value: string): boolean {
  return URL_LIKE.test(value.trim());
}

/** Shortest literal reported: passwords are often shorter than API keys. */
export function minimumLength(name: string): number {
  return PASSWORD_NAME.test(name) ? 8 : 12;
}

/**
 * The span `[start, end)` of `value` holding a literal credential, or undefined when the value is a
 * reference (`${VAR}`, `${env:X}`, `${input:x}`, `$VAR`, `%VAR%`, `op://…`, `${{ secrets.X }}`), a
 * placeholder, a URL or path, a boolean or number, or has too little entropy for `rule`.
 */
export function literalSpan(value: string, name: string, rule: CompiledRule): { start: number; end: number } | undefined {
  let start = value.length - value.trimStart().length;
  const end = value.trimEnd().length;
  if (end <= start) return undefined;
  const scheme = AUTH_SCHEME.exec(value.slice(start, end));
  if (scheme) start += scheme[0].length;
  const secret = value.slice(start, end);
  if (!isLiteralCredential(secret, name, rule)) return undefined;
  return { start, end };
}

/** The checks of `literalSpan` on an already isolated candidate. */
export function isLiteralCredential(secret: string, name: string, rule: CompiledRule): boolean {
  if (secret.length < minimumLength(name)) return false;
  if (secret.length > (rule.def.maxLength ?? 256)) return false;
  if (/\s/.test(secret)) return false;
  if (URL_LIKE.test(secret) || PATH_LIKE.test(secret) || NOT_SECRET_WORD.test(secret) || NUMBER.test(secret)) return false;
  if (isPlaceholder(secret)) return false;
  if (shannonEntropy(secret) < rule.entropy) return false;
  return !rule.allow.some((a) => a.test(secret));
}
