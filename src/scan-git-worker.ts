import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { diskKeywordTableCache } from "./config/keyword-cache.js";
import { Detector, type DetectorOptions } from "./engine/detector.js";
import type { Finding, RuleDefinition } from "./engine/types.js";
import { decodeText } from "./sources/read-file.js";
import { loadStructuredHandlers, structuredHandlerFor } from "./sources/structured.js";

/** Findings of one blob, or why it was skipped. */
export type BlobScan = { findings: Finding[] } | { skipped: "binary" };

/** Scans one blob's content (in the main thread for small histories, in a worker otherwise). */
export function scanBlobBytes(detector: Detector, oid: string, path: string, raw: Buffer): BlobScan {
  const text = decodeText(raw);
  if (!text.ok) return { skipped: "binary" };
  const origin = { path, blob: oid };
  const handler = structuredHandlerFor(path, text.bytes);
  return { findings: handler ? handler.scan(detector, text.bytes, origin) : detector.detect({ bytes: text.bytes, origin }) };
}

/** A batch of blobs packed into one transferable buffer. */
export interface BlobBatchMessage {
  id: number;
  buffer: ArrayBuffer;
  blobs: { oid: string; path: string; start: number; end: number }[];
}

export interface BlobBatchResult {
  id: number;
  /** Blobs with findings only. */
  found: { oid: string; path: string; findings: Finding[] }[];
  binary: number;
  error?: string;
  /** The batch's buffer, handed back for reuse. */
  buffer?: ArrayBuffer;
}

interface WorkerInit {
  rules: RuleDefinition[];
  detectorOptions: DetectorOptions;
}

if (!isMainThread && parentPort && (workerData as { kind?: string })?.kind === "leakgate-blobs") {
  const init = workerData as WorkerInit;
  const detector = new Detector(init.rules, { validate: false, keywordTableCache: diskKeywordTableCache(), ...init.detectorOptions });
  const port = parentPort;
  // The structured handlers (MCP configs, .env files, transcripts) apply to blobs too.
  const handlersReady = loadStructuredHandlers();
  port.on("message", async (message: BlobBatchMessage) => {
    await handlersReady;
    const result: BlobBatchResult = { id: message.id, found: [], binary: 0 };
    try {
      for (const blob of message.blobs) {
        const bytes = Buffer.from(message.buffer, blob.start, blob.end - blob.start);
        const scan = scanBlobBytes(detector, blob.oid, blob.path, bytes);
        if ("skipped" in scan) result.binary++;
        else if (scan.findings.length) result.found.push({ oid: blob.oid, path: blob.path, findings: scan.findings });
      }
    } catch (error) {
      result.error = (error as Error).message;
    }
    result.buffer = message.buffer;
    port.postMessage(result, [message.buffer]);
  });
}
