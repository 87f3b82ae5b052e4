import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readInputs } from "../../src/action/plan.js";
import { STEP_OUTPUTS } from "../../src/action/runner.js";
import { ROOT } from "../helpers/cli.js";

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  with?: Record<string, string | number>;
  env?: Record<string, string>;
  "working-directory"?: string;
}

interface ActionYml {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

const text = readFileSync(join(ROOT, "action.yml"), "utf8");
const action = parse(text) as ActionYml;
const steps = action.runs.steps;
const step = (id: string) => steps.find((s) => s.id === id)!;

/** Every `${{ <prefix>.<name> }}`-style reference in `source`. */
function references(source: string, prefix: string): Set<string> {
  const names = new Set<string>();
  const pattern = new RegExp(`${prefix.replace(/\./g, "\\.")}\\.([A-Za-z0-9_-]+)`, "g");
  for (const expression of source.match(/\$\{\{[^}]*\}\}/g) ?? []) for (const m of expression.matchAll(pattern)) names.add(m[1]!);
  return names;
}
function ifReferences(prefix: string): Set<string> {
  const names = new Set<string>();
  const pattern = new RegExp(`${prefix.replace(/\./g, "\\.")}\\.([A-Za-z0-9_-]+)`, "g");
  for (const s of steps) for (const m of (s.if ?? "").matchAll(pattern)) names.add(m[1]!);
  return names;
}

describe("action.yml", () => {
  it("is a composite action with the documented inputs and defaults", () => {
    expect(action.name).toBeTruthy();
    expect(action.description).toBeTruthy();
    expect(action.runs.using).toBe("composite");
    const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default]));
    expect(defaults).toEqual({
      mode: "auto",
      config: "",
      baseline: "",
      args: "",
      "sarif-file": "leakgate.sarif",
      "fail-on-findings": "true",
      "upload-sarif": "false",
      token: "${{ github.token }}",
      version: "",
      "working-directory": ".",
    });
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description?.trim(), name).toBeTruthy();
      expect(input.required ?? false, name).toBe(false);
    }
  });

  it("declares every input it uses and uses every input it declares", () => {
    const used = references(text, "inputs");
    expect([...used].sort()).toEqual(Object.keys(action.inputs).sort());
  });

  it("passes each runner input to the scan step, under the name the runner reads", () => {
    const env = step("scan").env!;
    const runnerInputs = Object.keys(action.inputs).filter((name) => name !== "token" && name !== "version");
    for (const name of runnerInputs) {
      expect(env[`INPUT_${name.toUpperCase().replace(/-/g, "_")}`], name).toBe(`\${{ inputs.${name} }}`);
    }
    // The defaults of action.yml and of the runner agree.
    const fromDefaults = Object.fromEntries(
      runnerInputs.map((name) => [`INPUT_${name.toUpperCase().replace(/-/g, "_")}`, action.inputs[name]!.default ?? ""]),
    );
    expect(readInputs(fromDefaults)).toEqual(readInputs({}));
    // Findings must not fail the scan step itself, or the upload would be skipped.
    expect(env.LEAKGATE_ACTION_DEFER_EXIT).toBe("true");
    expect(env.LEAKGATE_CLI).toBe("${{ steps.install.outputs.cli }}");
  });

  it("reads only step outputs the runner writes, and exposes findings and sarif-file", () => {
    const used = new Set([...references(text, "steps.scan.outputs"), ...ifReferences("steps.scan.outputs")]);
    expect(used.size).toBeGreaterThan(0);
    for (const name of used) expect(STEP_OUTPUTS as readonly string[], name).toContain(name);
    expect(action.outputs.findings!.value).toBe("${{ steps.scan.outputs.findings }}");
    expect(action.outputs["sarif-file"]!.value).toBe("${{ steps.scan.outputs.sarif-file }}");
    for (const [name, output] of Object.entries(action.outputs)) expect(output.description?.trim(), name).toBeTruthy();
  });

  it("sets up Node 24, installs from the action's directory, runs the built runner", () => {
    const setup = steps[0]!;
    expect(setup.uses).toBe("actions/setup-node@v4");
    expect(String(setup.with!["node-version"])).toBe("24");

    const install = step("install");
    expect(install["working-directory"]).toBe("${{ github.action_path }}");
    expect(install.run).toMatch(/npm ci\b/);
    expect(install.run).toMatch(/npm install .*"leakgate@\$LEAKGATE_VERSION"/);
    expect(install.env!.LEAKGATE_VERSION).toBe("${{ inputs.version }}");
    // The files the install relies on exist in this repository.
    expect(existsSync(join(ROOT, "package-lock.json"))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.scripts.build).toBeTruthy();
    expect(pkg.scripts.prepare).toBe("npm run build");

    const scan = step("scan");
    const script = /node "\$GITHUB_ACTION_PATH\/(dist\/action\/run\.js)"/.exec(scan.run ?? "");
    expect(script, scan.run).not.toBeNull();
    expect(existsSync(join(ROOT, "src", "action", "run.ts"))).toBe(true);
    expect(existsSync(join(ROOT, script![1]!))).toBe(true); // built by `npm run build`
  });

  it("uploads SARIF only when the runner allows it, and fails the job last", () => {
    const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))!;
    expect(upload.uses).toBe("github/codeql-action/upload-sarif@v4");
    expect(upload.if).toMatch(/steps\.scan\.outputs\.upload == 'true'/);
    expect(upload.if).toMatch(/!cancelled\(\)/);
    expect(upload.with).toMatchObject({
      sarif_file: "${{ steps.scan.outputs.sarif-file }}",
      category: "${{ steps.scan.outputs.category }}",
      ref: "${{ steps.scan.outputs.upload-ref }}",
      sha: "${{ steps.scan.outputs.upload-sha }}",
      token: "${{ inputs.token }}",
    });
    const last = steps.at(-1)!;
    expect(last.if).toMatch(/steps\.scan\.outputs\.exit-code == '1'/);
    expect(last.run).toMatch(/exit 1/);
    expect(steps.indexOf(upload)).toBeLessThan(steps.length - 1);
  });

  it("has run scripts that bash can parse", () => {
    for (const s of steps.filter((x) => x.run !== undefined)) {
      const r = spawnSync("bash", ["-n"], { input: s.run });
      expect(r.status, `${s.name}: ${r.stderr}`).toBe(0);
    }
  });

  it("gives every run step a shell and never expands an input inside a script", () => {
    for (const s of steps.filter((x) => x.run !== undefined)) {
      expect(s.shell, s.name).toBe("bash");
      // Inputs reach scripts through env only (no script injection through ${{ }} in run:).
      expect(s.run, s.name).not.toMatch(/\$\{\{/);
    }
  });
});
