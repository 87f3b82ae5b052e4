import type { Decoder } from "./types.js";

/** Percent-encoded runs (URLs, form bodies, query strings) holding at least two escapes. */
export const percentDecoder: Decoder = {
  kind: "percent",
  trigger: "(?:[A-Za-z0-9._~+:/@=&?!$-]|%[0-9A-Fa-f]{2}){6,}%[0-9A-Fa-f]{2}(?:[A-Za-z0-9._~+:/@=&?!$-]|%[0-9A-Fa-f]{2}){4,}",
  claims: (match) => match.includes(0x25),
  decode(run) {
    const text = run.toString("latin1");
    if ((text.match(/%[0-9A-Fa-f]{2}/g) ?? []).length < 2) return null;
    try {
      const decoded = decodeURIComponent(text.replace(/\+/g, " "));
      return decoded === text ? null : Buffer.from(decoded, "utf8");
    } catch {
      return null;
    }
  },
};
