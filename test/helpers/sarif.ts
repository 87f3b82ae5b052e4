import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AjvDraft04 from "ajv-draft-04";
import type * as Sarif from "sarif";
import { expect } from "vitest";

const schemaPath = fileURLToPath(new URL("../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json", import.meta.url));
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));

// ajv-draft-04 is CommonJS (`module.exports = Ajv; exports.default = Ajv`): under NodeNext
// the default import is `module.exports`, whose `.default` is the class at runtime and in the types.
const Ajv = AjvDraft04.default;
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
// No ajv-formats here: give the schema's three formats real checks instead of ignoring them.
const URI_REFERENCE = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
ajv.addFormat("uri-reference", (s: string) => URI_REFERENCE.test(s));
ajv.addFormat("uri", (s: string) => URI_REFERENCE.test(s) && URL.canParse(s));
ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
const validate = ajv.compile(schema);

/** Throws with the schema errors unless `log` is valid SARIF 2.1.0. */
export function validateSarif(log: unknown): Sarif.Log {
  if (!validate(log)) throw new Error(`SARIF schema errors:\n${ajv.errorsText(validate.errors, { separator: "\n" })}`);
  return log as Sarif.Log;
}

export function onlyRun(log: Sarif.Log): Sarif.Run {
  expect(log.runs).toHaveLength(1);
  return log.runs[0]!;
}

export /** Checks GitHub code scanning's documented requirements and limits. */
function checkGitHubConstraints(log: Sarif.Log): void {
  expect(log.version).toBe("2.1.0");
  expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
  const run = onlyRun(log);
  expect(run.columnKind).toBe("utf16CodeUnits");
  expect(run.results!.length).toBeLessThanOrEqual(25_000);
  const rules = run.tool.driver.rules ?? [];
  expect(rules.length).toBeLessThanOrEqual(25_000);
  for (const rule of rules) {
    expect(rule.help?.text?.trim()).toBeTruthy();
    expect(rule.help?.markdown?.trim()).toBeTruthy();
    expect(rule.shortDescription?.text?.trim()).toBeTruthy();
    expect(rule.fullDescription?.text?.trim()).toBeTruthy();
    expect(rule.name).toMatch(/^\S+$/);
    const sev = rule.properties?.["security-severity"];
    expect(typeof sev).toBe("string");
    expect(sev).toMatch(/^\d+(\.\d+)?$/);
    expect(Number(sev)).toBeGreaterThan(0);
    expect(Number(sev)).toBeLessThanOrEqual(10);
    const tags = rule.properties?.tags ?? [];
    expect(tags.length).toBeLessThanOrEqual(10);
    expect(new Set(tags).size).toBe(tags.length);
    expect(tags.slice(0, 2)).toEqual(["security", "secret"]);
    expect(rule.properties?.precision).toBe("high");
  }
  for (const result of run.results ?? []) {
    expect(result.ruleIndex).toBeTypeOf("number");
    expect(rules[result.ruleIndex!]!.id).toBe(result.ruleId);
    expect(result.message.text?.trim()).toBeTruthy();
    expect(result.locations).toHaveLength(1);
    const phys = result.locations![0]!.physicalLocation!;
    const uri = phys.artifactLocation!.uri!;
    expect(uri).not.toMatch(/^\//);
    expect(uri).not.toMatch(/^file:/i);
    expect(uri).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
    expect(uri).not.toMatch(/[\s\\#?]/);
    expect(phys.artifactLocation!.uriBaseId).toBe("%SRCROOT%");
    expect(phys.region!.startLine).toBeGreaterThanOrEqual(1);
    expect(phys.region!.startColumn).toBeGreaterThanOrEqual(1);
    expect(result.partialFingerprints?.["leakgate/v1"]).toMatch(/^[a-z0-9._-]+:[0-9a-f]{64}:.+$/);
  }
}
