import { Command, CommanderError } from "commander";
import { regexEngineWarning } from "../engine/regex.js";
import { ConfigError, SourceError, UsageError } from "../errors.js";
import { type CliIO, EXIT_ERROR } from "./io.js";
import { toolVersion } from "./version.js";

type Register = (program: Command, io: CliIO, setExit: (code: number) => void) => void;

/**
 * Each command's module, loaded only when that command runs: a git or agent hook pays for its own
 * code, not for every command's (measured: importing all of them cost ~30 ms of a hook's start-up).
 */
const COMMANDS: Record<string, () => Promise<Register[]>> = {
  scan: async () => [(await import("./scan.js")).registerScan],
  baseline: async () => [(await import("./baseline.js")).registerBaseline],
  mcp: async () => [(await import("./mcp.js")).registerMcp],
  rules: async () => [(await import("./rules.js")).registerRules],
  staged: async () => [(await import("./staged.js")).registerStaged],
  diff: async () => [(await import("./diff.js")).registerDiff],
  prepush: async () => [(await import("./diff.js")).registerPrepush],
  history: async () => [(await import("./history.js")).registerHistory],
  hook: async () => [(await import("./hook.js")).registerHook],
  guard: async () => [(await import("./guard.js")).registerGuard],
  transcripts: async () => [(await import("./transcripts.js")).registerTranscripts],
  redact: async () => [(await import("./redact.js")).registerRedact],
};

/** The invoked command's registration, or every command's (for help, suggestions and unknown names). */
async function commandsFor(argv: readonly string[]): Promise<Register[]> {
  const name = argv.find((a) => !a.startsWith("-"));
  const load = name !== undefined && argv[0] === name ? COMMANDS[name] : undefined;
  if (load) return load();
  return (await Promise.all(Object.values(COMMANDS).map((l) => l()))).flat();
}

/**
 * The whole CLI as a function: parse `argv` (without `node` and the script), run the command,
 * return the exit code. 0 clean, 1 findings, 2 usage / config / runtime error (one line on stderr).
 */
export async function main(argv: string[], io: CliIO): Promise<number> {
  // `--version` needs no command module (scripts and hooks call it to probe the install).
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    io.stdout(`${toolVersion()}\n`);
    return 0;
  }
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
  for (const register of await commandsFor(argv)) register(program, io, setExit);
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
