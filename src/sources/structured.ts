import type { Detector } from "../engine/detector.js";
import type { Finding, Origin } from "../engine/types.js";

/**
 * Files that are parsed rather than grepped (agent transcripts, MCP client configs, .env files).
 * `scan` consults these handlers for every file it reads: the first one that recognises the file
 * (by path and/or its first bytes) produces the findings for it, instead of the plain text scan.
 * A handler that cannot parse the file falls back to `detector.detect` on the raw bytes itself.
 */
export interface StructuredHandler {
  /** Short name, e.g. `transcript:claude-code`, `mcp`, `dotenv`. */
  name: string;
  matches(path: string, head: Buffer): boolean;
  scan(detector: Detector, bytes: Buffer, origin: Origin): Finding[];
  /**
   * For binary containers recognised by path alone (a zstd-compressed session, a SQLite database):
   * the handler reads the file itself, before the binary-file check would skip it.
   */
  claimsBinary?(path: string): boolean;
  scanFile?(detector: Detector, absPath: string, origin: Origin, maxBytes: number): Promise<Finding[]>;
}

/** Bytes handed to `matches` for content sniffing. */
export const SNIFF_BYTES = 4096;

const handlers: StructuredHandler[] = [];

export function registerStructuredHandler(handler: StructuredHandler): void {
  handlers.push(handler);
}

/** The handler that reads this binary container itself, if any. */
export function binaryHandlerFor(path: string): StructuredHandler | undefined {
  return handlers.find((h) => h.scanFile && h.claimsBinary?.(path));
}

export function structuredHandlerFor(path: string, bytes: Buffer): StructuredHandler | undefined {
  if (handlers.length === 0) return undefined;
  const head = bytes.subarray(0, SNIFF_BYTES);
  return handlers.find((h) => h.matches(path, head));
}

let loading: Promise<void> | undefined;

/**
 * Loads the built-in handlers (.env files, MCP configs, agent transcripts). File-scanning paths call
 * this once before reading files; hooks that scan diffs or events never pay for these parsers.
 */
export function loadStructuredHandlers(): Promise<void> {
  loading ??= Promise.all([import("./dotenv/register.js"), import("./mcp/register.js"), import("./transcripts/register.js")]).then(
    () => undefined,
  );
  return loading;
}
