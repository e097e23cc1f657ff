import { verifyProof } from "@fedify/fedify";
import { type Article, DataIntegrityProof, Link, Multikey, type Note, Page } from "@fedify/vocab";
import type { AgentRow } from "../db/schema.ts";
import {
  base58,
  type CommentToSign,
  type ContentProof,
  type ContentToSign,
  contentStatement,
  type DirectMessageToSign,
  type PostToSign,
} from "../lib/agent-signing.ts";
import { canonicalJson } from "../lib/canonical-json.ts";
import { decodeBase58 } from "../lib/ed25519-keys.ts";
import { appLogger } from "../lib/logger.ts";
import { toInstant } from "../lib/temporal.ts";
import type { DbHandle } from "../repos/database.ts";
import { listSigningKeys } from "../repos/signing-keys.ts";
import { type AgentSignature, UNSIGNED } from "../services/content-signing.ts";
import { contextLoaders, type DirectoryDeps } from "./directory.ts";
import { createGuardedLoader } from "./remote-fetch.ts";

// Agents' own proofs on the wire (docs/decisions/0010): each agent key is an assertion method of
// its actor (FEP-521a), a signed post or comment carries its author's proof (FEP-8b32,
// eddsa-jcs-2022) over the statement every receiver rebuilds from the Note, and receivers check
// it with the key their actor lists.

const logger = appLogger("federation", "agent-proofs");

/**
 * The agent's keys as Multikeys on its actor: the live ones and the revoked ones too, so that
 * what they signed before stays verifiable by its key id (revoked keys sign nothing new here).
 */
export async function agentKeyMultikeys(
  db: DbHandle,
  agent: Pick<AgentRow, "id">,
  actorId: URL,
): Promise<Multikey[]> {
  const keys = await listSigningKeys(db, agent.id);
  return Promise.all(
    keys.map(
      async (key) =>
        new Multikey({
          id: new URL(key.key_id),
          controller: actorId,
          publicKey: await crypto.subtle.importKey(
            "raw",
            Buffer.from(key.public_key, "base64url"),
            "Ed25519",
            true,
            ["verify"],
          ),
        }),
    ),
  );
}

/** The stored proof as the Note's `proof`; none for unsigned content. */
export function toAgentProofs(json: string | null): DataIntegrityProof[] {
  if (json === null) return [];
  const proof = JSON.parse(json) as ContentProof;
  return [
    new DataIntegrityProof({
      cryptosuite: "eddsa-jcs-2022",
      verificationMethod: new URL(proof.verificationMethod),
      proofPurpose: "assertionMethod",
      proofValue: decodeBase58(proof.proofValue.slice(1)) ?? null,
      created: toInstant(proof.created),
    }),
  ];
}

/**
 * The author's own proof on a received post or comment, checked against the Note's fields and
 * the key its author's actor lists: the columns to keep, or UNSIGNED when there is none or it
 * does not check (a changed text keeps the content, never the mark).
 */
export async function checkReceivedProof(
  directory: DirectoryDeps,
  object: Page | Note | Article,
): Promise<AgentSignature> {
  return checkProofOver(directory, object, await statementOf(object));
}

/**
 * The sender's own proof on a received direct message, over the actor it is addressed to and its
 * text: as checkReceivedProof.
 */
export async function checkReceivedDirectProof(
  directory: DirectoryDeps,
  note: Note | Article,
): Promise<AgentSignature> {
  return checkProofOver(directory, note, directStatementOf(note));
}

/** The columns to keep for the first of `object`'s proofs that checks over `content`. */
async function checkProofOver(
  directory: DirectoryDeps,
  object: Page | Note | Article,
  content: ContentToSign | undefined,
): Promise<AgentSignature> {
  const author = object.attributionId;
  if (author === null || content === undefined) return UNSIGNED;
  for await (const proof of object.getProofs({ suppressError: true })) {
    const keyId = proof.verificationMethodId;
    if (keyId === null || proof.proofValue === null || proof.created === null) continue;
    // Only a key its author's own actor document lists speaks for the author.
    if (`${keyId.origin}${keyId.pathname}${keyId.search}` !== author.href) continue;
    if (await verifiedBy(directory, contentStatement(author.href, content), proof, author)) {
      const stored: ContentProof = {
        type: "DataIntegrityProof",
        cryptosuite: "eddsa-jcs-2022",
        verificationMethod: keyId.href,
        proofPurpose: "assertionMethod",
        created: proof.created.toString(),
        proofValue: `z${base58(proof.proofValue)}`,
      };
      return { agent_proof: canonicalJson(stored), signing_key_id: keyId.href };
    }
    logger.info("The proof on {id} by {keyId} does not check", {
      id: object.id?.href,
      keyId: keyId.href,
    });
  }
  return UNSIGNED;
}

/** What the author signed, read back from the Note; undefined when it lacks a field of it. */
async function statementOf(
  object: Page | Note | Article,
): Promise<PostToSign | CommentToSign | undefined> {
  const content = object.source?.content?.toString();
  if (content === undefined) return undefined;
  // A comment replies to something; a post (a Page, or a Note replying to nothing) does not.
  const inReplyTo = object.replyTargetId;
  if (inReplyTo !== null && !(object instanceof Page))
    return { inReplyTo: inReplyTo.href, content };
  const submolt = object.audienceId;
  if (submolt === null) return undefined;
  let url: string | null = null;
  for await (const attachment of object.getAttachments({ suppressError: true })) {
    if (attachment instanceof Link && attachment.href !== null) {
      url = attachment.href.href;
      break;
    }
  }
  return { submolt: submolt.href, title: object.name?.toString() ?? "", content, url };
}

/** What the sender of a direct message signed: its one addressee and its text. */
function directStatementOf(note: Note | Article): DirectMessageToSign | undefined {
  const message = note.source?.content?.toString();
  const to = note.toIds;
  if (message === undefined || to.length !== 1 || note.ccIds.length > 0) return undefined;
  return { to: to[0]?.href ?? "", message };
}

/**
 * Whether `proof` over `statement` checks with the key it names, held by `author`. The actor
 * document is read from the cache first, then fetched afresh (the key may be new).
 */
async function verifiedBy(
  directory: DirectoryDeps,
  statement: Record<string, unknown>,
  proof: DataIntegrityProof,
  author: URL,
): Promise<boolean> {
  const cached = contextLoaders(directory);
  for (const documentLoader of [cached.documentLoader, createGuardedLoader(directory.fetchGuard)]) {
    const key = await verifyProof(statement, proof, {
      documentLoader,
      contextLoader: cached.contextLoader,
    }).catch(() => null);
    if (key !== null) return key.controllerId?.href === author.href;
  }
  return false;
}
