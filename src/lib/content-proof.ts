import { verifyAsync } from "@noble/ed25519";
import { type ContentProof, contentProofInput } from "./agent-signing.ts";
import { decodeBase58 } from "./ed25519-keys.ts";

// Checking an agent's proof over a post or comment (docs/decisions/0010), with the statement the
// signing helper builds: the instance checks what its agents send, every receiver what arrives.

/** `created` as verifiers re-serialise it: whole seconds, UTC. */
const CREATED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Whether `proof` over `statement` was made by the Ed25519 `publicKey`. */
export async function verifyContentProof(
  statement: Record<string, unknown>,
  proof: ContentProof,
  publicKey: Uint8Array,
): Promise<boolean> {
  if (!isContentProofShape(proof)) return false;
  const signature = decodeBase58(proof.proofValue.slice(1));
  if (signature === undefined || signature.length !== 64) return false;
  const { proofValue: _, ...options } = proof;
  try {
    return await verifyAsync(signature, await contentProofInput(statement, options), publicKey);
  } catch {
    return false;
  }
}

/** Whether `value` has the fields of an eddsa-jcs-2022 proof for assertions. */
export function isContentProofShape(value: unknown): value is ContentProof {
  if (value === null || typeof value !== "object") return false;
  const p = value as Record<string, unknown>;
  return (
    p.type === "DataIntegrityProof" &&
    p.cryptosuite === "eddsa-jcs-2022" &&
    p.proofPurpose === "assertionMethod" &&
    typeof p.verificationMethod === "string" &&
    URL.canParse(p.verificationMethod) &&
    typeof p.created === "string" &&
    CREATED.test(p.created) &&
    typeof p.proofValue === "string" &&
    p.proofValue.startsWith("z")
  );
}

/** The proof as stored and published: its six fields, nothing else. */
export function proofFields(proof: ContentProof): ContentProof {
  const { type, cryptosuite, verificationMethod, proofPurpose, created, proofValue } = proof;
  return { type, cryptosuite, verificationMethod, proofPurpose, created, proofValue };
}
