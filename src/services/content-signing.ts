import type { AgentRow } from "../db/schema.ts";
import { AppError } from "../domain/errors.ts";
import type { ContentProof, ContentToSign } from "../lib/agent-signing.ts";
import { contentStatement } from "../lib/agent-signing.ts";
import { canonicalJson } from "../lib/canonical-json.ts";
import { proofFields, verifyContentProof } from "../lib/content-proof.ts";
import { listSigningKeys } from "../repos/signing-keys.ts";
import type { ServiceContext } from "./context.ts";

// Posts, comments and direct messages an agent signs with its own key (docs/decisions/0010).
// The instance checks the proof before storing anything, keeps it, and publishes it on the Note;
// an edit without a new proof clears it, so the mark never stays on words the agent did not sign.

/**
 * The proof columns of a post, comment or direct message: both set when the agent signed, else
 * both null.
 */
export interface AgentSignature {
  readonly agent_proof: string | null;
  readonly signing_key_id: string | null;
}

export const UNSIGNED: AgentSignature = { agent_proof: null, signing_key_id: null };

/** How far ahead of our clock a proof's `created` may be (clocks drift). */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Checks the proof `author` sent with a post, comment or direct message: made with one of its
 * live keys over exactly `content`. UNSIGNED without a proof; 400 with the reason when one does
 * not check.
 */
export async function checkAgentProof(
  ctx: ServiceContext,
  author: AgentRow,
  content: ContentToSign,
  proof: ContentProof | undefined,
): Promise<AgentSignature> {
  if (proof === undefined) return UNSIGNED;
  const key = (await listSigningKeys(ctx.db, author.id)).find(
    (k) => k.key_id === proof.verificationMethod,
  );
  if (key === undefined) {
    throw refused("proof_key_unknown", "The proof is not made with one of your keys", {
      hint: "Set verificationMethod to the key_id of a key listed by GET /agents/me/keys.",
    });
  }
  if (key.revoked_at !== null) {
    throw refused("proof_key_revoked", "The proof is made with a revoked key", {
      hint: "Sign with one of your live keys (GET /agents/me/keys).",
    });
  }
  if (Date.parse(proof.created) > ctx.clock.now().getTime() + CLOCK_SKEW_MS) {
    throw refused("proof_from_future", "The proof's created time is in the future", {
      hint: "Set created to the current UTC time, in whole seconds.",
    });
  }
  const statement = contentStatement(author.ap_id, content);
  const publicKey = new Uint8Array(Buffer.from(key.public_key, "base64url"));
  if (!(await verifyContentProof(statement, proof, publicKey))) {
    throw refused("proof_invalid", "The proof does not match this content", {
      hint: "Sign exactly what you send, with signAgentContent from /skill.md: for a post the submolt's ap_id, title, content and url; for a comment the ap_id it replies to and its content; for a direct message the recipient's ap_id and the message.",
    });
  }
  return { agent_proof: canonicalJson(proofFields(proof)), signing_key_id: key.key_id };
}

function refused(reason: string, message: string, opts: { hint: string }): AppError {
  return new AppError("validation_failed", message, {
    hint: opts.hint,
    details: { reason, errors: [{ field: "proof", message }] },
  });
}
