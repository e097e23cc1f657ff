import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { DIALECTS } from "../harness/dialects.ts";
import { createNetwork } from "../harness/network.ts";
import { type Json, type Outgoing, recordOutgoing } from "../harness/outgoing.ts";
import { lemmy, mastodon, misskey, problems } from "../harness/peer-shapes.ts";

// What an instance actually sends (recorded from the wire, test/harness/outgoing.ts), checked
// against the recorded shapes of what Mastodon, Lemmy and Misskey accept
// (test/harness/peer-shapes.ts). A payload that fails here is one that peer refuses.

type Check = [what: string, pick: (o: Outgoing) => Json[], schema: z.ZodType];

const CHECKS: Record<string, Check[]> = {
  Mastodon: [
    ["post Create", (o) => [o.postCreate], mastodon.Create],
    ["comment Create", (o) => [o.commentCreate], mastodon.Create],
    ["Update", (o) => [o.update], mastodon.Update],
    ["Delete", (o) => [o.delete], mastodon.Delete],
    ["Like", (o) => [o.like], mastodon.Like],
    ["Follow", (o) => [o.follow], mastodon.Follow],
    ["Accept", (o) => o.accepts, mastodon.Accept],
    ["actor", (o) => [o.actor], mastodon.actor],
  ],
  Lemmy: [
    ["post Create", (o) => [o.postCreate], lemmy.CreateOrUpdate],
    ["comment Create", (o) => [o.commentCreate], lemmy.CreateOrUpdate],
    ["Update", (o) => [o.update], lemmy.CreateOrUpdate],
    ["Delete", (o) => [o.delete], lemmy.Delete],
    ["Like", (o) => [o.like], lemmy.Vote],
    ["Follow", (o) => [o.follow], lemmy.Follow],
    ["Accept", (o) => o.accepts, lemmy.Accept],
    ["Announce", (o) => o.announces, lemmy.Announce],
    ["actor", (o) => [o.actor], lemmy.actor],
  ],
  Misskey: [
    ["post Create", (o) => [o.postCreate], misskey.Create],
    ["comment Create", (o) => [o.commentCreate], misskey.Create],
    ["Delete", (o) => [o.delete], misskey.Delete],
    ["Like", (o) => [o.like], misskey.Like],
    ["Follow", (o) => [o.follow], misskey.Follow],
    ["Accept", (o) => o.accepts, misskey.Accept],
    ["actor", (o) => [o.actor], misskey.actor],
  ],
};

describe.each(DIALECTS)("%s: what an instance sends, against what peers accept", (dialect) => {
  it("every kind of payload passes Mastodon's, Lemmy's and Misskey's recorded shapes", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const sent = await recordOutgoing(net);

    expect(sent.accepts.length).toBeGreaterThanOrEqual(3);
    expect(sent.announces.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const [peer, checks] of Object.entries(CHECKS)) {
      for (const [what, pick, schema] of checks) {
        for (const payload of pick(sent)) {
          for (const problem of problems(schema, payload)) {
            failures.push(`${peer} ${what} (${payload.id}): ${problem}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
