import type { Command } from "commander";
import type { CliIO } from "./io.js";
import { addGitScanOptions, emitGitReport, GIT_HINTS, type GitCommandOptions, gitCommandContext } from "./staged.js";

export function registerDiff(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command("diff")
    .description("scan the lines added by each commit of a range (pull requests, pushes); findings name the commit that added the secret")
    .argument("<range>", "<base>..<head>, <base>...<head> (commits since the merge base) or <base> (meaning <base>..HEAD)")
    .option("--squash", "scan only the net diff of the range, not each commit");
  addGitScanOptions(command).action(async (range: string, options: GitCommandOptions & { squash?: boolean }) => {
    const context = gitCommandContext(options, io);
    const { runDiffScan } = await import("../scan-git.js");
    const outcome = await runDiffScan({ ...context, range, squash: options.squash });
    setExit(emitGitReport(outcome, options, io, GIT_HINTS.diff));
  });
}

export function registerPrepush(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command("prepush")
    .description(
      "scan the commits a push is about to send: reads the pre-push hook's stdin (<local ref> <local sha> <remote ref> <remote sha>)",
    )
    .argument("[remote]", "remote name (passed by git to the pre-push hook; unused)")
    .argument("[url]", "remote URL (passed by git; unused)");
  addGitScanOptions(command).action(async (_remote: string | undefined, _url: string | undefined, options: GitCommandOptions) => {
    const context = gitCommandContext(options, io);
    // An interactive terminal has no pre-push lines to give: do not wait for them.
    const input = process.stdin.isTTY ? "" : (await io.readStdin()).toString("utf8");
    const { runPrepushScan } = await import("../scan-git.js");
    const outcome = await runPrepushScan({ ...context, input, env: io.env });
    setExit(emitGitReport(outcome, options, io, GIT_HINTS.prepush));
  });
}
