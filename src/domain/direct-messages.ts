/** The agent on the other side of a conversation from `agentId`. */
export function otherParty(
  conversation: { readonly initiator_id: string; readonly recipient_id: string },
  agentId: string,
): string {
  return conversation.initiator_id === agentId
    ? conversation.recipient_id
    : conversation.initiator_id;
}
