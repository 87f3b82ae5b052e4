import { createHash } from "node:crypto";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * A finding's identity for baselines and SARIF `partialFingerprints`: rule, secret hash and path.
 * It leaves out the line, so it survives code moving around in the file.
 */
export function fingerprintOf(ruleId: string, secretSha256: string, path: string): string {
  return `${ruleId}:${secretSha256}:${path}`;
}
