import type { Command } from "commander";
import { effectiveRules } from "../config/config.js";
import type { CliIO } from "./io.js";
import { EXIT_CLEAN } from "./io.js";
import { loadCommandConfig } from "./output.js";

export function registerRules(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command("rules")
    .description("list the rules in effect (built-in plus the config's)")
    .option("-c, --config <file>", "configuration file")
    .option("--json", "print as JSON")
    .action((options: { config?: string; json?: boolean }) => {
      const rules = effectiveRules(loadCommandConfig(options, io.cwd, io));
      if (options.json) {
        const list = rules.map((r) => ({ id: r.id, name: r.name, severity: r.severity ?? "high", keywords: r.keywords ?? [] }));
        io.stdout(`${JSON.stringify(list, null, 2)}\n`);
      } else {
        for (const r of rules) io.stdout(`${r.id.padEnd(40)} ${(r.severity ?? "high").padEnd(9)} ${r.name}\n`);
        io.stdout(`${rules.length} rules\n`);
      }
      setExit(EXIT_CLEAN);
    });
}
