import { describe, expect, it } from "vitest";
import { createNoteActivity, createPageActivity } from "../harness/activities.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, type FakeRemote, fixture } from "../harness/fake-remote.ts";
import { createNetwork, type Network } from "../harness/network.ts";

// What a remote instance may send us: quotas count verified activities only (a request that
// merely names an instance's key spends nothing of its quota), an instance is a registrable
// domain (its subdomains share one quota), unverified floods are held per client address, and
// each remote actor has an hourly allowance of stored posts and comments.

const INBOX = "https://alpha.test/inbox";

/** A Mastodon person at https://<host>/users/<name>, served on the network. */
async function remoteAt(net: Network, host: string, name: string): Promise<FakeRemote> {
  const id = `https://${host}/users/${name}`;
  const remote = await createFakeRemote({
    ...fixture("mastodon/objects/person.json"),
    id,
    inbox: `${id}/inbox`,
    endpoints: { sharedInbox: `https://${host}/inbox` },
  });
  net.addHost(remote.host, remote.fetch);
  return remote;
}

async function storedTitles(net: Network): Promise<string[]> {
  const rows = await net.instance("alpha").db.db.selectFrom("posts").select("title").execute();
  return rows.map((r) => r.title).sort();
}

describe.each(DIALECTS)("%s: inbox quotas", (dialect) => {
  it("forged and unsigned POSTs naming an instance's key do not spend its quota; a flood from one address gets 429", {
    timeout: 120_000,
  }, async () => {
    await using net = await createNetwork(["alpha"], {
      dialect,
      limits: {
        enabled: true,
        inboxPerMinutePerInstance: 600,
        inboxPerMinutePerClient: 700,
        remotePostsPerHour: 1000,
      },
    });
    const real = await remoteAt(net, "mastodon.example", "real");
    const forger = await remoteAt(net, "forger.example", "forger");
    // Signed with the forger's key but naming the real instance's key, or not signed at all but
    // for a header naming it: none of them verifies, whatever it claims.
    const claimingReal = { ...forger, keyId: real.keyId };
    const bogusHeader = `keyId="${real.keyId}",algorithm="rsa-sha256",headers="date",signature="AAAA"`;
    const statuses = new Map<number, number>();
    for (let i = 0; i < 620; i++) {
      const activity = createPageActivity(real.actorId, `Forged ${i}`);
      const response =
        i % 2 === 0
          ? await real.send(INBOX, activity, { signAs: claimingReal })
          : await fetch(
              new Request(INBOX, {
                method: "POST",
                headers: { "content-type": "application/activity+json", signature: bogusHeader },
                body: JSON.stringify(activity),
              }),
            );
      await response.body?.cancel();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 401: 620 });
    // The real instance's delivery, in the same minute, goes through.
    const genuine = await real.send(INBOX, createPageActivity(real.actorId, "Genuine"));
    expect(genuine.status).toBe(202);
    expect(await storedTitles(net)).toEqual(["Genuine"]);

    // The same client address keeps flooding: it is turned away before anything is read.
    let refused: Response | undefined;
    for (let i = 0; i < 1500 && refused === undefined; i++) {
      const response = await fetch(new Request(INBOX, { method: "POST", body: "{}" }));
      if (response.status === 429) refused = response;
      else await response.body?.cancel();
    }
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused?.json()).toMatchObject({ success: false, code: "RATE_LIMITED" });
    expect(await storedTitles(net)).toEqual(["Genuine"]);
  });

  it("subdomains of one registrable domain share its quota; another domain has its own", async () => {
    await using net = await createNetwork(["alpha"], {
      dialect,
      limits: { enabled: true, inboxPerMinutePerInstance: 3 },
    });
    const ann = await remoteAt(net, "a.example.social", "ann");
    const bob = await remoteAt(net, "b.example.social", "bob");
    const cat = await remoteAt(net, "c.example.org", "cat");
    const send = async (remote: FakeRemote, title: string) =>
      (await remote.send(INBOX, createPageActivity(remote.actorId, title))).status;
    const statuses = [
      await send(ann, "Ann 1"),
      await send(ann, "Ann 2"),
      await send(bob, "Bob 1"),
      await send(bob, "Bob 2"),
      await send(ann, "Ann 3"),
      await send(cat, "Cat 1"),
    ];
    expect(statuses).toEqual([202, 202, 202, 429, 429, 202]);
    expect(await storedTitles(net)).toEqual(["Ann 1", "Ann 2", "Bob 1", "Cat 1"]);
  });

  it("stores a remote actor's posts and comments up to its hourly allowance and drops the rest", {
    timeout: 60_000,
  }, async () => {
    await using net = await createNetwork(["alpha"], {
      dialect,
      limits: { enabled: true, remotePostsPerHour: 10, remoteCommentsPerHour: 15 },
    });
    const flood = await remoteAt(net, "flood.example", "flood");
    const calm = await remoteAt(net, "calm.example", "calm");
    const posts = [];
    for (let i = 0; i < 40; i++) posts.push(createPageActivity(flood.actorId, `Flood ${i}`));
    // Every one is answered 202, kept or not: the sender has no reason to retry.
    for (const post of posts) expect((await flood.send(INBOX, post)).status).toBe(202);
    // A redelivery of a stored post is not a new one and costs nothing.
    expect((await flood.send(INBOX, posts[0])).status).toBe(202);
    expect((await calm.send(INBOX, createPageActivity(calm.actorId, "Calm"))).status).toBe(202);
    const titles = await storedTitles(net);
    expect(titles.filter((t) => t.startsWith("Flood")).length).toBe(10);
    expect(titles).toContain("Calm");

    const parent = posts[0].object.id;
    for (let i = 0; i < 40; i++) {
      const comment = createNoteActivity(flood.actorId, parent, `Reply ${i}`);
      expect((await flood.send(INBOX, comment)).status).toBe(202);
    }
    const alpha = net.instance("alpha");
    const comments = await alpha.db.db.selectFrom("comments").select("content").execute();
    expect(comments.length).toBe(15);
    const agent = await alpha.db.db
      .selectFrom("agents")
      .select(["posts_count", "comments_count"])
      .where("ap_id", "=", flood.actorId)
      .executeTakeFirstOrThrow();
    expect(agent).toEqual({ posts_count: 10, comments_count: 15 });
  });
});
