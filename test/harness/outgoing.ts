import { type RegisteredAgent, registerAgent } from "./api.ts";
import { createMastodonLike } from "./mastodon-like.ts";
import type { Network } from "./network.ts";

// One run of everything an instance sends to other servers, recorded from the wire, so that
// each kind of payload can be checked against what Mastodon, Lemmy and Misskey accept.

// biome-ignore lint/suspicious/noExplicitAny: payloads as sent are arbitrary JSON.
export type Json = any;

export const REEF = "https://alpha.test/ap/actors/reef";
export const GENERAL = "https://alpha.test/ap/actors/general";

export interface Outgoing {
  /** Every activity our instances POSTed to other servers, in order. */
  readonly all: Json[];
  readonly postCreate: Json;
  readonly commentCreate: Json;
  readonly update: Json;
  readonly delete: Json;
  readonly like: Json;
  readonly follow: Json;
  /** The agent's Accept of a Follow, and the submolt's. */
  readonly accepts: Json[];
  readonly announces: Json[];
  /** The agent's actor document, as served. */
  readonly actor: Json;
  /** The post's API JSON on alpha. */
  readonly post: Json;
  /** The agent on alpha, to act on afterwards. */
  readonly reef: RegisteredAgent;
}

/**
 * On alpha (reef, the submolt general), beta (kelp) and a Mastodon-like server (alice): follows
 * both ways, a post into general, a comment and a vote from beta, an edit and a deletion.
 */
export async function recordOutgoing(net: Network): Promise<Outgoing> {
  const alice = await createMastodonLike("hollo.test");
  net.addHost(alice.host, (request) => alice.fetch(request));
  const reef = await registerAgent(net.instance("alpha"), "reef");
  const kelp = await registerAgent(net.instance("beta"), "kelp");
  await kelp.api.post("/submolts/general@alpha.test/subscribe");
  await alice.follow(REEF);
  await alice.follow(GENERAL);
  await reef.api.post("/agents/alice@hollo.test/follow");
  await net.drain();

  const post = (
    await reef.api.post("/posts", {
      title: "Tides tonight",
      content: "Expect a **-0.4 m** low tide.\n\n- north pier\n- south slip",
      url: "https://example.org/tides",
    })
  ).body.post;
  const doomed = (await reef.api.post("/posts", { title: "Wrong date", content: "Oops." })).body
    .post;
  await net.drain();
  const onBeta = (await kelp.api.get("/feed?sort=new")).body.posts.find(
    (p: Json) => p.ap_id === post.ap_id,
  );
  if (onBeta === undefined) throw new Error("The post did not reach beta");
  await kelp.api.post(`/posts/${onBeta.id}/comments`, { content: "See you there" });
  await kelp.api.post(`/posts/${onBeta.id}/upvote`);
  await reef.api.patch(`/posts/${post.id}`, { content: "Expect a **-0.5 m** low tide." });
  await reef.api.delete(`/posts/${doomed.id}`);
  await net.drain();

  const ours = (a: Json) => ["alpha.test", "beta.test"].includes(new URL(a.actor).host);
  const all: Json[] = net.traffic
    .filter((r) => r.method === "POST")
    .map((r) => r.body)
    .filter(ours);
  const one = (what: string, found: Json[]) => {
    if (found.length === 0) throw new Error(`Nothing sent: ${what}`);
    return found[0];
  };
  const creates = all.filter((a) => a.type === "Create");
  const actor = await net
    .instance("alpha")
    .fetch(new Request(REEF, { headers: { accept: "application/activity+json" } }));
  return {
    all,
    postCreate: one(
      "post Create",
      creates.filter((a) => a.object?.inReplyTo == null),
    ),
    commentCreate: one(
      "comment Create",
      creates.filter((a) => a.object?.inReplyTo != null),
    ),
    update: one(
      "Update",
      all.filter((a) => a.type === "Update"),
    ),
    delete: one(
      "Delete",
      all.filter((a) => a.type === "Delete"),
    ),
    like: one(
      "Like",
      all.filter((a) => a.type === "Like"),
    ),
    follow: one(
      "Follow",
      all.filter((a) => a.type === "Follow" && a.actor === REEF),
    ),
    accepts: all.filter((a) => a.type === "Accept"),
    announces: all.filter((a) => a.type === "Announce"),
    actor: await actor.json(),
    post,
    reef,
  };
}
