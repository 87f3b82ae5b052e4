// Build step: parse rules/*.yaml once and write dist/rules.json, so the CLI starts without a YAML
// parse (start-up matters for git and agent hooks). Examples and negatives are test data: left out.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";

const dir = new URL("../rules/", import.meta.url);
const rules = [];
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort()) {
  const doc = parse(readFileSync(new URL(file, dir), "utf8"));
  for (const { examples, negatives, ...rule } of doc.rules ?? []) rules.push(rule);
}
mkdirSync(new URL("../dist/", import.meta.url), { recursive: true });
writeFileSync(new URL("../dist/rules.json", import.meta.url), JSON.stringify(rules));
console.log(`bundled ${rules.length} rules into dist/rules.json`);

// tsc writes files without the executable bit; `npx leakgate` in this checkout runs the bin directly.
for (const bin of ["../dist/cli/bin.js", "../dist/guard/bin.js"]) {
  const url = new URL(bin, import.meta.url);
  if (existsSync(url)) chmodSync(url, 0o755);
}
