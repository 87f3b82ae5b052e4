// Recall and false positives on ../shared/peer-corpus (other scanners' public rule examples).
// Recall: share of distinct `secret` texts with recall_tier core that yield at least one finding.
// False positives: share of distinct `clean` texts with clean_class strict that yield any finding.
// The corpus is read in place and never copied into this repository.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = resolve(process.env.LEAKGATE_CORPUS ?? join(here, "..", "..", "shared", "peer-corpus"));
if (!existsSync(corpusDir)) {
  console.error(`bench:corpus: no corpus at ${corpusDir} (set LEAKGATE_CORPUS)`);
  process.exit(2);
}
const { createScanner } = await import("../dist/api.js");
const scanner = createScanner();

const secrets = new Map(); // text -> record
const cleans = new Map();
for (const file of readdirSync(corpusDir).filter((f) => f.endsWith(".jsonl"))) {
  for (const line of readFileSync(join(corpusDir, file), "utf8").split("\n")) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    if (r.expect === "secret" && r.meta?.recall_tier === "core" && !secrets.has(r.text)) secrets.set(r.text, r);
    if (r.expect === "clean" && r.meta?.clean_class === "strict" && !cleans.has(r.text)) cleans.set(r.text, r);
  }
}

const started = performance.now();
const missed = [];
const byFamily = new Map();
for (const [text, r] of secrets) {
  const found = scanner.scanBuffer(Buffer.from(text, "utf8"), "corpus.txt").length > 0;
  const fam = r.meta.family ?? "?";
  const f = byFamily.get(fam) ?? { total: 0, found: 0 };
  f.total++;
  if (found) f.found++;
  else missed.push(r);
  byFamily.set(fam, f);
}
const falsePositives = [];
for (const [text, r] of cleans) {
  const findings = scanner.scanBuffer(Buffer.from(text, "utf8"), "corpus.txt");
  if (findings.length) falsePositives.push({ r, rules: findings.map((f) => f.ruleId) });
}
const ms = performance.now() - started;

const recall = (secrets.size - missed.length) / secrets.size;
const fpRate = falsePositives.length / cleans.size;
if (process.argv.includes("--details")) {
  const worst = [...byFamily].filter(([, f]) => f.found < f.total).sort((a, b) => b[1].total - b[1].found - (a[1].total - a[1].found));
  console.log("families with misses (missed/total):");
  for (const [fam, f] of worst.slice(0, 60)) console.log(`  ${fam}: ${f.total - f.found}/${f.total}`);
  console.log("false positives:");
  for (const { r, rules } of falsePositives) console.log(`  [${rules.join(",")}] ${r.rule_id}: ${JSON.stringify(r.text.slice(0, 140))}`);
}
if (process.argv.includes("--missed")) {
  writeFileSync(join(here, ".cache-missed.jsonl"), missed.map((r) => JSON.stringify(r)).join("\n"));
  console.log(`missed records written to bench/.cache-missed.jsonl`);
}
console.log(`corpus: ${corpusDir}`);
console.log(
  `recall_core=${(recall * 100).toFixed(1)}% (${secrets.size - missed.length}/${secrets.size} distinct core secret texts) target >= 90%: ${recall >= 0.9 ? "PASS" : "FAIL"}`,
);
console.log(
  `false_positive_strict=${(fpRate * 100).toFixed(1)}% (${falsePositives.length}/${cleans.size} distinct strict clean texts) target <= 3%: ${fpRate <= 0.03 ? "PASS" : "FAIL"}`,
);
console.log(`time=${ms.toFixed(0)} ms`);
