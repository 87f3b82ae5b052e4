/**
 * The arguments of `leakgate guard` (the hook path), parsed without commander: a hook runs on every
 * tool call, and loading the whole command tree costs more than the scan. `src/cli/guard.ts`
 * declares the same options for help and for `leakgate guard` through the full CLI.
 */

import type { GuardOptions } from "./run.js";
import { AGENTS, type AgentId, POLICIES, type Policy } from "./types.js";

export class GuardArgsError extends Error {}

export function isAgent(value: string | undefined): value is AgentId {
  return (AGENTS as readonly string[]).includes(value ?? "");
}

export function isPolicy(value: string | undefined): value is Policy {
  return (POLICIES as readonly string[]).includes(value ?? "");
}

/** Parses `--agent X [--policy P] [--fail-open] [--audit-log F | --no-audit-log] [--config F] [--event E]`. */
export function parseGuardArgs(argv: readonly string[]): GuardOptions {
  let agent: string | undefined;
  const options: Partial<GuardOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (arg.startsWith("--") && eq > 0) return arg.slice(eq + 1);
      const next = argv[i + 1];
      if (next === undefined) throw new GuardArgsError(`option '${name}' argument missing`);
      i++;
      return next;
    };
    switch (name) {
      case "--agent":
        agent = value();
        break;
      case "--policy": {
        const p = value();
        if (!isPolicy(p)) throw new GuardArgsError(`--policy must be one of ${POLICIES.join(", ")}, got "${p}"`);
        options.policy = p;
        break;
      }
      case "--fail-open":
        options.failOpen = true;
        break;
      case "--audit-log":
        options.auditLog = value();
        break;
      case "--no-audit-log":
        options.auditLog = false;
        break;
      case "-c":
      case "--config":
        options.config = value();
        break;
      case "--event":
        options.event = value();
        break;
      default:
        throw new GuardArgsError(`unknown option '${arg}'`);
    }
  }
  if (!isAgent(agent)) {
    throw new GuardArgsError(
      agent ? `--agent must be one of ${AGENTS.join(", ")}, got "${agent}"` : `--agent is required (${AGENTS.join(", ")})`,
    );
  }
  return { ...options, agent };
}
