/**
 * One tree shape for JSON, JSONC, YAML and TOML documents, with the raw range of every node, built
 * with the well-kept parsers (jsonc-parser, yaml, smol-toml). Parsers are loaded on first use only.
 */
import { createRequire } from "node:module";
import { buildValueMap, pointMap, type ValueMap } from "./text.js";
import { locateToml, pathKey } from "./toml-locate.js";

interface Base {
  /** Raw range of the node in the text (-1 when unknown). */
  start: number;
  end: number;
}
export interface CObject extends Base {
  type: "object";
  entries: { key: string; value: CNode }[];
}
export interface CArray extends Base {
  type: "array";
  items: CNode[];
}
export interface CString extends Base {
  type: "string";
  value: string;
  contentStart: number;
  contentEnd: number;
  escapes: boolean;
}
export interface CScalar extends Base {
  type: "scalar";
  value: unknown;
}
export type CNode = CObject | CArray | CString | CScalar;

export type ConfigFormat = "json" | "yaml" | "toml";

export type ParseOutcome = { ok: true; roots: CNode[] } | { ok: false; error: string };

const requireModule = createRequire(import.meta.url);

export function parseConfig(text: string, format: ConfigFormat): ParseOutcome {
  switch (format) {
    case "json":
      return parseJsonc(text);
    case "yaml":
      return parseYaml(text);
    case "toml":
      return parseToml(text);
  }
}

/** Byte map of a string node's value back to the raw text. */
export function valueMapOf(text: string, node: CString): ValueMap {
  if (node.start < 0) {
    const at = text.indexOf(node.value);
    return at >= 0 ? buildValueMap(text, at, at + node.value.length, node.value, false) : pointMap(node.value, 0);
  }
  return buildValueMap(text, node.contentStart, node.contentEnd, node.value, node.escapes);
}

export function entry(node: CNode | undefined, key: string): CNode | undefined {
  return node?.type === "object" ? node.entries.find((e) => e.key === key)?.value : undefined;
}

// ---------------------------------------------------------------------------------------- JSON(C)

type JsoncModule = typeof import("jsonc-parser");
type JsonNode = import("jsonc-parser").Node;

function lineColumn(text: string, offset: number): string {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    last = i;
  }
  return `line ${line}, column ${offset - last}`;
}

function parseJsonc(text: string): ParseOutcome {
  const jsonc = requireModule("jsonc-parser") as JsoncModule;
  const errors: import("jsonc-parser").ParseError[] = [];
  const root = jsonc.parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const first = errors[0];
  if (first) return { ok: false, error: `invalid JSON at ${lineColumn(text, first.offset)}: ${jsonc.printParseErrorCode(first.error)}` };
  return { ok: true, roots: root ? [fromJson(root)] : [] };
}

function fromJson(node: JsonNode): CNode {
  const start = node.offset;
  const end = node.offset + node.length;
  switch (node.type) {
    case "object": {
      const entries: CObject["entries"] = [];
      for (const prop of node.children ?? []) {
        const [key, value] = prop.children ?? [];
        if (key && value) entries.push({ key: String(key.value), value: fromJson(value) });
      }
      return { type: "object", start, end, entries };
    }
    case "array":
      return { type: "array", start, end, items: (node.children ?? []).map(fromJson) };
    case "string":
      return { type: "string", start, end, value: String(node.value), contentStart: start + 1, contentEnd: end - 1, escapes: true };
    default:
      return { type: "scalar", start, end, value: node.value };
  }
}

// ------------------------------------------------------------------------------------------- YAML

type YamlModule = typeof import("yaml");

function parseYaml(text: string): ParseOutcome {
  const yaml = requireModule("yaml") as YamlModule;
  const docs = yaml.parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) {
      const where = error.linePos?.[0];
      const message = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? "parse error";
      return { ok: false, error: `invalid YAML${where ? ` at line ${where.line}, column ${where.col}` : ""}: ${message}` };
    }
  }
  const roots: CNode[] = [];
  for (const doc of list) if (doc.contents) roots.push(fromYaml(yaml, doc.contents, 0));
  return { ok: true, roots };
}

function fromYaml(yaml: YamlModule, node: unknown, depth: number): CNode {
  const range = (node as { range?: [number, number, number] }).range;
  const start = range?.[0] ?? -1;
  const end = range?.[1] ?? -1;
  if (depth > 64) return { type: "scalar", start, end, value: null };
  if (yaml.isMap(node)) {
    const entries: CObject["entries"] = [];
    for (const pair of node.items) {
      const key = yaml.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      entries.push({
        key,
        value: pair.value == null ? { type: "scalar", start, end, value: null } : fromYaml(yaml, pair.value, depth + 1),
      });
    }
    return { type: "object", start, end, entries };
  }
  if (yaml.isSeq(node)) return { type: "array", start, end, items: node.items.map((item) => fromYaml(yaml, item, depth + 1)) };
  if (yaml.isScalar(node) && typeof node.value === "string") {
    const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE";
    return {
      type: "string",
      start,
      end,
      value: node.value,
      contentStart: quoted ? start + 1 : start,
      contentEnd: quoted ? end - 1 : end,
      escapes: node.type === "QUOTE_DOUBLE",
    };
  }
  return { type: "scalar", start, end, value: yaml.isScalar(node) ? node.value : null };
}

// ------------------------------------------------------------------------------------------- TOML

type TomlModule = typeof import("smol-toml");

function parseToml(text: string): ParseOutcome {
  const toml = requireModule("smol-toml") as TomlModule;
  let doc: unknown;
  try {
    doc = toml.parse(text);
  } catch (error) {
    const e = error as { line?: number; column?: number; message?: string };
    const message = (e.message ?? "parse error").split("\n")[0]?.replace(/^Invalid TOML document: /, "");
    return { ok: false, error: `invalid TOML${e.line ? ` at line ${e.line}, column ${e.column}` : ""}: ${message}` };
  }
  const locations = locateToml(text);
  const convert = (value: unknown, path: (string | number)[]): CNode => {
    const container = locations.containers.get(pathKey(path));
    const start = container?.start ?? -1;
    const end = container?.end ?? -1;
    if (typeof value === "string") {
      const loc = locations.strings.get(pathKey(path));
      if (!loc) return { type: "string", start: -1, end: -1, value, contentStart: -1, contentEnd: -1, escapes: false };
      return { type: "string", value, ...loc };
    }
    if (Array.isArray(value)) return { type: "array", start, end, items: value.map((v, i) => convert(v, [...path, i])) };
    if (value !== null && typeof value === "object" && !(value instanceof Date)) {
      const entries = Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: convert(v, [...path, key]) }));
      return { type: "object", start, end, entries };
    }
    return { type: "scalar", start, end, value };
  };
  return { ok: true, roots: [convert(doc, [])] };
}

/**
 * The raw range a node covers: its own, united with its children's (a TOML table `[a]` and its
 * sub-tables `[a.env]` are separate sections of the file).
 */
export function nodeRange(node: CNode): { start: number; end: number } | undefined {
  let start = Number.POSITIVE_INFINITY;
  let end = -1;
  const visit = (n: CNode) => {
    if (n.start >= 0) {
      start = Math.min(start, n.start);
      end = Math.max(end, n.end);
    }
    if (n.type === "object") for (const e of n.entries) visit(e.value);
    else if (n.type === "array") for (const i of n.items) visit(i);
  };
  visit(node);
  return end >= 0 ? { start, end } : undefined;
}
