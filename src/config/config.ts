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
 * ```
 */
export interface LeakgateConfig {
  maxFileSize: number;
  rules: RuleDefinition[];
  disabledRules: string[];
  allowPaths: string[];
  allowValues: string[];
  /** Where the config came from, for --verbose. */
  source?: string;
}

export const DEFAULT_MAX_FILE_SIZE = 25 * 1024 * 1024;
export const CONFIG_FILE_NAMES = [".leakgate.yaml", ".leakgate.yml"];

const KNOWN_KEYS = new Set(["maxFileSize", "rules", "disabledRules", "allowlist"]);

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
