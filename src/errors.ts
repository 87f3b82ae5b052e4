/**
 * Known errors: the CLI prints their message on one line and exits 2. Anything else is a bug and is
 * reported as an internal error, still on one line (the stack only with LEAKGATE_DEBUG=1).
 */
export class UsageError extends Error {}
export class ConfigError extends Error {}
export class SourceError extends Error {}
