import { describe, expect, it } from "vitest";
import { parseEd25519PublicKey, toBase64Url } from "./ed25519-keys.ts";

// RFC 8032's first test vector's public key.
const RAW = Buffer.from("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "hex");

describe("Ed25519 public key formats", () => {
  it("reads base64url (even one that begins with z) and multibase Multikeys alike", () => {
    const base64url = toBase64Url(RAW);
    expect(parseEd25519PublicKey(base64url)).toEqual(new Uint8Array(RAW));
    expect(parseEd25519PublicKey("z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw")).toBeDefined();
    for (let i = 0; i < 200; i++) {
      const key = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
      const parsed = parseEd25519PublicKey(`z${key.slice(1)}`);
      // Random bytes are a point about half the time; either way, never a misread Multikey.
      if (parsed !== undefined) expect(toBase64Url(parsed)).toBe(`z${key.slice(1)}`);
    }
  });

  it("refuses what is not a usable key: wrong length, bad characters, small-order points", () => {
    for (const text of [
      "",
      "short",
      `${toBase64Url(RAW)}AA`,
      "A".repeat(43),
      "z6Mk!!!!",
      "not base64 at all!!!!!!!!!!!!!!!!!!!!!!!!!!",
    ]) {
      expect(parseEd25519PublicKey(text), text).toBeUndefined();
    }
  });
});
