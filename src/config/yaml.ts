import { createRequire } from "node:module";

/** `yaml` is loaded only when a YAML file is actually read (start-up matters for hooks). */
export function yamlParse(text: string): unknown {
  return (createRequire(import.meta.url)("yaml") as typeof import("yaml")).parse(text);
}
