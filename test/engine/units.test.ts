import { describe, expect, it } from "vitest";
import { base62Encode, makeBase62Crc32Token, validBase62Crc32Token } from "../../src/engine/checksum.js";
import { shannonEntropy } from "../../src/engine/entropy.js";
import { isPlaceholder } from "../../src/engine/placeholder.js";
import { redactedPreview } from "../../src/engine/redact.js";

describe("entropy", () => {
  it("is zero for one repeated character and log2(n) for n distinct ones", () => {
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBeCloseTo(2);
    expect(shannonEntropy("")).toBe(0);
  });
});

describe("placeholder filter", () => {
  it.each([
    "${GITHUB_TOKEN}",
    "${env:OPENAI_API_KEY}",
    "${input:api-key}",
    "${{ secrets.NPM_TOKEN }}",
    "$(op read op://vault/item/field)",
    "op://Private/openai/credential",
    "<YOUR_KEY>",
    "your-api-key-here",
    "sk-xxxxxxxxxxxxxxxxxxxxxxxx",
    "********",
    "changeme",
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "%API_KEY%",
    "$API_KEY",
  ])("treats %s as a placeholder", (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  it.each(["q8Zt3Lw9Vx2Km7Np4Rs6Ty1Bc5Dh0Fg", "Tq9vLm2xRw7pZk4s", "sk_live_51HxQ2bK9zT4mW7pR3nV8sY1c"])("keeps %s", (value) => {
    expect(isPlaceholder(value)).toBe(false);
  });
});

describe("redacted preview", () => {
  it("shows a recognisable prefix and the tail, at most a quarter of the secret", () => {
    const token = "ghp_q8Zt3Lw9Vx2Km7Np4Rs6Ty1Bc5Dh0Fg7Jk2L";
    const preview = redactedPreview(token);
    expect(preview.startsWith("ghp_…")).toBe(true);
    expect(preview.endsWith(token.slice(-4))).toBe(true);
    expect(preview.replace("…", "").length).toBeLessThanOrEqual(token.length / 4);
  });

  it("reveals almost nothing of a short password", () => {
    expect(redactedPreview("hunter22")).toBe("…22");
    expect(redactedPreview("abc")).toBe("…");
  });
});

describe("GitHub-style checksum", () => {
  it("round-trips", () => {
    const token = makeBase62Crc32Token("ghp_", "abcdefghijklmnopqrstuvwxyzABCD");
    expect(token).toHaveLength(40);
    expect(validBase62Crc32Token(token)).toBe(true);
    expect(validBase62Crc32Token(`${token.slice(0, -1)}0`)).toBe(token.endsWith("0"));
  });

  it("pads base62 to the width", () => {
    expect(base62Encode(0, 6)).toBe("000000");
    expect(base62Encode(61, 2)).toBe("0z");
  });
});
