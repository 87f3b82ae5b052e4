import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RuleDefinition } from "../engine/types.js";
import { ConfigError } from "../errors.js";
import { yamlParse } from "./yaml.js";

/** `rules/` ships next to `dist/` in the package. */
export const BUILTIN_RULES_DIR = fileURLToPath(new URL("../../rules/", import.meta.url));

export interface RuleFile {
  family: string;
  rules: RuleDefinition[];
}

export function readRuleFile(path: string): RuleFile {
  let doc: unknown;
  try {
    doc = yamlParse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`cannot read rule file ${path}: ${(error as Error).message.split("\n")[0]}`);
  }
  const file = doc as Partial<RuleFile> | null;
  if (!file || !Array.isArray(file.rules)) throw new ConfigError(`rule file ${path} has no "rules:" list`);
  return { family: String(file.family ?? ""), rules: file.rules };
}

let cache: RuleDefinition[] | undefined;

/** Written by `npm run build` (scripts/bundle-rules.mjs): the catalog as JSON, without test examples. */
const BUNDLE = fileURLToPath(new URL("../rules.json", import.meta.url));

/** Every built-in rule, in file-name order then file order (stable, so ties resolve the same way). */
export function loadBuiltinRules(dir = BUILTIN_RULES_DIR): RuleDefinition[] {
  if (dir === BUILTIN_RULES_DIR && cache) return cache;
  if (dir === BUILTIN_RULES_DIR && existsSync(BUNDLE)) {
    cache = JSON.parse(readFileSync(BUNDLE, "utf8")) as RuleDefinition[];
    return cache;
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  const rules = files.flatMap((f) => readRuleFile(`${dir}/${f}`).rules);
  if (dir === BUILTIN_RULES_DIR) cache = rules;
  return rules;
}
