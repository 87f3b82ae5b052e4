/**
 * Credential files an agent should not read into its context: matched by path before the read, so
 * the values never reach the model, the transcript or the provider. The message lists the names the
 * file defines (variable names, INI keys, PEM block labels) so the agent can refer to them instead.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { basename, isAbsolute, join, resolve } from "node:path";
import type { PathPolicy } from "./glob.js";
import type { DeniedRead, ReadIntent } from "./types.js";

/** Built-in `guard.denyRead`; the user's patterns come after, so `!pattern` can re-allow. */
export const DEFAULT_DENY_READ: readonly string[] = [
  "**/*.env",
  "**/.env",
  "**/.env.*",
  "!**/.env.example",
  "!**/.env.*.example",
  "!**/.env.sample",
  "!**/.env.template",
  "!**/.env.dist",
  "!**/.env.defaults",
  "!**/.env.schema",
  "**/*.pem",
  "**/*.key",
  "**/*.p12",
  "**/*.pfx",
  "**/*.keystore",
  "**/*.jks",
  "**/id_rsa*",
  "**/id_dsa*",
  "**/id_ecdsa*",
  "**/id_ed25519*",
  "!**/*.pub",
  "**/.ssh/*_key",
  "**/.aws/credentials",
  "**/.npmrc",
  "**/.pypirc",
  "**/.netrc",
  "**/_netrc",
  "**/.pgpass",
  "**/.git-credentials",
  "**/.docker/config.json",
  "**/.kube/config",
  "**/.config/gcloud/application_default_credentials.json",
  "**/.config/gh/hosts.yml",
  "**/.claude/.credentials.json",
  "**/.codex/auth.json",
  "**/.gemini/oauth_creds.json",
  "**/.gemini/mcp-oauth-tokens.json",
  "**/secrets.{yml,yaml,json}",
];

/** Commands that print a file's content (so their output reaches the model). */
const PRINTERS = new Set([
  "cat",
  "tac",
  "less",
  "more",
  "head",
  "tail",
  "bat",
  "batcat",
  "nl",
  "strings",
  "xxd",
  "hexdump",
  "od",
  "base64",
  "grep",
  "egrep",
  "fgrep",
  "rg",
  "ag",
  "awk",
  "gawk",
  "sed",
  "cut",
  "sort",
  "uniq",
  "jq",
  "yq",
  "diff",
  "type",
  "Get-Content",
  "gc",
]);

/** Splits a command line into simple commands (pipes, lists, substitutions, subshells). */
function simpleCommands(command: string): string[][] {
  const out: string[][] = [];
  for (const segment of command.split(/\|\|?|&&?|;|\n|\$\(|`|\(|\)/)) {
    const words: string[] = [];
    // Words: quoted strings or runs of non-blank characters; quotes are dropped.
    for (const m of segment.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3] ?? "");
    if (words.length) out.push(words);
  }
  return out;
}

/**
 * Files a shell command would print: the arguments of a printing command (`cat .env`,
 * `grep KEY .env`) and input redirections (`< .env`). Sourcing (`source .env && npm test`) is not
 * printing and stays allowed.
 */
export function shellReads(command: string): string[] {
  const paths: string[] = [];
  for (const words of simpleCommands(command)) {
    // Skip leading assignments and wrappers (`FOO=1 sudo cat x`).
    let i = 0;
    while (
      i < words.length &&
      (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i] as string) || ["sudo", "command", "exec", "nohup", "time"].includes(words[i] as string))
    )
      i++;
    const name = basename(words[i] ?? "");
    // `sed -i` edits in place and prints nothing.
    const prints = PRINTERS.has(name) && !(name === "sed" && words.some((w) => /^-[A-Za-z]*i/.test(w) || w === "--in-place"));
    for (let j = i + 1; j < words.length; j++) {
      const w = words[j] as string;
      if (w === "<" && words[j + 1]) {
        paths.push(words[j + 1] as string);
        j++;
      } else if (w.startsWith("<") && w.length > 1 && !w.startsWith("<<")) paths.push(w.slice(1));
      else if (prints && !w.startsWith("-") && !w.startsWith(">")) paths.push(w.replace(/^@/, ""));
    }
  }
  return paths;
}

/** At most this much of a denied file is read to list its key names. */
const NAMES_MAX_BYTES = 256 * 1024;
const NAMES_MAX = 40;

function readHead(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    const fd = openSync(path, "r");
    try {
      const buf = Buffer.alloc(NAMES_MAX_BYTES);
      const n = readSync(fd, buf, 0, buf.length, 0);
      return buf.toString("utf8", 0, n);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** Variable names of a dotenv file (`export A=1`, `B: 2`), without loading the dotenv module. */
function dotenvNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*(?:=|:[ \t])/gm)) names.push(m[1] as string);
  return names;
}

/** INI / key-value names: `[section]` headers and `key = value` keys (AWS credentials, .npmrc, .pypirc). */
function iniNames(text: string): string[] {
  const names: string[] = [];
  let section = "";
  for (const line of text.split(/\r?\n/)) {
    const s = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (s) {
      section = (s[1] as string).trim();
      continue;
    }
    const k = /^\s*([^=:#;\s][^=]*?)\s*=/.exec(line);
    if (k) names.push(section ? `${section}.${k[1]}` : (k[1] as string));
  }
  return names;
}

/** `machine <host>` entries of a .netrc (host names, never logins or passwords). */
function netrcNames(text: string): string[] {
  return [...text.matchAll(/\bmachine\s+(\S+)/g)].map((m) => `machine ${m[1]}`);
}

function pemNames(text: string): string[] {
  return [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1] as string);
}

function jsonNames(text: string): string[] {
  try {
    const doc: unknown = JSON.parse(text);
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return [];
    return Object.keys(doc);
  } catch {
    return [];
  }
}

/** Key names of a credential file and what they are, never a value. */
export function keyNames(path: string, content: string): { keys: string[]; kind: string } {
  const name = basename(path).toLowerCase();
  let keys: string[];
  let kind: string;
  if (name.startsWith(".env") || name.endsWith(".env")) {
    keys = dotenvNames(content);
    kind = "variables";
  } else if (/-----BEGIN [A-Z0-9 ]+-----/.test(content)) {
    keys = pemNames(content);
    kind = "blocks";
  } else if (name === ".netrc" || name === "_netrc") {
    keys = netrcNames(content);
    kind = "entries";
  } else if (name.endsWith(".json")) {
    keys = jsonNames(content);
    kind = "top-level keys";
  } else {
    keys = iniNames(content);
    kind = "keys";
  }
  return { keys: [...new Set(keys)], kind };
}

/** Formats a key list for the message, capped. */
export function formatKeys(keys: readonly string[]): string {
  if (keys.length <= NAMES_MAX) return keys.join(", ");
  return `${keys.slice(0, NAMES_MAX).join(", ")}, …and ${keys.length - NAMES_MAX} more`;
}

/** `~/x`, `$HOME/x` and `${HOME}/x` (as a shell would expand them), else `path` resolved from `cwd`. */
function absolutePath(path: string, cwd: string, home: string): string {
  const m = /^(?:~|\$HOME|\$\{HOME\})(?=$|[\\/])/.exec(path);
  if (m) return join(home, path.slice(m[0].length));
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** The reads `policy` denies, with the key names of each file. */
export function deniedReads(reads: readonly ReadIntent[], policy: PathPolicy, cwd: string, home: string): DeniedRead[] {
  const out: DeniedRead[] = [];
  const seen = new Set<string>();
  for (const read of reads) {
    if (!read.path) continue;
    const abs = absolutePath(read.path, cwd, home);
    if (seen.has(abs)) continue;
    seen.add(abs);
    const pattern = policy.denies(abs);
    if (!pattern) continue;
    const denied: DeniedRead = { path: read.path, pattern, via: read.via };
    const content = read.content ?? readHead(abs);
    if (content !== undefined) {
      const { keys, kind } = keyNames(abs, content);
      denied.keys = keys;
      denied.keyKind = kind;
    }
    out.push(denied);
  }
  return out;
}
