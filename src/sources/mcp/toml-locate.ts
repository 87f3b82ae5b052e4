/**
 * smol-toml parses TOML into plain values without positions. This walks the (already validated) text
 * once more to record where each string value and each table sits, keyed by its resolved path
 * (`["mcp_servers","github","env","TOKEN"]`, array items by index), so findings get physical positions.
 */

export interface TomlStringLocation {
  /** Raw token, delimiters included. */
  start: number;
  end: number;
  /** Raw content, delimiters excluded. */
  contentStart: number;
  contentEnd: number;
  /** Basic strings have escapes; literal strings do not. */
  escapes: boolean;
}

export interface TomlLocations {
  strings: Map<string, TomlStringLocation>;
  /** Tables (`[a.b]` header to the next header, or an inline `{…}`) and arrays, by path. */
  containers: Map<string, { start: number; end: number }>;
}

export function pathKey(path: readonly (string | number)[]): string {
  return JSON.stringify(path);
}

const BARE_KEY = /[A-Za-z0-9_-]/;

export function locateToml(text: string): TomlLocations {
  const strings = new Map<string, TomlStringLocation>();
  const containers = new Map<string, { start: number; end: number }>();
  const arrayTables = new Map<string, number>();
  const n = text.length;
  let pos = 0;
  /** The header currently open: its path and where it started. */
  let openTable: { key: string; start: number } | undefined;

  const closeTable = (at: number) => {
    if (openTable) containers.set(openTable.key, { start: openTable.start, end: at });
    openTable = undefined;
  };
  const skipSpaces = () => {
    while (pos < n && (text[pos] === " " || text[pos] === "\t")) pos++;
  };
  const skipComment = () => {
    if (text[pos] === "#") while (pos < n && text[pos] !== "\n") pos++;
  };
  /** Blanks, newlines and comments (inside arrays and between statements). */
  const skipAll = () => {
    for (;;) {
      const before = pos;
      while (pos < n && /\s/.test(text[pos] as string)) pos++;
      skipComment();
      if (pos === before) return;
    }
  };

  const readBasic = (): string => {
    const start = ++pos;
    while (pos < n && text[pos] !== '"' && text[pos] !== "\n") pos += text[pos] === "\\" ? 2 : 1;
    const raw = text.slice(start, pos);
    pos++;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  };
  const readLiteral = (): string => {
    const start = ++pos;
    while (pos < n && text[pos] !== "'" && text[pos] !== "\n") pos++;
    const raw = text.slice(start, pos);
    pos++;
    return raw;
  };

  const readKey = (): string[] => {
    const keys: string[] = [];
    for (;;) {
      skipSpaces();
      const c = text[pos];
      if (c === '"') keys.push(readBasic());
      else if (c === "'") keys.push(readLiteral());
      else {
        const start = pos;
        while (pos < n && BARE_KEY.test(text[pos] as string)) pos++;
        if (pos === start) return keys;
        keys.push(text.slice(start, pos));
      }
      skipSpaces();
      if (text[pos] !== ".") return keys;
      pos++;
    }
  };

  /** `[a.b]` → path with the current index of every array of tables on the way. */
  const resolve = (keys: string[]): (string | number)[] => {
    const out: (string | number)[] = [];
    for (const k of keys) {
      out.push(k);
      const index = arrayTables.get(pathKey(out));
      if (index !== undefined) out.push(index);
    }
    return out;
  };

  const readValue = (path: (string | number)[]): void => {
    const start = pos;
    const c = text[pos];
    if (text.startsWith('"""', pos) || text.startsWith("'''", pos)) {
      const delimiter = text.slice(pos, pos + 3);
      const escapes = delimiter === '"""';
      pos += 3;
      while (pos < n && !text.startsWith(delimiter, pos)) pos += escapes && text[pos] === "\\" ? 2 : 1;
      // Up to two quotes right before the closing delimiter belong to the content.
      let close = pos;
      while (text[close + 3] === delimiter[0] && close - pos < 2) close++;
      let contentStart = start + 3;
      if (text[contentStart] === "\r") contentStart++;
      if (text[contentStart] === "\n") contentStart++;
      strings.set(pathKey(path), { start, end: close + 3, contentStart, contentEnd: close, escapes });
      pos = close + 3;
      return;
    }
    if (c === '"' || c === "'") {
      if (c === '"') readBasic();
      else readLiteral();
      strings.set(pathKey(path), { start, end: pos, contentStart: start + 1, contentEnd: pos - 1, escapes: c === '"' });
      return;
    }
    if (c === "[") {
      pos++;
      let i = 0;
      for (;;) {
        skipAll();
        if (pos >= n || text[pos] === "]") break;
        const before = pos;
        readValue([...path, i++]);
        skipAll();
        if (text[pos] === ",") pos++;
        else if (pos === before) pos++;
      }
      pos++;
      containers.set(pathKey(path), { start, end: pos });
      return;
    }
    if (c === "{") {
      pos++;
      for (;;) {
        skipAll();
        if (pos >= n || text[pos] === "}") break;
        const before = pos;
        readKeyValue(path);
        skipAll();
        if (text[pos] === ",") pos++;
        else if (pos === before) pos++;
      }
      pos++;
      containers.set(pathKey(path), { start, end: pos });
      return;
    }
    while (pos < n && !/[,\]}\r\n#]/.test(text[pos] as string)) pos++;
  };

  const readKeyValue = (prefix: (string | number)[]): void => {
    const keys = readKey();
    skipSpaces();
    if (keys.length === 0 || text[pos] !== "=") {
      while (pos < n && text[pos] !== "\n") pos++;
      return;
    }
    pos++;
    skipSpaces();
    readValue([...prefix, ...keys]);
  };

  let prefix: (string | number)[] = [];
  while (pos < n) {
    skipAll();
    if (pos >= n) break;
    const lineStart = pos;
    if (text[pos] === "[") {
      closeTable(lineStart);
      const isArray = text[pos + 1] === "[";
      pos += isArray ? 2 : 1;
      const keys = readKey();
      if (isArray) {
        const parent = resolve(keys.slice(0, -1));
        const own = [...parent, keys[keys.length - 1] ?? ""];
        const index = (arrayTables.get(pathKey(own)) ?? -1) + 1;
        arrayTables.set(pathKey(own), index);
        prefix = [...own, index];
      } else prefix = resolve(keys);
      openTable = { key: pathKey(prefix), start: lineStart };
      while (pos < n && text[pos] !== "\n") pos++;
      continue;
    }
    const before = pos;
    readKeyValue(prefix);
    skipSpaces();
    skipComment();
    if (pos === before) pos++;
  }
  closeTable(n);
  return { strings, containers };
}
