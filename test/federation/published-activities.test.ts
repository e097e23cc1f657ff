import { describe, expect, it } from "vitest";
import { prunePublishedActivities } from "../../src/repos/published-activities.ts";
import { registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture, type Json } from "../harness/fake-remote.ts";
import type { TestInstance } from "../harness/instance.ts";
import { createNetwork } from "../harness/network.ts";

// A person on a microblog server follows a submolt: the Group relays new posts as boosts, edits
// as Announce(Update) (never a boost of the edited comment), votes as Announce(Like), and every
// activity id it receives can be fetched.

const GENERAL = "https://alpha.test/ap/actors/general";
const AP = { accept: "application/activity+json" };
const LD = { accept: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"' };

async function get(instance: TestInstance, url: string, headers: Record<string, string> = AP) {
  const response = await instance.fetch(new Request(url, { headers }));
  const type = response.headers.get("content-type") ?? "";
  return {
    status: response.status,
    type,
    vary: response.headers.get("vary") ?? "",
    body: type.includes("json") ? ((await response.json()) as Json) : await response.text(),
  };
}

describe.each(DIALECTS)("%s: what a submolt publishes, and fetching it by id", (dialect) => {
  it("relays a comment edit as Announce(Update) and serves every activity it sent at its id", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const person = fixture("mastodon/objects/person.json");
    const mastodon = await createFakeRemote(person);
    net.addHost(mastodon.host, mastodon.fetch);
    const reef = await registerAgent(alpha, "reef");
    const kelp = await registerAgent(alpha, "kelp");
    const follow = {
      ...fixture("mastodon/activities/follow.json"),
      id: `${new URL(person.id).origin}/follows/1`,
      actor: person.id,
      object: GENERAL,
    };
    expect((await mastodon.send(`${GENERAL}/inbox`, follow)).status).toBe(202);
    await net.drain();
    const post = (await reef.api.post("/posts", { title: "Tide", content: "Low." })).body.post;
    const comment = (await reef.api.post(`/posts/${post.id}/comments`, { content: "Boots" })).body
      .comment;
    await net.drain();
    const before = mastodon.received.length;
    expect((await reef.api.patch(`/comments/${comment.id}`, { content: "Waders" })).status).toBe(
      200,
    );
    await kelp.api.post(`/posts/${post.id}/upvote`);
    await net.drain();

    // The edit: an Announce of the author's Update, which dereferences to the edited comment.
    const relayed = mastodon.received.slice(before).map((r) => r.body);
    expect(relayed.map((a) => [a.type, a.actor])).toEqual([
      ["Announce", GENERAL],
      ["Announce", GENERAL],
    ]);
    const [edit, vote] = relayed;
    expect(relayed.map((a) => a.object)).not.toContain(comment.ap_id);
    expect(edit.object).toMatch(new RegExp(`^${comment.ap_id}/updates/`));
    const update = await get(alpha, edit.object);
    expect(update).toMatchObject({ status: 200, type: "application/activity+json" });
    expect(update.body).toMatchObject({
      id: edit.object,
      type: "Update",
      actor: "https://alpha.test/ap/actors/reef",
      object: { id: comment.ap_id, content: expect.stringContaining("Waders") },
    });
    // A vote: an Announce of the Like by URL, which a microblog server ignores (not a post).
    expect(vote.object).toMatch(/^https:\/\/alpha\.test\/like\//);

    // Every Announce and the Accept answer at their ids, as sent (JSON-LD profile too).
    const accept = mastodon.received.find((r) => r.body.type === "Accept")?.body;
    for (const activity of [accept, edit, vote]) {
      const fetched = await get(alpha, activity.id, LD);
      expect(fetched.status, activity.id).toBe(200);
      expect(fetched.vary).toContain("Accept");
      expect(fetched.body).toMatchObject({ id: activity.id, type: activity.type });
    }
    // Unknown ids under any path answer 404; a browser at an activity's URL gets no JSON-LD.
    for (const unknown of [`${comment.ap_id}/updates/nope`, `${GENERAL}/announces/nope`]) {
      expect((await get(alpha, unknown)).status).toBe(404);
    }
    const html = await get(alpha, edit.id, { accept: "text/html" });
    expect(html.type).not.toMatch(/activity\+json|ld\+json/);
    expect(html.vary).toContain("Accept");

    // Deleted: the Deletes answer, and the Update that carried the text no longer does.
    expect((await reef.api.delete(`/comments/${comment.id}`)).status).toBe(200);
    await net.drain();
    const groupDelete = mastodon.received.find((r) => r.body.type === "Delete")?.body;
    expect(groupDelete).toMatchObject({ actor: GENERAL, object: comment.ap_id });
    expect((await get(alpha, groupDelete.id)).body).toMatchObject({ type: "Delete" });
    const authorDelete = await get(alpha, `${comment.ap_id}/delete`);
    expect(authorDelete.body).toMatchObject({ type: "Delete", actor: update.body.actor });
    expect((await get(alpha, edit.object)).status).toBe(404);
  });

  it("forgets published activities past their retention", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    const post = (await reef.api.post("/posts", { title: "Tide", content: "Low." })).body.post;
    await reef.api.patch(`/posts/${post.id}`, { content: "High." });
    await net.drain();
    const kept = await alpha.db.db.selectFrom("published_activities").select("ap_id").execute();
    const update = kept.find((k) => k.ap_id.startsWith(`${post.ap_id}/updates/`))?.ap_id ?? "";
    expect((await get(alpha, update)).status).toBe(200);
    expect(await prunePublishedActivities(alpha.db.db, "2000-01-01T00:00:00.000Z")).toBe(0);
    expect(await prunePublishedActivities(alpha.db.db, "2999-01-01T00:00:00.000Z")).toBe(
      kept.length,
    );
    expect((await get(alpha, update)).status).toBe(404);
  });
});
