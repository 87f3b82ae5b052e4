/**
 * Agent transcripts: one entry point per container.
 * - `scanTranscriptText`: JSON / JSONL / text bytes, synchronous (the `scan` structured handler);
 * - `scanTranscriptFile`: any transcript file, including Codex `.jsonl.zst` and Cursor `state.vscdb`.
 */
import { readFileSync, statSync } from "node:fs";
import type { Detector } from "../../engine/detector.js";
import type { Origin } from "../../engine/types.js";
import { decodeText } from "../read-file.js";
import { type CursorRow, openDatabase, type RowLocated, readCursorRows, scanCursorRows } from "./cursor-db.js";
import type { FormatInfo } from "./formats.js";
import { buildLocation, locateStructured } from "./locate.js";
import { type Doc, type Located, StructuredScan } from "./scanner.js";
import { locateText, scanPlain } from "./text-formats.js";
import { zstdDecompress } from "./zstd.js";

export interface TextScanResult {
  located: Located[];
  /** Records (for redaction: each JSON record must stay valid); one text record for text formats. */
  docs: Doc[];
}

/** Scans transcript bytes (already decompressed) and fills in logical locations. */
export function scanTranscriptText(detector: Detector, bytes: Buffer, origin: Origin, info: FormatInfo): TextScanResult {
  if (info.container === "text") {
    const located = scanPlain(detector, bytes, origin);
    locateText(bytes, located, info, origin.path);
    return { located, docs: [{ start: 0, end: bytes.length, malformed: true }] };
  }
  const scan = new StructuredScan(detector, bytes, origin);
  const located = scan.run();
  locateStructured(scan, located, { info, path: origin.path });
  return { located, docs: scan.docs };
}

export type FileScanResult =
  | {
      kind: "text";
      /** The scanned text: the file, or its decompressed content. */
      text: Buffer;
      /** The file as read (compressed for `.zst`). */
      raw: Buffer;
      located: Located[];
      docs: Doc[];
    }
  | { kind: "sqlite"; raw: Buffer; rows: CursorRow[]; located: RowLocated[]; walFindings: Located[] };

export class TranscriptReadError extends Error {}

/**
 * Reads and scans one transcript file. Throws `TranscriptReadError` (one line, no secret) when the
 * file cannot be read, is over `maxBytes`, or is not what its name says.
 */
export async function scanTranscriptFile(
  detector: Detector,
  abs: string,
  origin: Origin,
  info: FormatInfo,
  maxBytes: number,
): Promise<FileScanResult> {
  const raw = readCapped(abs, maxBytes);
  if (info.container === "sqlite") {
    let rows: CursorRow[];
    try {
      const db = await openDatabase(raw);
      try {
        rows = readCursorRows(db);
      } finally {
        db.close();
      }
    } catch (error) {
      throw new TranscriptReadError(`not a readable SQLite database (${firstLine((error as Error).message)})`);
    }
    const located = scanCursorRows(detector, rows, origin, info);
    // Rows not yet checkpointed sit in the write-ahead log: scan its pages as plain bytes.
    const walFindings: Located[] = [];
    const walPath = `${abs}-wal`;
    let walSize = 0;
    try {
      walSize = statSync(walPath).size;
    } catch {
      walSize = 0;
    }
    if (walSize > 0 && walSize <= maxBytes) {
      const wal = readFileSync(walPath);
      const walOrigin = { ...origin, path: `${origin.path}-wal` };
      for (const l of scanPlain(detector, wal, walOrigin)) {
        l.finding.logicalLocation = buildLocation(info, { action: "context" }, undefined, "write-ahead log, scanned as bytes");
        walFindings.push(l);
      }
    }
    return { kind: "sqlite", raw, rows, located, walFindings };
  }
  let text = raw;
  if (info.compressed) {
    try {
      text = zstdDecompress(raw, maxBytes);
    } catch (error) {
      throw new TranscriptReadError(`cannot decompress (${firstLine((error as Error).message)})`);
    }
  } else {
    const decoded = decodeText(raw);
    if (!decoded.ok) throw new TranscriptReadError(decoded.reason);
    text = decoded.bytes;
  }
  const { located, docs } = scanTranscriptText(detector, text, origin, info);
  return { kind: "text", text, raw, located, docs };
}

function readCapped(abs: string, maxBytes: number): Buffer {
  let size: number;
  try {
    const st = statSync(abs);
    if (!st.isFile()) throw new TranscriptReadError("not a regular file");
    size = st.size;
  } catch (error) {
    if (error instanceof TranscriptReadError) throw error;
    throw new TranscriptReadError(describe(error));
  }
  if (size > maxBytes) throw new TranscriptReadError(`larger than the ${Math.round(maxBytes / 1024 / 1024)} MiB cap`);
  try {
    return readFileSync(abs);
  } catch (error) {
    throw new TranscriptReadError(describe(error));
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "does not exist";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return code ?? firstLine((error as Error).message);
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").slice(0, 200);
}
