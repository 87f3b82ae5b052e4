import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import type { KeywordTableCache } from "../engine/detector.js";

/**
 * On-disk store for the engine's keyword automaton, so each hook invocation (pre-commit, agent guard)
 * loads it instead of rebuilding it. Best effort: any I/O problem just means a rebuild. Entries are
 * keyed by a hash of the keyword list, so a rule change never reads a stale table.
 */
function cacheDir(env: NodeJS.ProcessEnv): string {
  if (env.LEAKGATE_CACHE_DIR) return env.LEAKGATE_CACHE_DIR;
  let user = "user";
  try {
    user = String(userInfo().uid);
  } catch {
    // No user database entry (containers): share one directory.
  }
  return join(env.XDG_CACHE_HOME || tmpdir(), `leakgate-${user}`);
}

export function diskKeywordTableCache(env: NodeJS.ProcessEnv = process.env): KeywordTableCache | undefined {
  if (env.LEAKGATE_NO_CACHE) return undefined;
  const dir = cacheDir(env);
  return {
    get(key) {
      try {
        return readFileSync(join(dir, `${key}.kw`));
      } catch {
        return undefined;
      }
    },
    set(key, data) {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const temp = join(dir, `${key}.${process.pid}.tmp`);
        writeFileSync(temp, data);
        renameSync(temp, join(dir, `${key}.kw`));
      } catch {
        // Read-only or full disk: the next run rebuilds the table.
      }
    },
  };
}
