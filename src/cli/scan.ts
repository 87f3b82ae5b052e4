import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { runScan } from "../scan.js";
import type { CliIO } from "./io.js";
import { addReportOptions, addScanOptions, type ScanCommandOptions, workerCount } from "./options.js";
import { checkFormat, emitReport, loadCommandConfig } from "./output.js";

/** The directory holding `.leakgate.yaml`, `.leakgateignore` and the default baseline: the first path if it is a directory. */
export function scanRoot(paths: string[], io: CliIO): string {
  const first = paths.find((p) => p !== "-");
  if (first) {
    const abs = resolve(io.cwd, first);
    try {
      if (statSync(abs).isDirectory()) return abs;
    } catch {
      // Reported by the file source with a clear message.
    }
  }
  return io.cwd;
}

export function registerScan(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command("scan")
    .description("scan files and directories (in a git work tree: tracked and untracked non-ignored files); '-' reads stdin")
    .argument("[paths...]", "files or directories to scan, '-' for stdin", ["."]);
  addScanOptions(addReportOptions(command)).action(async (paths: string[], options: ScanCommandOptions) => {
    checkFormat(options.format);
    const root = scanRoot(paths, io);
    const config = loadCommandConfig(options, root, io);
    const outcome = await runScan({
      paths,
      cwd: io.cwd,
      root,
      config,
      baselinePath: options.baseline ? resolve(io.cwd, options.baseline) : undefined,
      readStdin: io.readStdin,
      workers: workerCount(options),
      detectorOptions: { decode: options.decode },
    });
    setExit(emitReport(outcome, options, io));
  });
}
