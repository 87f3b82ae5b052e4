#!/usr/bin/env node
import { processIO } from "./io.js";
import { main } from "./main.js";

// Thin entry point: all behaviour lives in main(), which tests call directly.
main(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`leakgate: internal error: ${(error as Error).message}\n`);
    process.exitCode = 2;
  },
);
