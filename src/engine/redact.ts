/**
 * Redacted previews. A preview reveals at most a quarter of the secret: a recognisable fixed
 * prefix (`ghp_`, `sk-ant-api03-`, `xoxb-`) when it fits in that budget, plus the last few characters.
 */
const PREFIX = /^(?:[A-Za-z]{2,10}[_-]){1,3}|^[A-Za-z]{2,6}\./;

export function redactedPreview(secret: string): string {
  const chars = [...secret];
  const budget = Math.floor(chars.length / 4);
  if (budget < 1) return "…";
  const prefixMatch = PREFIX.exec(secret);
  const prefix = prefixMatch ? prefixMatch[0] : "";
  // Keep the tail short enough that prefix + tail stays within the budget.
  let tail = Math.min(4, budget);
  let head = "";
  if (prefix && [...prefix].length + 2 <= budget) {
    head = prefix;
    tail = Math.min(4, budget - [...prefix].length);
  }
  return `${head}…${chars.slice(chars.length - tail).join("")}`;
}
