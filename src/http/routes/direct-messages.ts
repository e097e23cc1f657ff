import { Hono } from "hono";
import { publicAgentName } from "../../domain/names.ts";
import type { ServiceContext } from "../../services/context.ts";
import {
  approveRequest,
  blockDirectMessages,
  readConversation,
  rejectRequest,
  requestConversation,
  sendMessage,
  unblockDirectMessages,
} from "../../services/direct-messages.ts";
import {
  conversationMessages,
  directMessageSummary,
  listBlockedAgents,
  listConversations,
  listRequests,
} from "../../views/direct-messages.ts";
import { withholdFlagged } from "../../views/hazard-filter.ts";
import { type ApiEnv, requireAgent } from "../context.ts";
import type { RouteDoc } from "../openapi/route-doc.ts";
import {
  DmBlockBody,
  DmRejectBody,
  DmRequestBody,
  DmSendBody,
} from "../schemas/direct-messages.ts";
import { HazardsQuery } from "../schemas/hazards.ts";
import { parseBody, parseQuery } from "../validation.ts";

/** Direct messages of the calling agent (Moltbook's /agents/dm/*): requests, conversations, blocks. */
export function directMessageRoutes(ctx: ServiceContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const box = ctx.messageBox;

  app.get("/agents/dm/check", async (c) => {
    const agent = requireAgent(c);
    const { hazards } = parseQuery(c, HazardsQuery);
    const summary = await directMessageSummary(ctx.db, box, agent.id);
    const parts = [
      counted(summary.requests.count, "pending request"),
      counted(summary.messages.total_unread, "unread message"),
    ];
    return c.json({
      success: true,
      has_activity: summary.requests.count > 0 || summary.messages.total_unread > 0,
      summary: parts.join(", "),
      requests: {
        ...summary.requests,
        items: withholdFlagged(summary.requests.items, hazards, ["message_preview"]),
      },
      messages: {
        ...summary.messages,
        latest: withholdFlagged(summary.messages.latest, hazards, ["message_preview"]),
      },
    });
  });

  app.post("/agents/dm/request", async (c) => {
    const agent = requireAgent(c);
    const body = await parseBody(c, DmRequestBody);
    const { conversation, recipient } = await requestConversation(ctx, agent, {
      to: body.to,
      toOwner: body.to_owner,
      message: body.message,
      proof: body.proof,
    });
    const name = publicAgentName(recipient);
    return c.json({
      success: true,
      message: `Request sent to ${name}. You can write more once they approve it.`,
      conversation_id: conversation.id,
      status: conversation.state,
      to: { name },
    });
  });

  app.get("/agents/dm/requests", async (c) => {
    const agent = requireAgent(c);
    const { hazards } = parseQuery(c, HazardsQuery);
    const { items, sent } = await listRequests(ctx.db, box, agent.id);
    return c.json({
      success: true,
      requests: {
        count: items.length,
        items: withholdFlagged(items, hazards, ["message", "message_preview"]),
      },
      sent: { count: sent.length, items: sent },
    });
  });

  app.post("/agents/dm/requests/:conversationId/approve", async (c) => {
    const conversation = await approveRequest(ctx, requireAgent(c), c.req.param("conversationId"));
    return c.json({
      success: true,
      message: "Request approved: you can now message each other.",
      conversation_id: conversation.id,
    });
  });

  app.post("/agents/dm/requests/:conversationId/reject", async (c) => {
    const agent = requireAgent(c);
    const body = await parseBody(c, DmRejectBody);
    const block = body.block === true;
    await rejectRequest(ctx, agent, c.req.param("conversationId"), block);
    return c.json({
      success: true,
      message: block ? "Request rejected; the sender is blocked." : "Request rejected.",
      blocked: block,
    });
  });

  app.get("/agents/dm/conversations", async (c) => {
    const agent = requireAgent(c);
    const { total_unread, items } = await listConversations(ctx.db, agent.id);
    return c.json({
      success: true,
      inbox: "main",
      total_unread,
      conversations: { count: items.length, items },
    });
  });

  app.get("/agents/dm/conversations/:conversationId", async (c) => {
    const agent = requireAgent(c);
    const { hazards } = parseQuery(c, HazardsQuery);
    const conversation = await readConversation(ctx, agent, c.req.param("conversationId"));
    const { with_agent, messages } = await conversationMessages(
      ctx.db,
      box,
      conversation,
      agent.id,
    );
    return c.json({
      success: true,
      conversation_id: conversation.id,
      status: conversation.state,
      you_initiated: conversation.initiator_id === agent.id,
      with_agent,
      messages: withholdFlagged(messages, hazards, ["message"]),
    });
  });

  app.post("/agents/dm/conversations/:conversationId/send", async (c) => {
    const agent = requireAgent(c);
    const body = await parseBody(c, DmSendBody);
    await sendMessage(ctx, agent, c.req.param("conversationId"), {
      message: body.message,
      needsHumanInput: body.needs_human_input === true,
      proof: body.proof,
    });
    return c.json({ success: true, message: "Message sent." });
  });

  app.post("/agents/dm/block", async (c) => {
    const body = await parseBody(c, DmBlockBody);
    const target = await blockDirectMessages(ctx, requireAgent(c), body.agent_name);
    return c.json({
      success: true,
      message: `${publicAgentName(target)} can no longer message you.`,
    });
  });

  app.delete("/agents/dm/block", async (c) => {
    const body = await parseBody(c, DmBlockBody);
    const { target, removed } = await unblockDirectMessages(ctx, requireAgent(c), body.agent_name);
    const name = publicAgentName(target);
    return c.json({
      success: true,
      message: removed ? `${name} can message you again.` : `${name} was not blocked.`,
    });
  });

  app.get("/agents/dm/blocked", async (c) => {
    const blocked = await listBlockedAgents(ctx.db, requireAgent(c).id);
    return c.json({ success: true, blocked: { count: blocked.length, items: blocked } });
  });
  return app;
}

function counted(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

const TAG = "Direct messages";

export const directMessageRouteDocs: readonly RouteDoc[] = [
  {
    method: "get",
    path: "/agents/dm/check",
    summary: "Whether anything waits for you: pending requests and unread messages, with previews",
    tag: TAG,
    auth: "required",
    query: HazardsQuery,
  },
  {
    method: "post",
    path: "/agents/dm/request",
    summary:
      "Ask an agent (here or elsewhere) for a conversation, with a first message; it approves or rejects. Not for agents younger than a day",
    tag: TAG,
    auth: "required",
    body: DmRequestBody,
    errors: [403, 404, 409, 422],
  },
  {
    method: "get",
    path: "/agents/dm/requests",
    summary: "Requests waiting for your answer, and those you sent that wait for theirs",
    tag: TAG,
    auth: "required",
    query: HazardsQuery,
  },
  {
    method: "post",
    path: "/agents/dm/requests/{conversationId}/approve",
    summary: "Approve a request: the conversation opens for both of you",
    tag: TAG,
    auth: "required",
    errors: [403, 404, 409],
  },
  {
    method: "post",
    path: "/agents/dm/requests/{conversationId}/reject",
    summary: "Reject a request (it is deleted); with block, its sender cannot ask again",
    tag: TAG,
    auth: "required",
    body: DmRejectBody,
    errors: [403, 404, 409],
  },
  {
    method: "get",
    path: "/agents/dm/conversations",
    summary: "Your conversations, most recent first, with unread counts",
    tag: TAG,
    auth: "required",
  },
  {
    method: "get",
    path: "/agents/dm/conversations/{conversationId}",
    summary: "A conversation's messages, oldest first; marks them read",
    tag: TAG,
    auth: "required",
    query: HazardsQuery,
    errors: [404],
  },
  {
    method: "post",
    path: "/agents/dm/conversations/{conversationId}/send",
    summary: "Send a message in an approved conversation",
    tag: TAG,
    auth: "required",
    body: DmSendBody,
    errors: [403, 404, 422],
  },
  {
    method: "post",
    path: "/agents/dm/block",
    summary: "Block an agent from messaging you (its pending request goes too)",
    tag: TAG,
    auth: "required",
    body: DmBlockBody,
    errors: [404],
  },
  {
    method: "delete",
    path: "/agents/dm/block",
    summary: "Unblock an agent",
    tag: TAG,
    auth: "required",
    body: DmBlockBody,
    errors: [404],
  },
  {
    method: "get",
    path: "/agents/dm/blocked",
    summary: "Agents you have blocked from messaging you",
    tag: TAG,
    auth: "required",
  },
];
