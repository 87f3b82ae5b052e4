import { describe, expect, it } from "vitest";
import { Detector } from "../../src/engine/detector.js";
import type { RuleDefinition } from "../../src/engine/types.js";
import { githubToken } from "../helpers/tokens.js";

const acme: RuleDefinition = {
  id: "acme-key",
  name: "ACME key",
  pattern: "\\b(acme_[a-z0-9]{32})\\b",
  keywords: ["acme_"],
  entropy: 3,
  remediation: "Rotate it.",
};
const KEY = "acme_k3j5h7g9f2d4s6a8q1w3e5r7t9y2u4i6";

function detect(rules: RuleDefinition[], text: string | Buffer, options = {}) {
  const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  return new Detector(rules, options).detect({ bytes, origin: { path: "f.txt" } });
}

describe("Detector", () => {
  it("reports 1-based line and UTF-16 columns, end exclusive", () => {
    const [f] = detect([acme], `first line\n€😀 key=${KEY}\n`);
    expect(f).toMatchObject({ ruleId: "acme-key", path: "f.txt", startLine: 2, endLine: 2 });
    // "€" is one UTF-16 unit, "😀" two, then " key=" five: the key starts at column 9.
    expect(f?.startColumn).toBe(9);
    expect(f?.endColumn).toBe(9 + KEY.length);
  });

  it("never exposes more than a quarter of the secret in the preview", () => {
    const [f] = detect([acme], KEY);
    expect(f?.preview).not.toContain(KEY.slice(5, 20));
    const shown = (f?.preview ?? "").replace("…", "");
    expect(shown.length).toBeLessThanOrEqual(Math.floor(KEY.length / 4));
    expect(f?.secretSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("gives a fingerprint that survives the secret moving to another line", () => {
    const [a] = detect([acme], `x=${KEY}`);
    const [b] = detect([acme], `\n\n\n   y = ${KEY}`);
    expect(a?.fingerprint).toBe(b?.fingerprint);
    expect(a?.fingerprint).toBe(`acme-key:${a?.secretSha256}:f.txt`);
  });

  it("applies the entropy floor and the placeholder filter", () => {
    expect(detect([acme], "acme_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")).toHaveLength(0);
    expect(detect([{ ...acme, pattern: "key=(\\S+)", keywords: [], entropy: 0 }], "key=${ACME_KEY}")).toHaveLength(0);
    expect(detect([{ ...acme, pattern: "key=(\\S+)", keywords: [], entropy: 0 }], "key=<YOUR_KEY>")).toHaveLength(0);
  });

  it("finds secrets across the chunk boundaries of a large buffer, once each", () => {
    const filler = "lorem ipsum dolor sit amet\n".repeat(10_000); // ~270 KB
    const parts: string[] = [];
    for (let i = 0; i < 5; i++) parts.push(filler.slice(0, 65_536 - 10 + i * 3), ` ${KEY} `);
    const findings = detect([acme], parts.join(""));
    expect(findings).toHaveLength(5);
    expect(new Set(findings.map((f) => f.startLine)).size).toBe(5);
  });

  it("validates checksummed tokens and drops look-alikes", () => {
    const rule: RuleDefinition = {
      id: "gh",
      name: "GitHub",
      pattern: "\\b(ghp_[A-Za-z0-9]{36})\\b",
      checksum: "base62-crc32",
      remediation: "r",
    };
    const good = githubToken();
    expect(detect([rule], `t=${good}`)).toHaveLength(1);
    const bad = `${good.slice(0, -1)}${good.endsWith("A") ? "B" : "A"}`;
    expect(detect([rule], `t=${bad}`)).toHaveLength(0);
  });

  it("finds a token inside base64 (Kubernetes Secret data) and points at the encoded text", () => {
    const encoded = Buffer.from(`user:${KEY}`).toString("base64");
    const text = `apiVersion: v1\nkind: Secret\ndata:\n  token: ${encoded}\n`;
    const [f] = detect([acme], text);
    expect(f).toMatchObject({ ruleId: "acme-key", startLine: 4, startColumn: 10, decodedFrom: "base64" });
    expect(f?.endColumn).toBe(10 + encoded.length);
    expect(detect([acme], text, { decode: false })).toHaveLength(0);
  });

  it("decodes nested encodings (a docker config inside a Kubernetes Secret)", () => {
    const auth = Buffer.from(`bot:${KEY}`).toString("base64");
    const dockerConfig = JSON.stringify({ auths: { "registry.acme.dev": { auth } } });
    const text = `data:\n  .dockerconfigjson: ${Buffer.from(dockerConfig).toString("base64")}\n`;
    const [f] = detect([acme], text);
    expect(f).toMatchObject({ startLine: 2, decodedFrom: "base64>base64" });
  });

  it("decodes hex and percent-encoded text", () => {
    expect(detect([acme], `blob=${Buffer.from(`k=${KEY}`).toString("hex")}`)[0]?.decodedFrom).toBe("hex");
    const everyBytePercent = [...Buffer.from(KEY)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
    expect(detect([acme], `q=x%20y&k=${everyBytePercent}&z=1`)[0]?.decodedFrom).toBe("percent");
  });

  it("keeps one finding per secret: a provider rule beats a generic one", () => {
    const generic: RuleDefinition = { id: "generic", name: "g", pattern: "key=(\\S+)", tags: ["generic"], remediation: "r" };
    const findings = detect([generic, acme], `key=${KEY}`);
    expect(findings.map((f) => f.ruleId)).toEqual(["acme-key"]);
  });

  it("handles non-UTF-8 bytes without crashing", () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x0a]), Buffer.from(`k=${KEY}\n`)]);
    expect(detect([acme], bytes)[0]?.startLine).toBe(2);
  });

  it("runs a pathological user rule in linear time (RE2, no backtracking)", () => {
    const evil: RuleDefinition = { id: "evil", name: "evil", pattern: "(a+)+$", remediation: "r" };
    const input = Buffer.alloc(10 * 1024 * 1024, "a");
    input[input.length - 1] = 0x21; // "!" so the match must fail at the end
    const started = performance.now();
    expect(detect([evil], input, { decode: false })).toHaveLength(0);
    // A backtracking engine would not finish in our lifetime; RE2 takes well under a minute.
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  it("rejects a rule that does not compile under RE2, naming it", () => {
    expect(() => detect([{ ...acme, id: "bad-rule", pattern: "(?<=x)y" }], "")).toThrow(/bad-rule.*RE2/);
    expect(() => detect([{ ...acme, secretGroup: 3 }], "")).toThrow(/secretGroup/);
  });
});

describe("keyword table cache", () => {
  it("restores the automaton from the cache and finds the same secrets", () => {
    const store = new Map<string, Buffer>();
    const cache = { get: (k: string) => store.get(k), set: (k: string, v: Buffer) => void store.set(k, v) };
    const text = `x=${KEY}\nacme_${"q".repeat(32)}`;
    const first = new Detector([acme], { keywordTableCache: cache }).detect({ bytes: Buffer.from(text), origin: { path: "a" } });
    expect(store.size).toBe(1);
    const second = new Detector([acme], { keywordTableCache: cache }).detect({ bytes: Buffer.from(text), origin: { path: "a" } });
    expect(second).toEqual(first);
    // A corrupt entry is ignored and rebuilt, never trusted.
    for (const k of store.keys()) store.set(k, Buffer.from("garbage!"));
    expect(new Detector([acme], { keywordTableCache: cache }).detect({ bytes: Buffer.from(text), origin: { path: "a" } })).toEqual(first);
  });
});
