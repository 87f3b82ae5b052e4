import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compileRegex } from "../engine/regex.js";
import { compileRule, RuleError } from "../engine/rules.js";
import type { RuleDefinition } from "../engine/types.js";
import { ConfigError } from "../errors.js";
import { loadBuiltinRules } from "./builtin-rules.js";
import { parseSize } from "./size.js";
import { yamlParse } from "./yaml.js";

/**
 * `.leakgate.yaml`:
 *
 * ```yaml
 * maxFileSize: 25MB          # files above this are skipped (warning in --verbose)
 * disabledRules: [jwt]       # built-in rule ids to turn off
 * rules:                     # custom rules, same fields as rules/*.yaml
 *   - { id: acme-key, name: ACME key, pattern: 'acme_[a-z0-9]{32}', keywords: [acme_] }
 * allowlist:
 *   paths: ['fixtures/**', '*.snap']   # gitignore syntax, relative to the scan root
 *   values: ['^AKIA0{16}$']            # RE2, matched against the secret
 * guard:                     # `leakgate guard` (agent hooks)
 *   policy: block            # block | redact | warn
 *   denyRead: ['secrets/**', '!.env.local']  # globs added to the built-in list; `!` re-allows
 *   auditLog: ~/.leakgate/guard-audit.jsonl  # or false
 *   failOpen: false
 * ```
 */
export interface LeakgateConfig {
  maxFileSize: number;
  rules: RuleDefinition[];
  disabledRules: string[];
  allowPaths: string[];
  allowValues: string[];
  /** The `guard:` section (agent hooks), when present. */
  guard?: GuardConfig;
  /** Where the config came from, for --verbose. */
  source?: string;
}

/** `guard:` in `.leakgate.yaml`: settings of `leakgate guard` (see src/guard/). */
export interface GuardConfig {
  policy?: "block" | "redact" | "warn";
  /** Globs of files an agent may not read; added after the built-in list, `!pattern` re-allows. */
  denyRead?: string[];
  /** Audit log path (`~` expands), or false to keep none. */
  auditLog?: string | false;
  failOpen?: boolean;
}

const GUARD_KEYS = new Set(["policy", "denyRead", "auditLog", "failOpen"]);

function parseGuardConfig(value: unknown, source: string): GuardConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ConfigError(`${source}: guard must be a mapping`);
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!GUARD_KEYS.has(key)) throw new ConfigError(`${source}: unknown key "guard.${key}" (known: ${[...GUARD_KEYS].join(", ")})`);
  }
  const guard: GuardConfig = {};
  if (raw.policy !== undefined && raw.policy !== null) {
    if (raw.policy !== "block" && raw.policy !== "redact" && raw.policy !== "warn") {
      throw new ConfigError(`${source}: guard.policy must be block, redact or warn`);
    }
    guard.policy = raw.policy;
  }
  if (raw.denyRead !== undefined) guard.denyRead = stringList(raw.denyRead, `${source}: guard.denyRead`);
  if (raw.auditLog !== undefined && raw.auditLog !== null) {
    if (raw.auditLog !== false && (typeof raw.auditLog !== "string" || raw.auditLog === "")) {
      throw new ConfigError(`${source}: guard.auditLog must be a path or false`);
    }
    guard.auditLog = raw.auditLog;
  }
  if (raw.failOpen !== undefined && raw.failOpen !== null) {
    if (typeof raw.failOpen !== "boolean") throw new ConfigError(`${source}: guard.failOpen must be true or false`);
    guard.failOpen = raw.failOpen;
  }
  return guard;
}

export const DEFAULT_MAX_FILE_SIZE = 25 * 1024 * 1024;
export const CONFIG_FILE_NAMES = [".leakgate.yaml", ".leakgate.yml"];

const KNOWN_KEYS = new Set(["maxFileSize", "rules", "disabledRules", "allowlist", "guard"]);

function stringList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new ConfigError(`${what} must be a list of strings`);
  }
  return value as string[];
}

export function parseConfig(text: string, source: string): LeakgateConfig {
  let doc: unknown;
  try {
    doc = yamlParse(text);
  } catch (error) {
    throw new ConfigError(`${source}: invalid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw new ConfigError(`${source}: expected a mapping at the top level`);
  const raw = doc as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) throw new ConfigError(`${source}: unknown key "${key}" (known: ${[...KNOWN_KEYS].join(", ")})`);
  }
  const allowlist = (raw.allowlist ?? {}) as Record<string, unknown>;
  if (typeof allowlist !== "object" || Array.isArray(allowlist)) throw new ConfigError(`${source}: allowlist must be a mapping`);
  const rules = raw.rules ?? [];
  if (!Array.isArray(rules)) throw new ConfigError(`${source}: rules must be a list`);
  const config: LeakgateConfig = {
    maxFileSize: raw.maxFileSize === undefined ? DEFAULT_MAX_FILE_SIZE : parseSize(raw.maxFileSize as string, `${source}: maxFileSize`),
    rules: rules as RuleDefinition[],
    disabledRules: stringList(raw.disabledRules, `${source}: disabledRules`),
    allowPaths: stringList(allowlist.paths, `${source}: allowlist.paths`),
    allowValues: stringList(allowlist.values, `${source}: allowlist.values`),
    source,
  };
  if (raw.guard !== undefined && raw.guard !== null) config.guard = parseGuardConfig(raw.guard, source);
  // Fail early, naming the rule, when a custom rule or allowlist value does not compile under RE2.
  for (const rule of config.rules) {
    try {
      compileRule(rule, `${source}: rule`);
    } catch (error) {
      if (error instanceof RuleError) throw new ConfigError(error.message);
      throw error;
    }
  }
  for (const value of config.allowValues) {
    try {
      compileRegex(value);
    } catch (error) {
      throw new ConfigError(`${source}: allowlist value ${JSON.stringify(value)} does not compile under RE2: ${(error as Error).message}`);
    }
  }
  return config;
}

export function defaultConfig(): LeakgateConfig {
  return { maxFileSize: DEFAULT_MAX_FILE_SIZE, rules: [], disabledRules: [], allowPaths: [], allowValues: [] };
}

/** Reads `--config FILE`, else `.leakgate.yaml` in `root`, else the defaults. */
export function loadConfig(explicitPath: string | undefined, root: string): LeakgateConfig {
  let path = explicitPath;
  if (!path) path = CONFIG_FILE_NAMES.map((n) => join(root, n)).find((p) => existsSync(p));
  if (!path) return defaultConfig();
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read config ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseConfig(text, path);
}

/** Built-in rules minus the disabled ones, plus the user's; a custom rule may replace a built-in by id. */
export function effectiveRules(config: LeakgateConfig): RuleDefinition[] {
  const builtin = loadBuiltinRules();
  const known = new Set(builtin.map((r) => r.id));
  for (const id of config.disabledRules) {
    if (!known.has(id) && !config.rules.some((r) => r.id === id)) {
      throw new ConfigError(`${config.source ?? "config"}: disabledRules names unknown rule "${id}"`);
    }
  }
  const disabled = new Set(config.disabledRules);
  const custom = new Map(config.rules.map((r) => [r.id, r]));
  const merged = builtin.filter((r) => !disabled.has(r.id) && !custom.has(r.id));
  return [...merged, ...config.rules.filter((r) => !disabled.has(r.id))];
}
