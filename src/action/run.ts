#!/usr/bin/env node
/** Process entry of the GitHub Action (`node dist/action/run.js`, run by action.yml). */
import { escapeData } from "./report.js";
import { processActionIO, runAction } from "./runner.js";

runAction(processActionIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stdout.write(`::error title=leakgate::${escapeData(`internal error: ${(error as Error).message}`)}\n`);
    process.exitCode = 2;
  },
);
