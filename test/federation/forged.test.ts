import { describe, expect, it } from "vitest";
import { domainState, type RegisteredAgent, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import {
  createFakeRemote,
  type FakeRemote,
  fakeHost,
  fixture,
  type Json,
} from "../harness/fake-remote.ts";
import type { TestInstance } from "../harness/instance.ts";
import { createNetwork, type Network } from "../harness/network.ts";

// Activities a hostile server could send, one test each: the forgery is refused and changes
// nothing; where there is one, the honest activity it imitates is then applied, so the refusal
// is the forgery's doing and not the activity's shape.

const INBOX = "https://alpha.test/inbox";
const GENERAL = "https://alpha.test/ap/actors/general";
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const AS = "https://www.w3.org/ns/activitystreams";

interface World extends AsyncDisposable {
  readonly net: Network;
  readonly alpha: TestInstance;
  /** A Lemmy user who posted `remotePost` into general and liked `localPost`. */
  readonly lemmy: FakeRemote;
  /** A Mastodon user, the stranger who forges. */
  readonly victim: FakeRemote;
  /** Another user of the Lemmy server: same origin as `lemmy`, not its author. */
  readonly neighbour: FakeRemote;
  /** A NodeBB category (a Group) nobody here follows. */
  readonly group: FakeRemote;
  readonly reef: RegisteredAgent;
  readonly localPost: { id: string; ap_id: string };
  readonly remotePost: Json;
  readonly like: Json;
}

const originOf = (remote: FakeRemote) => new URL(remote.actorId).origin;
const uuid = () => crypto.randomUUID();

function page(author: FakeRemote, overrides: Json = {}): Json {
  return {
    id: `${originOf(author)}/post/${uuid()}`,
    type: "Page",
    name: "Honest?",
    content: "<p>text</p>",
    attributedTo: author.actorId,
    audience: GENERAL,
    to: [GENERAL, PUBLIC],
    ...overrides,
  };
}

function createPage(
  actor: FakeRemote,
  overrides: { id?: string; objectId?: string; attributedTo?: string; actorId?: string } = {},
): Json {
  const actorId = overrides.actorId ?? actor.actorId;
  return {
    "@context": AS,
    id: overrides.id ?? `${new URL(actorId).origin}/activities/create/${uuid()}`,
    type: "Create",
    actor: actorId,
    to: [GENERAL, PUBLIC],
    object: page(actor, {
      ...(overrides.objectId === undefined ? {} : { id: overrides.objectId }),
      attributedTo: overrides.attributedTo ?? actorId,
    }),
  };
}

function activity(actor: FakeRemote, type: string, object: Json): Json {
  return {
    "@context": AS,
    id: `${originOf(actor)}/activities/${uuid()}`,
    type,
    actor: actor.actorId,
    object,
  };
}

async function setUp(dialect: (typeof DIALECTS)[number]): Promise<World> {
  const net = await createNetwork(["alpha"], { dialect });
  const alpha = net.instance("alpha");
  const lemmy = await createFakeRemote(fixture("lemmy/objects/person.json"));
  const victim = await createFakeRemote(fixture("mastodon/objects/person.json"));
  const group = await createFakeRemote(fixture("nodebb/objects/group.json"));
  const neighbour = await createFakeRemote({
    ...fixture("lemmy/objects/person.json"),
    id: `${originOf(lemmy)}/u/neighbour`,
    inbox: `${originOf(lemmy)}/u/neighbour/inbox`,
    preferredUsername: "neighbour",
  });
  for (const remote of [victim, group]) net.addHost(remote.host, remote.fetch);
  net.addHost(lemmy.host, fakeHost([lemmy, neighbour]));
  const reef = await registerAgent(alpha, "reef");
  const localPost = (await reef.api.post("/posts", { title: "Reef's", content: "mine" })).body.post;
  const remotePost = createPage(lemmy);
  expect((await lemmy.send(INBOX, remotePost)).status).toBe(202);
  const like = { ...activity(lemmy, "Like", localPost.ap_id), audience: GENERAL };
  expect((await lemmy.send(INBOX, like)).status).toBe(202);
  lemmy.publish(like);
  return {
    net,
    alpha,
    lemmy,
    victim,
    neighbour,
    group,
    reef,
    localPost,
    remotePost,
    like,
    [Symbol.asyncDispose]: () => net[Symbol.asyncDispose](),
  };
}

interface Forgery {
  readonly name: string;
  /** Runs before the state is read (what makes the forgery plausible). */
  readonly prepare?: (w: World) => Promise<void>;
  /** Sends the forgery; the inbox answers with `status`. */
  readonly forged: (w: World) => Promise<Response>;
  readonly status: 202 | 401;
  /** Sends the honest activity the forgery imitates; `probe` reads what that changes. */
  readonly honest?: {
    readonly send: (w: World) => Promise<Response>;
    readonly probe: (w: World) => Promise<unknown>;
  };
}

const postCount = async (w: World) =>
  (await w.alpha.db.db.selectFrom("posts").select("ap_id").execute()).length;
const remotePostRow = (w: World) =>
  w.alpha.db.db
    .selectFrom("posts")
    .select(["title", "deleted_at"])
    .where("ap_id", "=", w.remotePost.object.id)
    .executeTakeFirstOrThrow();
const localPostScore = async (w: World) =>
  (
    await w.alpha.db.db
      .selectFrom("posts")
      .select("score")
      .where("ap_id", "=", w.localPost.ap_id)
      .executeTakeFirstOrThrow()
  ).score;
const honestCreate = {
  send: (w: World) => w.lemmy.send(INBOX, createPage(w.lemmy)),
  probe: postCount,
};
const honestUpdate = {
  send: (w: World) =>
    w.lemmy.send(INBOX, activity(w.lemmy, "Update", { ...w.remotePost.object, name: "Edited" })),
  probe: remotePostRow,
};
const likeAs = (w: World): Json => ({ ...w.like, "@context": undefined });

const FORGERIES: Forgery[] = [
  {
    name: "an unsigned Create",
    status: 401,
    forged: (w) => w.lemmy.send(INBOX, createPage(w.lemmy), { unsigned: true }),
    honest: honestCreate,
  },
  {
    name: "a Create signed by another actor's key",
    status: 401,
    forged: (w) => w.lemmy.send(INBOX, createPage(w.victim), { signAs: w.lemmy }),
    honest: { send: (w) => w.victim.send(INBOX, createPage(w.victim)), probe: postCount },
  },
  {
    name: "a Create whose id is on another origin",
    status: 202,
    forged: (w) =>
      w.lemmy.send(INBOX, createPage(w.lemmy, { id: `${originOf(w.victim)}/activities/1` })),
    honest: honestCreate,
  },
  {
    name: "a Create whose object is on another origin",
    status: 202,
    forged: (w) =>
      w.lemmy.send(INBOX, createPage(w.lemmy, { objectId: `${originOf(w.victim)}/post/1` })),
    honest: honestCreate,
  },
  {
    name: "a Create of a Page attributed to someone other than the signer",
    status: 202,
    forged: (w) => w.lemmy.send(INBOX, createPage(w.lemmy, { attributedTo: w.victim.actorId })),
    honest: honestCreate,
  },
  {
    name: "a Delete of a remote post by a stranger",
    status: 202,
    forged: (w) => w.victim.send(INBOX, activity(w.victim, "Delete", w.remotePost.object.id)),
    honest: {
      send: (w) => w.lemmy.send(INBOX, activity(w.lemmy, "Delete", w.remotePost.object.id)),
      probe: remotePostRow,
    },
  },
  {
    name: "a Delete of a local post from another server",
    status: 202,
    forged: (w) => w.lemmy.send(INBOX, activity(w.lemmy, "Delete", w.localPost.ap_id)),
  },
  {
    name: "an Update of a remote post by a stranger",
    status: 202,
    forged: (w) =>
      w.victim.send(
        INBOX,
        activity(w.victim, "Update", { ...w.remotePost.object, name: "Defaced" }),
      ),
    honest: honestUpdate,
  },
  {
    name: "an Update of a remote post by another actor of its author's server",
    status: 202,
    forged: (w) =>
      w.neighbour.send(
        INBOX,
        activity(w.neighbour, "Update", {
          ...w.remotePost.object,
          name: "Defaced",
          attributedTo: w.neighbour.actorId,
        }),
      ),
    honest: honestUpdate,
  },
  {
    name: "a relayed Undo of a vote, hosted by the group for a voter on another server",
    status: 202,
    prepare: subscribeToGroup,
    forged: (w) =>
      w.group.send(INBOX, announceOf(w, w.group, activity(w.lemmy, "Undo", likeAs(w)))),
    honest: {
      send: (w) =>
        w.group.send(INBOX, announceOf(w, w.lemmy, activity(w.lemmy, "Undo", likeAs(w)))),
      probe: localPostScore,
    },
  },
  {
    name: "a relayed Delete of a remote post, hosted by the group for its author",
    status: 202,
    prepare: subscribeToGroup,
    forged: (w) =>
      w.group.send(
        INBOX,
        announceOf(w, w.group, activity(w.lemmy, "Delete", w.remotePost.object.id)),
      ),
    honest: {
      send: (w) =>
        w.group.send(
          INBOX,
          announceOf(w, w.lemmy, activity(w.lemmy, "Delete", w.remotePost.object.id)),
        ),
      probe: remotePostRow,
    },
  },
  {
    name: "an Undo of another actor's vote",
    status: 202,
    // The Lemmy user's real Like (fetched again from its server), wrapped in a stranger's Undo.
    forged: (w) => w.victim.send(INBOX, activity(w.victim, "Undo", likeAs(w))),
    honest: {
      send: (w) => w.lemmy.send(INBOX, activity(w.lemmy, "Undo", likeAs(w))),
      probe: localPostScore,
    },
  },
  {
    name: "an Announce by a group nobody here follows",
    status: 202,
    // Known here, but no longer followed.
    prepare: async (w) => {
      const path = `/submolts/${encodeURIComponent(w.group.actorId)}/subscribe`;
      expect((await w.reef.api.post(path)).body.action).toBe("subscribed");
      expect((await w.reef.api.delete(path)).body.action).toBe("unsubscribed");
      await w.net.drain();
    },
    forged: (w) => w.group.send(INBOX, announceOfNewPost(w)),
    honest: {
      send: async (w) => {
        const subscribe = await w.reef.api.post(
          `/submolts/${encodeURIComponent(w.group.actorId)}/subscribe`,
        );
        expect(subscribe.body.action).toBe("subscribed");
        return w.group.send(INBOX, announceOfNewPost(w));
      },
      probe: postCount,
    },
  },
  {
    name: "an embedded Update relayed by a followed group, saying what the origin does not",
    status: 202,
    prepare: async (w) => {
      await subscribeToGroup(w);
      w.lemmy.publish(w.remotePost.object);
    },
    forged: (w) => w.group.send(INBOX, announceOfEmbeddedUpdate(w)),
    // The same relay once the author really edited: what is applied is what its origin serves.
    honest: {
      send: (w) => {
        w.lemmy.publish({ ...w.remotePost.object, name: "Edited at the origin" });
        return w.group.send(INBOX, announceOfEmbeddedUpdate(w));
      },
      probe: remotePostRow,
    },
  },
];

/**
 * The group relays, embedded, an Update "by" the Lemmy user of its post, with a new title, under
 * an id that does not dereference (a fragment, as Mastodon's are).
 */
function announceOfEmbeddedUpdate(w: World): Json {
  const update = {
    id: `${w.lemmy.actorId}#updates/${uuid()}`,
    type: "Update",
    actor: w.lemmy.actorId,
    to: [PUBLIC],
    object: { ...w.remotePost.object, name: "Defaced" },
  };
  return { ...activity(w.group, "Announce", update), to: [PUBLIC] };
}

async function subscribeToGroup(w: World): Promise<void> {
  const path = `/submolts/${encodeURIComponent(w.group.actorId)}/subscribe`;
  expect((await w.reef.api.post(path)).body.action).toBe("subscribed");
  await w.net.drain();
}

/**
 * The group announces `relayed` by URL, published by `host` at an id on its own origin: the
 * group's server when forged, the actor's when honest.
 */
function announceOf(w: World, host: FakeRemote, relayed: Json): Json {
  const hosted = { ...relayed, id: `${originOf(host)}/activities/${uuid()}` };
  host.publish(hosted);
  return { ...activity(w.group, "Announce", hosted.id), to: [PUBLIC] };
}

/** The group relays a post by the Lemmy user, published (fetchable) on the Lemmy server. */
function announceOfNewPost(w: World): Json {
  const relayed = page(w.lemmy, { audience: w.group.actorId, to: [w.group.actorId, PUBLIC] });
  w.lemmy.publish(relayed);
  return { ...activity(w.group, "Announce", relayed.id), to: [PUBLIC] };
}

describe.each(DIALECTS)("%s: forged activities", (dialect) => {
  it.each(FORGERIES)("refuses $name, and changes nothing", async (forgery) => {
    await using w = await setUp(dialect);
    await forgery.prepare?.(w);
    const before = await domainState(w.alpha);
    const probed = await forgery.honest?.probe(w);
    expect((await forgery.forged(w)).status).toBe(forgery.status);
    await w.net.drain();
    expect(await domainState(w.alpha)).toEqual(before);
    if (forgery.honest !== undefined) {
      expect((await forgery.honest.send(w)).status).toBe(202);
      expect(await forgery.honest.probe(w)).not.toEqual(probed);
    }
  });
});
