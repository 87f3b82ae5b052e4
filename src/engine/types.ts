/**
 * Core data types shared by sources, the engine, filters and reporters.
 * The engine only ever sees `Fragment`s and `RuleDefinition`s; it never touches
 * the file system, git, the terminal or the network.
 */

export type Severity = "critical" | "high" | "medium" | "low";

/** A rule as written in `rules/*.yaml` or in a user's `.leakgate.yaml` `rules:` list. */
export interface RuleDefinition {
  id: string;
  name: string;
  description?: string;
  severity?: Severity;
  /** Lower-case literal substrings; a rule only runs on text holding one of them (empty: always runs). */
  keywords?: string[];
  /** RE2 syntax. */
  pattern: string;
  /**
   * Capture group holding the secret (0 = whole match). Default: the first group that took part in
   * the match (so alternatives may capture in different groups), or the whole match without groups.
   */
  secretGroup?: number;
  /**
   * Longest secret (characters) the rule reports. Lets a pattern use an unbounded repeat, which RE2
   * runs much faster than a large counted one, and still drop blobs.
   */
  maxLength?: number;
  /** Longest match in bytes after a keyword hit (default 1024); the rule runs in that window. */
  span?: number;
  /** How far (bytes) a match can start before its keyword (default 1024; 1 when the pattern starts with it). */
  windowBefore?: number;
  /**
   * Characters of which one must follow the keyword within 48 bytes for the hit to count (e.g. `=:`
   * for assignments). A cheap byte check that keeps common keywords (`key`, `token`) in prose and
   * code from opening a window at every occurrence.
   */
  keywordFollowedBy?: string;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /** Name of a checksum validator (see engine/checksum.ts); a secret failing it is dropped. */
  checksum?: string;
  /** RE2 patterns; a secret matching one of them is not a finding. */
  allow?: string[];
  /** RE2 patterns; a match whose whole text (key name, operator and value) matches one is dropped. */
  allowMatch?: string[];
  /** When true the shared placeholder filter is not applied (e.g. private key blocks). */
  skipPlaceholderFilter?: boolean;
  /** How to revoke and rotate, with the provider's link. */
  remediation?: string;
  tags?: string[];
  /** Texts on which the rule must report a finding. `{{gen:...}}` templates are expanded at test time. */
  examples?: string[];
  /** Texts on which the rule must not report a finding. */
  negatives?: string[];
}

/** Where a fragment came from. Sources fill in what applies. */
export interface Origin {
  /** Path relative to the scan root, with forward slashes; `-` for stdin. */
  path: string;
  /** 1-based line number of the fragment's first byte in the physical file (default 1). */
  lineBase?: number;
  /** UTF-16 column (1-based) of the fragment's first byte on its first line (default 1). */
  columnBase?: number;
  commit?: string;
  blob?: string;
  author?: string;
  date?: string;
  /** Logical location inside a structured artefact (transcript record, MCP server field...). */
  logicalLocation?: LogicalLocation;
}

export interface LogicalLocation {
  /** Human-readable fully qualified name, e.g. `session 1234 > record 7 > $.message.content[0]`. */
  fullyQualifiedName: string;
  kind?: string;
  [key: string]: string | number | undefined;
}

export interface Fragment {
  bytes: Buffer;
  origin: Origin;
  /**
   * Where a byte of `bytes` sits in the physical file, for fragments that are not a contiguous slice
   * of it (a JSON-unescaped string value, say). 1-based line, 1-based UTF-16 column. When absent,
   * positions are computed from `bytes` plus `origin.lineBase` / `origin.columnBase`.
   */
  positionOf?: (byteOffset: number) => { line: number; column: number };
  /** The physical line text for inline allow comments, when `positionOf` is given. */
  lineTextOf?: (byteOffset: number) => string;
}

/** A finding before it is turned into user-facing output. Positions are 1-based; columns count UTF-16 code units. */
export interface Finding {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  path: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  /** Exclusive end column (SARIF convention). */
  endColumn: number;
  /** Redacted preview of the secret; reveals at most a quarter of it. */
  preview: string;
  secretSha256: string;
  /** `ruleId:sha256(secret):path` hashed; stable when the line moves. */
  fingerprint: string;
  entropy: number;
  /** The full secret; reporters only print it when the user passed `--no-redact`. */
  secret: string;
  /** The physical line the finding starts on (used by inline allow comments), never printed whole. */
  lineText: string;
  /** `encoded:base64` etc. when the secret was found in decoded text. */
  decodedFrom?: string;
  commit?: string;
  author?: string;
  date?: string;
  logicalLocation?: LogicalLocation;
}
