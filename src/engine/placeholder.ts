/**
 * The shared placeholder / reference filter: values that name a secret instead of holding one.
 * Applied to every rule's secret unless the rule opts out (`skipPlaceholderFilter`).
 */

// References to a secret kept elsewhere: env vars, templates, secret managers, CI secrets.
const REFERENCE_PATTERNS: RegExp[] = [
  /\$\{[^}]*\}?/, // ${VAR}, ${env:X}, ${input:x}, ${{ secrets.X }} (possibly cut off by the match)
  /\{\{[^}]*\}?/, // {{ .Values.x }}, {{ secrets.X }}
  /\$\([^)]*\)?/, // $(cmd)
  /^\$[A-Za-z_{(]/, // $VAR, $VAR/path, ${X}, $(cmd)
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %VAR%
  /^(?:op|vault|secret|secrets|awssm|gcpsm|azkv|sops|doppler|infisical|env|file|ref):\/\//i,
  /^(?:env|secret|secrets|vault)\s*[:.(]/i,
  /^<[^<>]*>$/, // <YOUR_KEY>
  /^<[A-Za-z_ -]{2,}/, // <your-api-key (cut off)
  /^\[[A-Za-z_ -]+\]$/, // [API_KEY]
  /\bprocess\.env\b|\bos\.environ\b|\bos\.getenv\b|\bENV\[|\bSystem\.getenv\b|\bgetenv\(/,
  /^(?:ENC|AQICA)\[/, // encrypted values (sops ENC[...], kms)
];

// Words that mark documentation, samples and masked values.
const PLACEHOLDER_WORDS =
  /(?:your|my|the)[-_ ]?(?:api[-_ ]?|access[-_ ]?|secret[-_ ]?|auth[-_ ]?|bot[-_ ]?)?(?:key|token|secret|password|pass|pwd)|change[-_ ]?me|changeit|replace[-_ ]?(?:me|with|this)|placeholder|redacted|example|dummy|sample|not[-_ ]?(?:a[-_ ]?)?real|insert[-_ ]?(?:your|key|token|here)|[-_ ]here$|goes[-_ ]?here|^(?:none|null|nil|undefined|empty|true|false|secret|password|passwd|token|apikey|api_key|todo|tbd|fixme|test|testing|foobar|foo|bar|baz|hunter2|admin|root|default|string|value|xxx+)$/i;

// Masks and filler: xxxx, ****, ...., 0000, abcdef...
const MASK_PATTERNS: RegExp[] = [
  /x{4,}/i,
  /\*{3,}/,
  /•{3,}|…|\.{3,}/,
  /#{4,}/,
  /(.)\1{7,}/, // eight or more of one character in a row
];
// Sequences such as `abcdef123456` are not dropped here: test fixtures and other scanners' corpora use
// them as stand-ins for real keys, and a provider prefix in front of one is still worth reporting.

/** Vendors' documented example credentials, which appear in docs and tests everywhere. */
const KNOWN_DOCUMENTATION_VALUES = new Set([
  "AKIAIOSFODNN7EXAMPLE",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
  "AKIAI44QH8DHBEXAMPLE",
  "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
  "pk_test_TYooMQauvdEDq54NiTphI7jx",
  "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",
]);

export function isPlaceholder(secret: string): boolean {
  if (KNOWN_DOCUMENTATION_VALUES.has(secret)) return true;
  for (const re of REFERENCE_PATTERNS) if (re.test(secret)) return true;
  if (PLACEHOLDER_WORDS.test(secret)) return true;
  for (const re of MASK_PATTERNS) if (re.test(secret)) return true;
  return false;
}
