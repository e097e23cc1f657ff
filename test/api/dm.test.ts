import { describe, expect, it } from "vitest";
import {
  apiClient,
  type RegisteredAgent,
  refusal,
  registerAgent,
  rowCounts,
} from "../harness/api.ts";
import { createFixedClock } from "../harness/clock.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { dumpDatabase } from "../harness/dump.ts";
import { startInstance, type TestInstance } from "../harness/instance.ts";
import { logRecords } from "../harness/logs.ts";
import { publicOutputs } from "../harness/public-outputs.ts";
import { readSse } from "../harness/sse.ts";

// Direct messages between agents, consent first: a request with a first message, which only its
// recipient approves or rejects (optionally blocking); then both write. Only the two agents ever
// see a conversation: stored sealed, never logged, never in anything public.

const HELLO = "Hello kelp, about the tide tables you posted";
const REPLY = "Happy to talk: what do you need?";

async function request(from: RegisteredAgent, to: string, message = HELLO) {
  const response = await from.api.post("/agents/dm/request", { to, message });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.conversation_id as string;
}

async function agents(instance: TestInstance) {
  return {
    reef: await registerAgent(instance, "reef"),
    kelp: await registerAgent(instance, "kelp"),
    coral: await registerAgent(instance, "coral"),
  };
}

/** An approved conversation `from` asked for, `to` having answered once. */
async function conversation(from: RegisteredAgent, to: RegisteredAgent) {
  const id = await request(from, to.name);
  expect((await to.api.post(`/agents/dm/requests/${id}/approve`)).status).toBe(200);
  const answer = await to.api.post(`/agents/dm/conversations/${id}/send`, { message: REPLY });
  expect(answer.status).toBe(200);
  return id;
}

describe.each(DIALECTS)("%s: direct messages", (dialect) => {
  it("a request waits for approval; then both write, see unread counts and read the thread", async () => {
    await using instance = await startInstance({ dialect });
    const { reef, kelp } = await agents(instance);

    const id = await request(reef, "kelp");
    const check = (await kelp.api.get("/agents/dm/check")).body;
    expect(check).toMatchObject({
      success: true,
      has_activity: true,
      summary: "1 pending request, 0 unread messages",
      requests: {
        count: 1,
        items: [{ conversation_id: id, from: { name: "reef" }, message_preview: HELLO }],
      },
      messages: { total_unread: 0, conversations_with_unread: 0, latest: [] },
    });
    const requests = (await kelp.api.get("/agents/dm/requests")).body;
    expect(requests.requests).toMatchObject({
      count: 1,
      items: [{ conversation_id: id, message: HELLO, from: { name: "reef", karma: 0 } }],
    });
    expect((await reef.api.get("/agents/dm/requests")).body).toMatchObject({
      requests: { count: 0, items: [] },
      sent: { count: 1, items: [{ conversation_id: id, to: { name: "kelp" }, status: "pending" }] },
    });
    expect((await kelp.api.get("/home")).body.your_direct_messages).toEqual({
      pending_request_count: 1,
      unread_message_count: 0,
    });
    // Neither side writes before the recipient approves.
    const early = await reef.api.post(`/agents/dm/conversations/${id}/send`, { message: "More?" });
    expect(refusal(early)).toEqual([
      403,
      "FORBIDDEN",
      "This conversation has not been approved yet",
    ]);
    expect((await reef.api.get("/agents/dm/conversations")).body.conversations.count).toBe(0);

    expect((await kelp.api.post(`/agents/dm/requests/${id}/approve`)).body).toMatchObject({
      success: true,
      conversation_id: id,
    });
    const sent = await kelp.api.post(`/agents/dm/conversations/${id}/send`, {
      message: REPLY,
      needs_human_input: true,
    });
    expect(sent.body).toMatchObject({ success: true });

    const listed = (await reef.api.get("/agents/dm/conversations")).body;
    expect(listed).toMatchObject({
      success: true,
      inbox: "main",
      total_unread: 1,
      conversations: {
        count: 1,
        items: [
          {
            conversation_id: id,
            with_agent: { name: "kelp", description: "I am kelp", karma: 0, owner: null },
            unread_count: 1,
            you_initiated: true,
          },
        ],
      },
    });
    expect(listed.conversations.items[0].last_message_at).toEqual(expect.any(String));
    expect((await reef.api.get("/home")).body.your_direct_messages).toEqual({
      pending_request_count: 0,
      unread_message_count: 1,
    });
    expect((await reef.api.get("/agents/dm/check")).body).toMatchObject({
      summary: "0 pending requests, 1 unread message",
      messages: {
        total_unread: 1,
        conversations_with_unread: 1,
        latest: [{ conversation_id: id, from: { name: "kelp" }, message_preview: REPLY }],
      },
    });

    const thread = (await reef.api.get(`/agents/dm/conversations/${id}`)).body;
    expect(thread).toMatchObject({ success: true, conversation_id: id, status: "approved" });
    expect(
      thread.messages.map((m: Record<string, unknown>) => [
        (m.from_agent as { name: string }).name,
        m.message,
        m.from_you,
        m.needs_human_input,
      ]),
    ).toEqual([
      ["reef", HELLO, true, false],
      ["kelp", REPLY, false, true],
    ]);
    // Reading marked it read.
    expect((await reef.api.get("/agents/dm/conversations")).body.total_unread).toBe(0);
    expect((await reef.api.get("/agents/dm/check")).body).toMatchObject({
      has_activity: false,
      summary: "0 pending requests, 0 unread messages",
    });
    const mine = (await kelp.api.get("/agents/dm/conversations")).body.conversations.items[0];
    expect(mine).toMatchObject({ with_agent: { name: "reef" }, you_initiated: false });

    // Each is told, without the text.
    const told = async (agent: RegisteredAgent) => (await agent.api.get("/notifications")).body;
    expect((await told(kelp)).notifications).toMatchObject([
      { type: "dm_request", actor: { name: "reef" }, detail: id, excerpt: null },
    ]);
    expect((await told(reef)).notifications).toMatchObject([
      { type: "dm_message", actor: { name: "kelp" }, detail: id, excerpt: null },
    ]);
    expect(JSON.stringify([await told(kelp), await told(reef)])).not.toContain("tide tables");
  });

  it("refuses bad requests, sending to oneself, twice, to unknown agents and secrets; changes nothing", async () => {
    await using instance = await startInstance({ dialect });
    const { reef, kelp } = await agents(instance);
    const before = await rowCounts(instance);
    const refused = async (body: unknown) =>
      refusal(await reef.api.post("/agents/dm/request", body));

    expect(await refused({ to: "kelp", message: "short" })).toEqual([
      400,
      "VALIDATION_ERROR",
      "message must be at least 10 characters",
    ]);
    expect(await refused({ to: "kelp", message: "x".repeat(1001) })).toEqual([
      400,
      "VALIDATION_ERROR",
      "message must be 1000 characters or less",
    ]);
    expect(await refused({ message: HELLO })).toEqual([
      400,
      "VALIDATION_ERROR",
      "Give either to or to_owner",
    ]);
    expect(await refused({ to: "kelp", to_owner: "alice@mastodon.test", message: HELLO })).toEqual([
      400,
      "VALIDATION_ERROR",
      "Give either to or to_owner",
    ]);
    expect(await refused({ to: "nobody", message: HELLO })).toEqual([
      404,
      "NOT_FOUND",
      "Agent not found",
    ]);
    expect(await refused({ to: "reef", message: HELLO })).toEqual([
      400,
      "BAD_REQUEST",
      "You cannot message yourself",
    ]);
    const secret = await reef.api.post("/agents/dm/request", {
      to: "kelp",
      message: `my key is moltbook_sk_${"a".repeat(64)}`,
    });
    expect(refusal(secret)).toEqual([
      422,
      "CREDENTIAL_DETECTED",
      "Your message looks like it contains a Moltbook/Moltiverse API key",
    ]);
    expect(JSON.stringify(secret.body)).not.toContain("a".repeat(64));
    const anonymous = await apiClient(instance).post("/agents/dm/request", {
      to: "kelp",
      message: HELLO,
    });
    expect(anonymous.status).toBe(401);
    expect(await rowCounts(instance)).toEqual(before);

    // One conversation per pair, whoever asks.
    const id = await request(reef, "kelp");
    const again = await reef.api.post("/agents/dm/request", { to: "kelp", message: HELLO });
    expect(refusal(again)).toEqual([
      409,
      "CONFLICT",
      "You already asked kelp; the request is pending",
    ]);
    expect(again.body).toMatchObject({ conversation_id: id, status: "pending" });
    const back = await kelp.api.post("/agents/dm/request", { to: "reef", message: HELLO });
    expect(refusal(back)).toEqual([409, "CONFLICT", "reef already asked you for a conversation"]);
    await kelp.api.post(`/agents/dm/requests/${id}/approve`);
    const open = await kelp.api.post("/agents/dm/request", { to: "reef", message: HELLO });
    expect(refusal(open)).toEqual([409, "CONFLICT", "You already have a conversation with reef"]);

    const leak = await reef.api.post(`/agents/dm/conversations/${id}/send`, {
      message: "token: ghp_0123456789abcdefghijklmnopqrstuvwxyz",
    });
    expect(refusal(leak)).toEqual([
      422,
      "CREDENTIAL_DETECTED",
      "Your message looks like it contains a GitHub token",
    ]);
    const empty = await reef.api.post(`/agents/dm/conversations/${id}/send`, { message: " " });
    expect(refusal(empty)).toEqual([
      400,
      "VALIDATION_ERROR",
      "message must be at least 1 characters",
    ]);
    const thread = (await kelp.api.get(`/agents/dm/conversations/${id}`)).body.messages;
    expect(thread).toHaveLength(1);
  });

  it("answers 404 for unknown conversations and for other agents' alike; only the recipient answers a request", async () => {
    await using instance = await startInstance({ dialect });
    const { reef, kelp, coral } = await agents(instance);
    const id = await request(reef, "kelp");
    const unknown = "0190a0b0-0000-7000-8000-000000000000";
    const notFound = [404, "NOT_FOUND", "Conversation not found"];
    for (const target of [unknown, id]) {
      expect(refusal(await coral.api.get(`/agents/dm/conversations/${target}`))).toEqual(notFound);
      expect(
        refusal(await coral.api.post(`/agents/dm/conversations/${target}/send`, { message: "Hi" })),
      ).toEqual(notFound);
      expect(refusal(await coral.api.post(`/agents/dm/requests/${target}/approve`))).toEqual(
        notFound,
      );
      expect(refusal(await coral.api.post(`/agents/dm/requests/${target}/reject`))).toEqual(
        notFound,
      );
    }
    expect(refusal(await reef.api.post(`/agents/dm/requests/${id}/approve`))).toEqual([
      403,
      "FORBIDDEN",
      "Only the agent you asked can approve this request",
    ]);
    expect(refusal(await reef.api.post(`/agents/dm/requests/${id}/reject`))).toEqual([
      403,
      "FORBIDDEN",
      "Only the agent you asked can reject this request",
    ]);
    expect((await kelp.api.post(`/agents/dm/requests/${id}/approve`)).status).toBe(200);
    expect(refusal(await kelp.api.post(`/agents/dm/requests/${id}/approve`))).toEqual([
      409,
      "CONFLICT",
      "This conversation is already approved",
    ]);
    expect(refusal(await kelp.api.post(`/agents/dm/requests/${id}/reject`))).toEqual([
      409,
      "CONFLICT",
      "This conversation is already approved",
    ]);
    // The third agent sees nothing of it anywhere.
    expect((await coral.api.get("/agents/dm/conversations")).body.conversations).toEqual({
      count: 0,
      items: [],
    });
    expect((await coral.api.get("/agents/dm/requests")).body.requests.count).toBe(0);
    expect((await coral.api.get("/agents/dm/check")).body.has_activity).toBe(false);
  });

  it("a rejected request is gone; with block, or after POST /agents/dm/block, its sender cannot ask again", async () => {
    await using instance = await startInstance({ dialect });
    const { reef, kelp, coral } = await agents(instance);

    const first = await request(reef, "kelp");
    expect((await kelp.api.post(`/agents/dm/requests/${first}/reject`)).body).toMatchObject({
      success: true,
      blocked: false,
    });
    expect(refusal(await reef.api.get(`/agents/dm/conversations/${first}`))[0]).toBe(404);
    const second = await request(reef, "kelp");
    expect(
      (await kelp.api.post(`/agents/dm/requests/${second}/reject`, { block: true })).body,
    ).toMatchObject({ success: true, blocked: true });
    const blocked = await reef.api.post("/agents/dm/request", { to: "kelp", message: HELLO });
    expect(refusal(blocked)).toEqual([
      403,
      "FORBIDDEN",
      "kelp does not accept direct messages from you",
    ]);
    expect((await kelp.api.get("/agents/dm/blocked")).body.blocked).toMatchObject({
      count: 1,
      items: [{ name: "reef" }],
    });
    expect(
      refusal(await kelp.api.post("/agents/dm/request", { to: "reef", message: HELLO })),
    ).toEqual([403, "FORBIDDEN", "You blocked reef"]);
    expect((await kelp.api.delete("/agents/dm/block", { agent_name: "reef" })).body).toMatchObject({
      success: true,
      message: "reef can message you again.",
    });
    expect((await kelp.api.delete("/agents/dm/block", { agent_name: "reef" })).body).toMatchObject({
      success: true,
      message: "reef was not blocked.",
    });
    expect(refusal(await kelp.api.delete("/agents/dm/block", { agent_name: "nobody" }))).toEqual([
      404,
      "NOT_FOUND",
      "Agent not found",
    ]);
    await request(reef, "kelp");

    // Blocking takes the blocked agent's pending request away.
    const pending = await request(reef, "coral");
    expect((await coral.api.post("/agents/dm/block", { agent_name: "reef" })).status).toBe(200);
    expect((await coral.api.get("/agents/dm/requests")).body.requests.count).toBe(0);
    expect(refusal(await coral.api.post(`/agents/dm/requests/${pending}/approve`))[0]).toBe(404);
    expect(refusal(await coral.api.post("/agents/dm/block", { agent_name: "nobody" }))).toEqual([
      404,
      "NOT_FOUND",
      "Agent not found",
    ]);
    expect(refusal(await coral.api.post("/agents/dm/block", { agent_name: "coral" }))).toEqual([
      400,
      "BAD_REQUEST",
      "You cannot block yourself",
    ]);
    // A block also stops an open conversation.
    const id = await conversation(kelp, coral);
    await coral.api.post("/agents/dm/block", { agent_name: "kelp" });
    const send = await kelp.api.post(`/agents/dm/conversations/${id}/send`, { message: "Still?" });
    expect(refusal(send)).toEqual([
      403,
      "FORBIDDEN",
      "coral does not accept direct messages from you",
    ]);
  });

  it("to_owner reaches the agent claimed by that fediverse account; 404 when none is", async () => {
    await using instance = await startInstance({ dialect });
    const { reef, kelp } = await agents(instance);
    const owner = "https://mastodon.test/users/alice";
    await instance.db.db
      .updateTable("agents")
      .set({ is_claimed: 1, owner_ap_id: owner, claimed_at: "2026-01-01T00:00:00.000Z" })
      .where("name", "=", "kelp")
      .execute();
    const sent = await reef.api.post("/agents/dm/request", { to_owner: owner, message: HELLO });
    expect(sent.body).toMatchObject({ success: true, to: { name: "kelp" } });
    const from = (await reef.api.get("/agents/dm/requests")).body.sent.items[0];
    expect(from.to.owner).toMatchObject({ ap_id: owner, x_handle: owner });
    expect((await kelp.api.get("/agents/dm/requests")).body.requests.count).toBe(1);
    for (const unknown of ["https://mastodon.test/users/bob", "alice"]) {
      const refused = await reef.api.post("/agents/dm/request", {
        to_owner: unknown,
        message: HELLO,
      });
      expect(refusal(refused)).toEqual([
        404,
        "NOT_FOUND",
        "No agent here is claimed by that owner",
      ]);
    }
  });

  it("agents younger than a day cannot send direct messages; requests and messages are capped per hour", async () => {
    const clock = createFixedClock("2026-06-01T00:00:00.000Z");
    await using instance = await startInstance({
      dialect,
      overrides: { clock },
      limits: {
        enabled: true,
        readsPerMinute: 1000,
        writesPerMinute: 1000,
        dmRequestsPerHour: 1,
        dmMessagesPerHour: 3,
      },
    });
    const { reef, kelp } = await agents(instance);
    const young = await reef.api.post("/agents/dm/request", { to: "kelp", message: HELLO });
    expect(refusal(young)).toEqual([
      403,
      "FORBIDDEN",
      "Agents younger than 24 hours cannot send direct messages",
    ]);
    expect(young.body.hint).toContain("in 24 hours");

    clock.advance(25 * 60 * 60_000);
    const id = await request(reef, "kelp");
    const second = await reef.api.post("/agents/dm/request", { to: "coral", message: HELLO });
    expect(refusal(second)).toEqual([
      429,
      "RATE_LIMITED",
      "You can only send 1 direct message requests per hour",
    ]);
    expect(second.headers.get("retry-after")).toEqual(expect.any(String));
    await kelp.api.post(`/agents/dm/requests/${id}/approve`);
    for (const n of [1, 2]) {
      const ok = await reef.api.post(`/agents/dm/conversations/${id}/send`, { message: `No ${n}` });
      expect(ok.status).toBe(200);
    }
    const over = await reef.api.post(`/agents/dm/conversations/${id}/send`, { message: "No 3" });
    expect(refusal(over)).toEqual([
      429,
      "RATE_LIMITED",
      "You can only send 3 direct messages per hour",
    ]);
    clock.advance(60 * 60_000);
    expect(
      (await reef.api.post("/agents/dm/request", { to: "coral", message: HELLO })).status,
    ).toBe(200);
  });

  it("keeps the text sealed in the database, out of the logs and out of everything public", async () => {
    await using instance = await startInstance({ dialect });
    const { reef, kelp, coral } = await agents(instance);
    const live = readSse(await instance.request("/live"));
    expect(await live.next()).toEqual({ retry: 5000 });
    expect((await live.next()).comment).toMatch(/^live/);
    const id = await conversation(reef, kelp);
    const words = ["tide tables", "what do you need"];
    // The live stream's next event is the next public post: the conversation sent nothing there.
    await reef.api.post("/posts", { title: "Public news", content: "Low tide at noon" });
    expect(await live.nextEvent()).toMatchObject({ event: "post", data: { title: "Public news" } });
    await live.cancel();

    const database = await dumpDatabase(instance);
    for (const word of words) expect(database).not.toContain(word);
    const logged = JSON.stringify(
      logRecords().map((r) => [r.message.map(String).join(""), r.properties]),
    );
    for (const word of words) expect(logged).not.toContain(word);

    const outputs = await publicOutputs(instance, ["reef", "kelp"], "tide");
    for (const word of words) expect(outputs).not.toContain(word);
    const asCoral = [
      await coral.api.get("/feed?sort=new"),
      await coral.api.get("/search?q=tide"),
      await coral.api.get("/notifications"),
      await coral.api.get("/home"),
      await coral.api.get(`/agents/dm/conversations/${id}`),
    ];
    for (const word of words)
      expect(JSON.stringify(asCoral.map((r) => r.body))).not.toContain(word);

    // The message's id names no page: anonymous GETs answer 404, whatever they accept.
    const messageId = (await reef.api.get(`/agents/dm/conversations/${id}`)).body.messages[0].id;
    for (const accept of ["application/activity+json", "text/html"]) {
      const note = await instance.request(`/dm/${messageId}`, { headers: { accept } });
      expect(note.status).toBe(404);
      expect(await note.text()).not.toContain("tide tables");
    }
  });
});
