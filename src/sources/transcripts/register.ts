/**
 * Registers agent transcripts as structured files for `leakgate scan`: Claude Code, Codex, Gemini
 * CLI, Cline / Roo Code and Aider files are recognised by path or first bytes and scanned with JSON
 * decoding and logical locations. (Binary containers, Codex `.jsonl.zst` and Cursor `state.vscdb`,
 * are read by `leakgate transcripts` / `leakgate redact`.)
 */
import type { Finding } from "../../engine/types.js";
import { registerStructuredHandler } from "../structured.js";
import { detectFormat } from "./formats.js";
import { scanTranscriptFile, scanTranscriptText } from "./index.js";

/** Compressed Codex sessions and Cursor's SQLite store, recognised by path. */
function binaryFormat(path: string) {
  const info = detectFormat(path, Buffer.alloc(0));
  return info && (info.container === "sqlite" || info.compressed) ? info : undefined;
}

registerStructuredHandler({
  name: "transcript",
  claimsBinary: (path) => binaryFormat(path) !== undefined,
  async scanFile(detector, absPath, origin, maxBytes): Promise<Finding[]> {
    const info = binaryFormat(origin.path);
    if (!info) return [];
    const result = await scanTranscriptFile(detector, absPath, origin, info, maxBytes);
    const located = result.kind === "sqlite" ? [...result.located, ...result.walFindings] : result.located;
    return located.map((l) => l.finding);
  },
  matches(path, head) {
    const info = detectFormat(path, head);
    return info !== undefined && info.container !== "sqlite" && !info.compressed;
  },
  scan(detector, bytes, origin): Finding[] {
    const info = detectFormat(origin.path, bytes.subarray(0, 4096));
    if (!info) return detector.detect({ bytes, origin });
    try {
      return scanTranscriptText(detector, bytes, origin, info).located.map((l) => l.finding);
    } catch {
      // A bug in a format reader must not lose the file: scan it as plain text.
      return detector.detect({ bytes, origin });
    }
  },
});
