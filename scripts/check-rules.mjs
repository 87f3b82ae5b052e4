// Checks rules/*.yaml for rule authors with the real detector (run `npm run build` first):
// every pattern compiles under RE2, every example yields a finding of its rule, no negative does.
// `npm test` runs the same checks (test/rules.test.ts).
import { readdirSync } from "node:fs";

const { Detector } = await import("../dist/engine/detector.js");
const { readRuleFile, BUILTIN_RULES_DIR } = await import("../dist/config/builtin-rules.js");
const { expandTemplates } = await import("../dist/engine/templates.js");

const files = process.argv.slice(2).length
  ? process.argv.slice(2).map((f) => f.replace(/^.*\//, ""))
  : readdirSync(BUILTIN_RULES_DIR).filter((f) => f.endsWith(".yaml"));
const ids = new Set();
let problems = 0;
let count = 0;
for (const f of files) {
  let rules;
  try {
    rules = readRuleFile(`${BUILTIN_RULES_DIR}/${f}`).rules;
  } catch (e) {
    console.log(`${f}: ${e.message}`);
    problems++;
    continue;
  }
  for (const rule of rules) {
    count++;
    const bad = (msg) => {
      problems++;
      console.log(`${f} ${rule.id}: ${msg}`);
    };
    if (ids.has(rule.id)) bad("duplicate id");
    ids.add(rule.id);
    for (const k of ["id", "name", "pattern", "remediation"]) if (!rule[k]) bad(`missing ${k}`);
    if (!rule.examples?.length) bad("no examples");
    let detector;
    try {
      detector = new Detector([rule], { decode: false });
    } catch (e) {
      bad(e.message);
      continue;
    }
    const hits = (text) => detector.detect({ bytes: Buffer.from(text), origin: { path: "x" } }).filter((x) => x.ruleId === rule.id);
    for (const ex of rule.examples || []) {
      const t = expandTemplates(ex);
      if (!hits(t).length) bad(`example not found: ${t.slice(0, 100)}`);
      // Lower-case keywords match in any case; a keyword written with capitals matches exactly.
      const has = (k) => (k === k.toLowerCase() ? t.toLowerCase().includes(k) : t.includes(k));
      if (rule.keywords?.length && !rule.keywords.some(has)) bad(`example lacks every keyword: ${t.slice(0, 60)}`);
    }
    for (const ng of rule.negatives || []) if (hits(expandTemplates(ng)).length) bad(`negative matched: ${ng.slice(0, 100)}`);
  }
}
console.log(`${count} rules in ${files.length} files, ${problems} problems`);
process.exit(problems ? 1 : 0);
