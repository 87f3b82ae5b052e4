import { homedir } from "node:os";
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { UsageError } from "../errors.js";
import { runGuard } from "../guard/run.js";
import { AGENTS, type AgentId, POLICIES, type Policy } from "../guard/types.js";
import { type CliIO, EXIT_CLEAN } from "./io.js";

interface GuardCommandOptions {
  agent?: AgentId;
  policy?: Policy;
  failOpen?: boolean;
  auditLog?: string | false;
  config?: string;
  event?: string;
}

interface InstallCommandOptions {
  agent?: AgentId;
  project?: boolean;
  user?: boolean;
  home?: string;
}

function agentOption(): Option {
  return new Option("--agent <agent>", "the coding agent").choices(AGENTS);
}

/**
 * `leakgate guard --agent <agent>`: a hook for coding agents (one event on stdin, the agent's answer
 * on stdout), plus `guard install` / `guard uninstall`. Hooks installed by `guard install` run the
 * lean entry `dist/guard/bin.js` with the same options, which skips loading this command tree.
 */
export function registerGuard(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const guard = program
    .command("guard")
    .description("agent hook: check one hook event (JSON on stdin) for secrets and answer in the agent's own contract")
    .addOption(agentOption())
    .addOption(
      new Option("--policy <policy>", "what to do with a secret (default: guard.policy in .leakgate.yaml, else block)").choices(POLICIES),
    )
    .option("--fail-open", "let the action through when the guard fails (malformed input, unknown event, error)")
    .option("--audit-log <file>", "append decisions here (default: guard.auditLog, else ~/.leakgate/guard-audit.jsonl)")
    .option("--no-audit-log", "keep no audit log")
    .option("-c, --config <file>", "configuration file (default: .leakgate.yaml in the event's directory or a parent)")
    .option("--event <name>", "the event name, for payloads that do not carry one (Copilot CLI)")
    .addHelpText(
      "after",
      "\nExit status follows the agent's contract: decisions are JSON on stdout (exit 0); when the guard cannot\n" +
        "decide it blocks with the agent's blocking exit code (2 for Claude Code, Codex, Gemini CLI, Cursor).",
    )
    .action(async (options: GuardCommandOptions) => {
      if (!options.agent) throw new UsageError(`--agent is required (${AGENTS.join(", ")})`);
      const code = await runGuard(
        {
          agent: options.agent,
          policy: options.policy,
          failOpen: options.failOpen,
          auditLog: options.auditLog,
          config: options.config,
          event: options.event,
        },
        { cwd: io.cwd, stdout: io.stdout, stderr: io.stderr, readStdin: io.readStdin },
      );
      setExit(code);
    });

  for (const verb of ["install", "uninstall"] as const) {
    guard
      .command(verb)
      .description(
        verb === "install"
          ? "add the guard's hooks to the agent's settings file (merged, idempotent)"
          : "remove the hooks `guard install` added, leaving everything else",
      )
      .addOption(agentOption())
      .option("--project", "the project's settings (default, except Codex)")
      .option("--user", "the user's settings in the home directory (default for Codex)")
      .option("--home <dir>", "home directory to use instead of the real one")
      .action(async (_options: InstallCommandOptions, command: Command) => {
        const options = command.optsWithGlobals() as InstallCommandOptions;
        if (!options.agent) throw new UsageError(`--agent is required (${AGENTS.join(", ")})`);
        if (options.project && options.user) throw new UsageError("--project and --user cannot be combined");
        const { describe, installHooks, uninstallHooks } = await import("../guard/install.js");
        const request = {
          agent: options.agent,
          scope: options.user ? ("user" as const) : options.project ? ("project" as const) : undefined,
          projectDir: io.cwd,
          home: options.home ? resolve(io.cwd, options.home) : (io.env.HOME ?? homedir()),
        };
        const result = verb === "install" ? installHooks(request) : uninstallHooks(request);
        io.stdout(describe(result, verb));
        setExit(EXIT_CLEAN);
      });
  }
}
