import { generateToken } from "../../src/engine/templates.js";

/** A GitHub classic PAT with a valid checksum, generated fresh so none is committed. */
export function githubToken(prefix = "ghp_"): string {
  return generateToken("base62-crc32", prefix);
}
