#!/usr/bin/env node
/**
 * The hook entry point: `node dist/guard/bin.js --agent <agent>` is `leakgate guard --agent <agent>`
 * without loading commander and the other commands (a hook runs on every tool call, so start-up is
 * most of its cost). `guard install`, `guard uninstall` and `--help` go through the full CLI.
 */
import { fstatSync, writeSync } from "node:fs";
import { GuardArgsError, isAgent, parseGuardArgs } from "./args.js";
import { errorText } from "./message.js";
import { failClosedReply } from "./respond.js";
import { readAllStdin, runGuard } from "./run.js";

/**
 * Writes to fd 1 or 2 directly: creating `process.stdout` (a stream over the pipe) costs a few ms of
 * a hook's start-up. A pipe that is full and non-blocking gets the rest through the stream.
 */
function write(fd: 1 | 2, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
    (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(offset));
  }
}

/** Whether `fd` is a terminal (without loading node:tty). */
function isTerminal(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return false;
  }
}

async function run(argv: string[]): Promise<number> {
  if (argv.some((a) => a === "install" || a === "uninstall" || a === "-h" || a === "--help")) {
    const [{ main }, { processIO }] = await Promise.all([import("../cli/main.js"), import("../cli/io.js")]);
    return main(["guard", ...argv], processIO());
  }
  const io = {
    cwd: process.cwd(),
    stdout: (text: string) => write(1, text),
    stderr: (text: string) => write(2, text),
    readStdin: readAllStdin,
  };
  try {
    const options = parseGuardArgs(argv);
    if (isTerminal(0)) io.stderr("leakgate guard: reading one hook event (JSON) from stdin; end it with Ctrl-D\n");
    return await runGuard(options, io);
  } catch (error) {
    if (!(error instanceof GuardArgsError)) throw error;
    // A misconfigured hook still answers in the agent's contract when the agent is known: blocked.
    const agentAt = argv.indexOf("--agent");
    const agent = agentAt >= 0 ? argv[agentAt + 1] : argv.find((a) => a.startsWith("--agent="))?.slice(8);
    if (isAgent(agent)) {
      const reply = failClosedReply(agent, errorText(agent, error.message, false));
      if (reply.stdout) io.stdout(reply.stdout);
      if (reply.stderr) io.stderr(reply.stderr);
      return reply.exitCode;
    }
    io.stderr(`leakgate: error: ${error.message}\n`);
    return 2;
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`leakgate: internal error: ${(error as Error).message}\n`);
    process.exitCode = 2;
  },
);
