import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { SourceError, UsageError } from "../errors.js";
import { gitMessage, gitRun } from "../sources/git/git.js";
import { type CliIO, EXIT_CLEAN } from "./io.js";

/** First line after the shebang of every hook leakgate writes: how it recognises its own. */
export const HOOK_MARKER = "# leakgate-managed-hook";
export const BACKUP_SUFFIX = ".leakgate-backup";

type HookName = "pre-commit" | "pre-push";

/** `'...'` for sh, with embedded single quotes escaped. */
function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The hook script. It runs this very CLI (absolute node + bin, as installed) and falls back to the
 * project's `npx leakgate` when that install moved; then chains to the hook it replaced, if any.
 */
export function hookScript(name: HookName, node: string, bin: string): string {
  const command = name === "pre-commit" ? "staged --quiet" : "prepush --quiet";
  const purpose =
    name === "pre-commit"
      ? "# Blocks a commit whose staged lines hold a secret. Skip once with: git commit --no-verify"
      : "# Blocks a push whose new commits add a secret. Skip once with: git push --no-verify";
  const runner = [
    "run_leakgate() {",
    `  if [ -x ${shQuote(node)} ] && [ -f ${shQuote(bin)} ]; then`,
    `    ${shQuote(node)} ${shQuote(bin)} "$@"`,
    "  elif command -v npx >/dev/null 2>&1; then",
    '    npx --no-install leakgate "$@"',
    "  else",
    '    echo "leakgate: not found (npm install --save-dev leakgate, or leakgate hook uninstall)" >&2',
    "    return 2",
    "  fi",
    "}",
    `previous="$(dirname "$0")/${name}${BACKUP_SUFFIX}"`,
  ];
  const body =
    name === "pre-commit"
      ? [`run_leakgate ${command} || exit $?`, 'if [ -x "$previous" ]; then exec "$previous" "$@"; fi']
      : [
          // git gives the refs on stdin: keep them for leakgate and for the chained hook.
          'input="$(cat)"',
          `printf '%s\\n' "$input" | run_leakgate ${command} "$@" || exit $?`,
          `if [ -x "$previous" ]; then printf '%s\\n' "$input" | "$previous" "$@"; exit $?; fi`,
        ];
  return [
    "#!/bin/sh",
    `${HOOK_MARKER}: written by \`leakgate hook install\`; \`leakgate hook uninstall\` removes it.`,
    purpose,
    ...runner,
    ...body,
    "",
  ].join("\n");
}

function isOurs(path: string): boolean {
  try {
    return readFileSync(path, "utf8").includes(HOOK_MARKER);
  } catch {
    return false;
  }
}

/** The hooks directory git uses for this repository (the common one in a linked worktree). */
function hooksDir(cwd: string): { dir: string; hooksPath?: string } {
  const configured = gitRun(["config", "--get", "core.hooksPath"], cwd);
  const hooksPath = configured.status === 0 ? configured.stdout.toString("utf8").trim() : undefined;
  const r = gitRun(["rev-parse", "--git-path", "hooks"], cwd);
  if (r.status !== 0) {
    const reason = gitMessage(r.stderr);
    throw new SourceError(/not a git repository/i.test(reason) ? `${cwd} is not inside a git repository` : reason);
  }
  return { dir: resolve(cwd, r.stdout.toString("utf8").trim()), hooksPath: hooksPath || undefined };
}

/** What to add to a hook manager's config when `core.hooksPath` is set. */
export function managerSnippet(name: HookName, hooksPath: string): string {
  const command = name === "pre-commit" ? "staged --quiet" : "prepush --quiet";
  const line = `npx --no-install leakgate ${command}`;
  // husky 9 points core.hooksPath at its generated `.husky/_`; the hooks users edit sit one level up.
  const userDir = basename(hooksPath) === "_" ? dirname(hooksPath) : hooksPath;
  return [
    `leakgate: core.hooksPath is set to ${hooksPath}: a hook manager (husky, lefthook, ...) owns the hooks, so nothing was written.`,
    `Add leakgate to its ${name} hook instead:`,
    "",
    `  husky      echo '${line}' >> ${join(userDir, name)}`,
    `  lefthook   lefthook.yml:  ${name}: { commands: { leakgate: { run: npx --no-install leakgate ${command}${name === "pre-push" ? ", use_stdin: true" : ""} } } }`,
    `  other      run \`${line}\` from its ${name} hook${name === "pre-push" ? " with git's stdin" : ""}`,
    "",
  ].join("\n");
}

function display(path: string, cwd: string): string {
  const r = relative(cwd, path);
  return r && !r.startsWith("..") ? r : path;
}

export function registerHook(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const hook = program.command("hook").description("install or remove the git hook that runs leakgate (pre-commit, or pre-push)");

  hook
    .command("install")
    .description("write .git/hooks/pre-commit running `leakgate staged` (with --pre-push: .git/hooks/pre-push running `leakgate prepush`)")
    .option("--pre-push", "install the pre-push hook instead (scans the commits about to be pushed)")
    .option("--force", "replace a hook leakgate did not write: it is kept as <hook>.leakgate-backup and still runs after leakgate")
    .action((options: { prePush?: boolean; force?: boolean }) => {
      const name: HookName = options.prePush ? "pre-push" : "pre-commit";
      const { dir, hooksPath } = hooksDir(io.cwd);
      if (hooksPath) {
        io.stdout(managerSnippet(name, hooksPath));
        setExit(EXIT_CLEAN);
        return;
      }
      const file = join(dir, name);
      const backup = `${file}${BACKUP_SUFFIX}`;
      const shown = display(file, io.cwd);
      if (existsSync(file) && !isOurs(file)) {
        if (!options.force) {
          throw new UsageError(
            `${shown} already exists and was not written by leakgate; re-run with --force to keep it as ${name}${BACKUP_SUFFIX} and run it after leakgate`,
          );
        }
        if (existsSync(backup)) throw new UsageError(`${display(backup, io.cwd)} already exists; move it away first`);
        renameSync(file, backup);
      }
      const chained = existsSync(backup);
      mkdirSync(dir, { recursive: true });
      const bin = fileURLToPath(new URL("./bin.js", import.meta.url));
      try {
        writeFileSync(file, hookScript(name, process.execPath, bin));
        chmodSync(file, 0o755);
      } catch (error) {
        throw new UsageError(`cannot write ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const what = name === "pre-commit" ? "leakgate staged before each commit" : "leakgate prepush before each push";
      io.stdout(
        `leakgate: installed ${shown} (runs ${what}${chained ? `, then the previous hook kept as ${name}${BACKUP_SUFFIX}` : ""})\n`,
      );
      setExit(EXIT_CLEAN);
    });

  hook
    .command("uninstall")
    .description("remove the hook leakgate installed and restore the one it replaced, if any")
    .option("--pre-push", "remove the pre-push hook instead")
    .action((options: { prePush?: boolean }) => {
      const name: HookName = options.prePush ? "pre-push" : "pre-commit";
      const { dir, hooksPath } = hooksDir(io.cwd);
      setExit(EXIT_CLEAN);
      if (hooksPath) {
        io.stdout(`leakgate: core.hooksPath is set to ${hooksPath}; remove leakgate from that hook manager's ${name} hook\n`);
        return;
      }
      const file = join(dir, name);
      const backup = `${file}${BACKUP_SUFFIX}`;
      const shown = display(file, io.cwd);
      if (!existsSync(file)) {
        io.stdout(`leakgate: no ${name} hook installed; nothing to do\n`);
        return;
      }
      if (!isOurs(file)) {
        io.stdout(`leakgate: ${shown} was not written by leakgate; left as it is\n`);
        return;
      }
      if (existsSync(backup)) {
        renameSync(backup, file);
        io.stdout(`leakgate: removed the leakgate hook and restored the previous ${shown}\n`);
      } else {
        unlinkSync(file);
        io.stdout(`leakgate: removed ${shown}\n`);
      }
    });
}
