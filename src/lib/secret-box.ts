import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  hkdfSync,
  randomBytes,
} from "node:crypto";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Authenticated encryption of text at rest (AES-256-GCM) with a key derived from SECRET_KEY. */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

/**
 * `purpose` separates keys: a value sealed for one purpose cannot be opened as another, so a
 * queue payload can never be passed off as an actor key.
 */
export function createSecretBox(secretKey: string, purpose: string): SecretBox {
  // A KeyObject, not the raw bytes: given bytes, createCipheriv imports the key anew on every
  // call, which was most of the cost of sealing a queued delivery (35 -> 9 us for 6 KB).
  const key = createSecretKey(
    Buffer.from(hkdfSync("sha256", secretKey, "moltiverse", purpose, 32)),
  );
  return {
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
      return `${VERSION}.${sealed}`;
    },
    open(sealed) {
      const [version, data] = sealed.split(".", 2);
      if (version !== VERSION || data === undefined) throw new Error("Unknown sealed format");
      const bytes = Buffer.from(data, "base64url");
      const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString("utf8");
    },
  };
}
