/**
 * `.env` parsing with the common dotenv semantics: `KEY=value` (also `KEY: value`), optional
 * `export`, `#` comment lines, inline comments after unquoted values (a `#` preceded by a blank),
 * single, double and backtick quotes, quoted values spanning several lines, and `\n` `\r` `\t` `\"`
 * `\\` escapes inside double quotes. Every value keeps a map back to its raw characters.
 */
import { basename } from "node:path";
import type { ValueMap } from "../mcp/text.js";

export interface DotenvEntry {
  key: string;
  /** UTF-16 offset of the key. */
  keyStart: number;
  exported: boolean;
  /** The value as a program loading the file sees it. */
  value: string;
  quote: '"' | "'" | "`" | "";
  /** Raw value token, quotes included. */
  start: number;
  end: number;
  /** `map[i]`: raw offset of the value's i-th UTF-16 unit; `map[value.length]` is the end of its content. */
  map: ValueMap;
}

const KEY = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const DOUBLE_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

function identity(from: number, length: number): ValueMap {
  const map = new Int32Array(length + 1);
  for (let i = 0; i <= length; i++) map[i] = from + i;
  return map;
}

export function parseDotenv(text: string): DotenvEntry[] {
  const entries: DotenvEntry[] = [];
  const n = text.length;
  let pos = 0;
  const blank = () => {
    while (pos < n && (text[pos] === " " || text[pos] === "\t")) pos++;
  };
  const nextLine = () => {
    while (pos < n && text[pos] !== "\n") pos++;
    pos++;
  };
  while (pos < n) {
    blank();
    if (pos >= n) break;
    if (text[pos] === "\n" || text[pos] === "\r" || text[pos] === "#") {
      nextLine();
      continue;
    }
    let exported = false;
    if (/^export[ \t]/.test(text.slice(pos, pos + 7))) {
      exported = true;
      pos += 6;
      blank();
    }
    KEY.lastIndex = pos;
    const key = KEY.exec(text);
    if (!key) {
      nextLine();
      continue;
    }
    const keyStart = pos;
    pos += key[0].length;
    blank();
    if (text[pos] === "=") pos++;
    else if (text[pos] === ":" && (text[pos + 1] === " " || text[pos + 1] === "\t")) pos++;
    else {
      nextLine();
      continue;
    }
    blank();
    const start = pos;
    const quote = text[pos];
    if (quote === '"' || quote === "'" || quote === "`") {
      let close = pos + 1;
      while (close < n && text[close] !== quote) close += quote === '"' && text[close] === "\\" ? 2 : 1;
      if (close < n) {
        let value: string;
        let map: ValueMap;
        if (quote === '"') {
          value = "";
          const raw: number[] = [];
          for (let i = pos + 1; i < close; i++) {
            const c = text[i] as string;
            const escaped = c === "\\" ? DOUBLE_ESCAPES[text[i + 1] as string] : undefined;
            raw.push(i);
            if (escaped !== undefined) {
              value += escaped;
              i++;
            } else value += c;
          }
          map = new Int32Array(value.length + 1);
          raw.forEach((r, i) => {
            map[i] = r;
          });
          map[value.length] = close;
        } else {
          value = text.slice(pos + 1, close);
          map = identity(pos + 1, value.length);
        }
        entries.push({ key: key[0], keyStart, exported, value, quote, start, end: close + 1, map });
        pos = close + 1;
        nextLine();
        continue;
      }
      // No closing quote: the rest of the line is the value, quote included.
    }
    let end = pos;
    while (end < n && text[end] !== "\n" && text[end] !== "\r") {
      if (text[end] === "#" && end > start && (text[end - 1] === " " || text[end - 1] === "\t")) break;
      end++;
    }
    while (end > start && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
    const value = text.slice(start, end);
    entries.push({ key: key[0], keyStart, exported, value, quote: "", start, end, map: identity(start, value.length) });
    pos = end;
    nextLine();
  }
  return entries;
}

const CODE_EXTENSIONS =
  /\.(?:js|mjs|cjs|ts|mts|cts|jsx|tsx|json|jsonc|ya?ml|toml|md|txt|py|rb|go|java|php|sh|bash|zsh|ps1|bat|cmd|swift|kt|rs|cs|vault|enc|gpg|age|asc|bak|lock|d)$/i;

/** `.env`, `.env.*` (not `.env.js` and the like) and `*.env`. */
export function isDotenvPath(path: string): boolean {
  const name = basename(path.replace(/\\/g, "/"));
  if (name === ".env") return true;
  if (name.startsWith(".env.") && name.length > 5) return !CODE_EXTENSIONS.test(name);
  return name.length > 4 && name.endsWith(".env");
}

/** `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `example.env`...: meant to be shared. */
export function isExampleDotenv(path: string): boolean {
  const name = basename(path.replace(/\\/g, "/")).toLowerCase();
  return name.split(/[.\-_]/).some((part) => /^(?:example|examples|sample|samples|template|tmpl|tpl|dist|defaults?|schema)$/.test(part));
}
