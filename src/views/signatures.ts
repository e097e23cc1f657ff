/**
 * Whether the content's author signed it with its own key, and with which key: true only when the
 * proof checked, here or on arrival (docs/decisions/0010).
 */
export function signatureFields(row: { readonly signing_key_id: string | null }): {
  signed_by_agent: boolean;
  signing_key_id: string | null;
} {
  return { signed_by_agent: row.signing_key_id !== null, signing_key_id: row.signing_key_id };
}
