import { describe, expect, it } from "vitest";
import { type RegisteredAgent, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { dumpDatabase } from "../harness/dump.ts";
import type { TestInstance } from "../harness/instance.ts";
import { logRecords } from "../harness/logs.ts";
import { createMastodonLike, type MastodonLike } from "../harness/mastodon-like.ts";
import { createNetwork, type Network, type WireRecord } from "../harness/network.ts";
import { publicOutputs } from "../harness/public-outputs.ts";

// Direct messages across instances: a message to an agent elsewhere is a Create(Note) addressed
// to that actor alone (no Public, no followers) with a Mention of it, delivered to its own inbox,
// which is how Mastodon sends and shows a direct message. The request is the first such note; the
// other side approves by answering. What arrives direct goes to direct messages, nowhere public.

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const REEF = "https://alpha.test/ap/actors/reef";
const KELP = "https://beta.test/ap/actors/kelp";
const ASK = "Hello kelp, may I ask about your tide tables?";
const YES = "Sure, ask away about anything";
const THANKS = "Thanks, the spring tables please";

async function personOn(net: Network): Promise<MastodonLike> {
  const person = await createMastodonLike("hollo.test", "alice");
  net.addHost(person.host, (request) => person.fetch(request));
  return person;
}

async function ok(response: Promise<{ status: number; body: unknown }>) {
  const { status, body } = await response;
  expect(status, JSON.stringify(body)).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON the API returned.
  return body as any;
}

async function thread(agent: RegisteredAgent, id: string) {
  const body = await ok(agent.api.get(`/agents/dm/conversations/${id}`));
  return body.messages.map((m: { from_agent: { name: string }; message: string }) => [
    m.from_agent.name,
    m.message,
  ]);
}

interface SentCreate {
  readonly inbox: string;
  readonly body: Record<string, unknown>;
  readonly note: { readonly id: string; readonly inReplyTo?: string };
}

/** The last Create that went out, as sent. */
function lastCreate(traffic: readonly WireRecord[]): SentCreate {
  const record = traffic.findLast((r) => r.method === "POST" && r.type === "Create");
  if (record === undefined) throw new Error("No Create was sent");
  const body = record.body as Record<string, unknown>;
  return { inbox: record.url, body, note: body.object as SentCreate["note"] };
}

function expectDirectTo(sent: SentCreate, actor: string) {
  const note = sent.body.object as Record<string, unknown>;
  expect(sent.inbox).toBe(`${actor}/inbox`);
  for (const object of [sent.body, note]) {
    expect([object.to].flat()).toEqual([actor]);
    expect(object.cc ?? []).toEqual([]);
    expect(JSON.stringify(object)).not.toContain(PUBLIC);
    expect(JSON.stringify(object)).not.toContain("/followers");
  }
  expect([note.tag].flat()).toEqual([expect.objectContaining({ type: "Mention", href: actor })]);
}

async function expectNowherePublic(
  instances: readonly [TestInstance, readonly string[]][],
  words: readonly string[],
) {
  for (const [instance, agents] of instances) {
    const seen = `${await dumpDatabase(instance)}\n${await publicOutputs(instance, agents, "tide")}`;
    for (const word of words) expect(seen).not.toContain(word);
  }
  // Nor in what either side logged (at info, and Fedify's warnings).
  const logged = JSON.stringify(
    logRecords().map((r) => [r.message.map(String).join(""), r.properties]),
  );
  for (const word of words) expect(logged).not.toContain(word);
}

describe.each(DIALECTS)("%s: direct messages across instances", (dialect) => {
  it("between agents on two instances: request, approval by answer, messages both ways", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const alpha = net.instance("alpha");
    const beta = net.instance("beta");
    const reef = await registerAgent(alpha, "reef");
    const kelp = await registerAgent(beta, "kelp");
    const coral = await registerAgent(beta, "coral");

    const asked = await ok(
      reef.api.post("/agents/dm/request", { to: "kelp@beta.test", message: ASK }),
    );
    await net.drain();
    const request = lastCreate(net.traffic);
    expectDirectTo(request, KELP);

    const waiting = (await ok(kelp.api.get("/agents/dm/requests"))).requests;
    expect(waiting).toMatchObject({
      count: 1,
      items: [{ from: { name: "reef@alpha.test" }, message: ASK }],
    });
    const theirs = waiting.items[0].conversation_id;
    // Approving sends nothing: kelp's first answer tells reef's side.
    const before = net.traffic.length;
    await ok(kelp.api.post(`/agents/dm/requests/${theirs}/approve`));
    await net.drain();
    expect(net.traffic.length).toBe(before);
    expect(
      (await reef.api.get(`/agents/dm/conversations/${asked.conversation_id}`)).body.status,
    ).toBe("pending");

    await ok(kelp.api.post(`/agents/dm/conversations/${theirs}/send`, { message: YES }));
    await net.drain();
    const answer = lastCreate(net.traffic);
    expectDirectTo(answer, REEF);
    expect(answer.note.inReplyTo).toBe(request.note.id);
    const ours = (await ok(reef.api.get("/agents/dm/conversations"))).conversations.items;
    expect(ours).toMatchObject([
      {
        conversation_id: asked.conversation_id,
        with_agent: { name: "kelp@beta.test" },
        unread_count: 1,
        you_initiated: true,
      },
    ]);

    await ok(
      reef.api.post(`/agents/dm/conversations/${asked.conversation_id}/send`, { message: THANKS }),
    );
    await net.drain();
    expect(await thread(reef, asked.conversation_id)).toEqual([
      ["reef", ASK],
      ["kelp@beta.test", YES],
      ["reef", THANKS],
    ]);
    expect(await thread(kelp, theirs)).toEqual([
      ["reef@alpha.test", ASK],
      ["kelp", YES],
      ["reef@alpha.test", THANKS],
    ]);

    // Only the two see it: not a third agent, not the pages, outboxes, search or databases.
    expect((await ok(coral.api.get("/agents/dm/conversations"))).conversations.count).toBe(0);
    expect((await coral.api.get(`/agents/dm/conversations/${theirs}`)).status).toBe(404);
    expect((await alpha.request(new URL(request.note.id).pathname)).status).toBe(404);
    await expectNowherePublic(
      [
        [alpha, ["reef"]],
        [beta, ["kelp", "coral"]],
      ],
      ["tide tables", "ask away", "spring tables"],
    );
  });

  it("with a person on a Mastodon-like server: it gets a direct message, its direct reply approves", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const alice = await personOn(net);

    const asked = await ok(
      reef.api.post("/agents/dm/request", { to: "alice@hollo.test", message: ASK }),
    );
    await net.drain();
    expectDirectTo(lastCreate(net.traffic), alice.actorId);
    expect(alice.dropped).toEqual([]);
    const [received] = alice.directMessages();
    expect(received).toMatchObject({ author: REEF, visibility: "direct" });
    expect(received?.content).toContain("tide tables");
    expect(alice.timeline().map((s) => s.id)).toEqual([received?.id]);

    await alice.reply(received?.id ?? "", YES, { visibility: "direct" });
    await net.drain();
    await ok(
      reef.api.post(`/agents/dm/conversations/${asked.conversation_id}/send`, { message: THANKS }),
    );
    await net.drain();
    expect(await thread(reef, asked.conversation_id)).toEqual([
      ["reef", ASK],
      ["alice@hollo.test", YES],
      ["reef", THANKS],
    ]);
    const messages = alice.directMessages();
    expect(messages.map((s) => [s.author, s.visibility])).toEqual([
      [REEF, "direct"],
      [alice.actorId, "direct"],
      [REEF, "direct"],
    ]);
    expect(messages[2]?.in_reply_to).toBe(messages[1]?.id);
    // The direct reply is no post, comment or mention here.
    const feed = (await ok(reef.api.get("/feed?sort=new"))).posts;
    expect(feed).toEqual([]);
    await expectNowherePublic([[net.instance("alpha"), ["reef"]]], ["ask away", "spring tables"]);
  });

  it("a person's direct message to an agent is a request it approves; then they write both ways", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const alice = await personOn(net);

    await alice.post("Are the tide tables for spring out yet?", {
      mentions: [REEF],
      visibility: "direct",
    });
    await net.drain();
    const check = await ok(reef.api.get("/agents/dm/check"));
    expect(check.requests).toMatchObject({
      count: 1,
      items: [
        {
          from: { name: "alice@hollo.test" },
          message_preview: "Are the tide tables for spring out yet?",
        },
      ],
    });
    const id = check.requests.items[0].conversation_id;
    // While the operator blocks alice, nothing of hers shows or counts; lifting it shows it again.
    const alpha = net.instance("alpha");
    await alpha.operator.blockActor(alice.actorId);
    expect((await ok(reef.api.get("/agents/dm/check"))).has_activity).toBe(false);
    expect((await ok(reef.api.get("/home"))).your_direct_messages.pending_request_count).toBe(0);
    await alpha.operator.unblockActor(alice.actorId);
    expect((await ok(reef.api.get("/agents/dm/requests"))).requests.count).toBe(1);
    // Told of the request, never as a mention, and without its text.
    const notifications = (await ok(reef.api.get("/notifications"))).notifications;
    expect(notifications).toMatchObject([
      { type: "dm_request", actor: { name: "alice@hollo.test" }, excerpt: null },
    ]);

    await ok(reef.api.post(`/agents/dm/requests/${id}/approve`));
    await ok(reef.api.post(`/agents/dm/conversations/${id}/send`, { message: YES }));
    await net.drain();
    expectDirectTo(lastCreate(net.traffic), alice.actorId);
    expect(alice.directMessages().map((s) => s.author)).toEqual([alice.actorId, REEF]);
    expect(await thread(reef, id)).toEqual([
      ["alice@hollo.test", "Are the tide tables for spring out yet?"],
      ["reef", YES],
    ]);
    await expectNowherePublic([[net.instance("alpha"), ["reef"]]], ["spring out yet", "ask away"]);
  });
  it("flags what a remote direct message hides from its reader, as a local one", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const alice = await personOn(net);
    const hiding = "Spring tables\u200B\u200B\u200Bare out";
    await alice.post(hiding, { mentions: [REEF], visibility: "direct" });
    await net.drain();

    const [request] = (await ok(reef.api.get("/agents/dm/requests"))).requests.items;
    expect(request.message).toContain(hiding);
    const hidden = request.hazards.filter((h: { field: string }) => h.field === "message");
    expect(hidden).toEqual([{ kind: "hidden_text", field: "message", span: expect.any(Array) }]);
    expect(request.message.slice(...hidden[0].span)).toBe("\u200B\u200B\u200B");
    const id = request.conversation_id;
    await ok(reef.api.post(`/agents/dm/requests/${id}/approve`));
    const messages = (await ok(reef.api.get(`/agents/dm/conversations/${id}?hazards=hide`)))
      .messages;
    expect(messages.map((m: { message: string }) => m.message)).toEqual([
      "[hidden: flagged as a possible prompt injection]",
    ]);
  });
});

describe.each(DIALECTS)("%s: direct messages waiting for delivery", (dialect) => {
  it("are sealed in the delivery queue as everywhere else in the database", async () => {
    await using net = await createNetwork(["alpha"], { dialect, queue: "db" });
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    await personOn(net);
    await ok(reef.api.post("/agents/dm/request", { to: "alice@hollo.test", message: ASK }));
    await net.drain();
    const queued = await alpha.db.db.selectFrom("fedify_queue").select("id").execute();
    expect(queued.length).toBeGreaterThan(0);
    expect(await dumpDatabase(alpha)).not.toContain("tide tables");
  });
});
