import { parentPort, workerData } from "node:worker_threads";
import { diskKeywordTableCache } from "./config/keyword-cache.js";
import { Detector, type DetectorOptions } from "./engine/detector.js";
import type { RuleDefinition } from "./engine/types.js";
import { scanFileBatch } from "./scan-files.js";
import type { FileEntry } from "./sources/enumerate.js";
import { loadStructuredHandlers } from "./sources/structured.js";

/** Worker entry: compiles the rule set once, then scans the batches of files it is sent. */
interface WorkerInit {
  rules: RuleDefinition[];
  detectorOptions: DetectorOptions;
  maxFileSize: number;
}

const init = workerData as WorkerInit;
const detector = new Detector(init.rules, { keywordTableCache: diskKeywordTableCache(), ...init.detectorOptions });
const handlersReady = loadStructuredHandlers();

parentPort?.on("message", async (message: { id: number; entries: FileEntry[] }) => {
  await handlersReady;
  try {
    const result = await scanFileBatch(detector, message.entries, init.maxFileSize);
    parentPort?.postMessage({ id: message.id, result });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message });
  }
});
