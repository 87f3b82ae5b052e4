import { Command, CommanderError } from "commander";
import { regexEngineWarning } from "../engine/regex.js";
import { ConfigError, SourceError, UsageError } from "../errors.js";
import { registerBaseline } from "./baseline.js";
import { registerDiff, registerPrepush } from "./diff.js";
import { registerGuard } from "./guard.js";
import { registerHistory } from "./history.js";
import { registerHook } from "./hook.js";
import { type CliIO, EXIT_ERROR } from "./io.js";
import { registerMcp } from "./mcp.js";
import { registerRedact } from "./redact.js";
import { registerRules } from "./rules.js";
import { registerScan } from "./scan.js";
import { registerStaged } from "./staged.js";
import { registerTranscripts } from "./transcripts.js";
import { toolVersion } from "./version.js";

/**
 * The whole CLI as a function: parse `argv` (without `node` and the script), run the command,
 * return the exit code. 0 clean, 1 findings, 2 usage / config / runtime error (one line on stderr).
 */
export async function main(argv: string[], io: CliIO): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command("leakgate")
    .description("Find credentials in files, diffs, agent transcripts and MCP configs before they land.")
    .version(toolVersion(), "-V, --version")
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerScan(program, io, setExit);
  registerBaseline(program, io, setExit);
  registerMcp(program, io, setExit);
  registerRules(program, io, setExit);
  registerStaged(program, io, setExit);
  registerDiff(program, io, setExit);
  registerPrepush(program, io, setExit);
  registerHistory(program, io, setExit);
  registerHook(program, io, setExit);
  registerGuard(program, io, setExit);
  registerTranscripts(program, io, setExit);
  registerRedact(program, io, setExit);
  for (const sub of program.commands) sub.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const warning = regexEngineWarning();
  if (warning) io.stderr(`leakgate: warning: ${warning}\n`);
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander has already printed its one-line usage error.
      return error.exitCode === 0 ? 0 : EXIT_ERROR;
    }
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof SourceError) {
      io.stderr(`leakgate: error: ${error.message}\n`);
      return EXIT_ERROR;
    }
    const detail = io.env.LEAKGATE_DEBUG ? `\n${(error as Error).stack}` : "";
    io.stderr(`leakgate: internal error: ${(error as Error).message ?? String(error)}${detail}\n`);
    return EXIT_ERROR;
  }
}
