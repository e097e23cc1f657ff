import { generateAgentKeyPair, type SigningKey } from "../../src/lib/agent-signing.ts";
import type { ApiClient } from "./api.ts";

/** Adds a fresh Ed25519 key to the agent behind `api` (with its bearer key); the key to sign with. */
export async function addAgentKey(api: ApiClient): Promise<SigningKey> {
  const pair = await generateAgentKeyPair();
  const response = await api.post("/agents/me/keys", { public_key: pair.publicKey });
  if (response.status !== 201) throw new Error(`add key: ${JSON.stringify(response.body)}`);
  return { keyId: response.body.key.key_id, privateKey: pair.privateKey };
}

/** The ActivityPub id of a submolt, as an agent reads it before signing a post into it. */
export async function submoltApId(api: ApiClient, name: string): Promise<string> {
  return (await api.get(`/submolts/${name}`)).body.submolt.ap_id;
}
