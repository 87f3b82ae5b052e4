import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import { createBaseline, serializeBaseline } from "../filters/baseline.js";
import { DEFAULT_BASELINE_NAME, runScan } from "../scan.js";
import type { CliIO } from "./io.js";
import { EXIT_CLEAN } from "./io.js";
import { workerCount } from "./options.js";
import { loadCommandConfig } from "./output.js";
import { scanRoot } from "./scan.js";

export function registerBaseline(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const baseline = program.command("baseline").description("accept the current findings so only new ones are reported");
  baseline
    .command("create")
    .description(`scan and write every current finding to a baseline file (default ${DEFAULT_BASELINE_NAME})`)
    .argument("[paths...]", "files or directories to scan", ["."])
    .option("-o, --output <file>", "baseline file to write", DEFAULT_BASELINE_NAME)
    .option("-c, --config <file>", "configuration file")
    .option("--max-file-size <size>", "skip files larger than this")
    .option("--workers <n>", "worker threads")
    .action(async (paths: string[], options: { output: string; config?: string; maxFileSize?: string; workers?: string }) => {
      const root = scanRoot(paths, io);
      const config = loadCommandConfig(options, root, io);
      const outcome = await runScan({
        paths,
        cwd: io.cwd,
        root,
        config,
        noBaseline: true,
        readStdin: io.readStdin,
        workers: workerCount(options),
      });
      const target = resolve(io.cwd, options.output);
      try {
        writeFileSync(target, serializeBaseline(createBaseline(outcome.findings)));
      } catch (error) {
        throw new UsageError(`cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      io.stderr(`leakgate: baseline with ${createBaseline(outcome.findings).findings.length} entr(y/ies) written to ${options.output}\n`);
      setExit(EXIT_CLEAN);
    });
}
