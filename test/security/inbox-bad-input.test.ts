import { describe, expect, it } from "vitest";
import { domainRowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture } from "../harness/fake-remote.ts";
import { logRecords } from "../harness/logs.ts";
import { createNetwork } from "../harness/network.ts";

// JSON nested too deeply for anything to walk it safely, POSTed to an inbox, signed or not: a 400
// in the API's envelope before any work on it (no signature check, no JSON-LD), nothing stored,
// and nothing logged as an error.

const INBOXES = ["https://alpha.test/inbox", "https://alpha.test/ap/actors/general/inbox"];

/** `depth` arrays inside each other, as JSON text (JSON.stringify would overflow the stack). */
const nestedArrays = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe.each(DIALECTS)("%s: inbox bodies nested too deeply", (dialect) => {
  it.each(INBOXES)(
    "refuses a 100 000-deep JSON array at %s with a 400, logging no error",
    async (inbox) => {
      await using net = await createNetwork(["alpha"], { dialect });
      const alpha = net.instance("alpha");
      const mastodon = await createFakeRemote(fixture("mastodon/objects/person.json"));
      net.addHost(mastodon.host, mastodon.fetch);
      const before = await domainRowCounts(alpha);

      const body = nestedArrays(100_000);
      const signed = await mastodon.send(inbox, body);
      const unsigned = await mastodon.send(inbox, body, { unsigned: true });

      for (const response of [signed, unsigned]) {
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({
          success: false,
          error: "JSON body nested too deeply",
          code: "BAD_REQUEST",
          hint: expect.stringContaining("levels deep"),
        });
      }
      expect(await domainRowCounts(alpha)).toEqual(before);
      const errors = logRecords().filter(
        (r) =>
          r.level === "error" ||
          r.level === "fatal" ||
          Object.values(r.properties).some((value) => value instanceof Error),
      );
      expect(errors).toEqual([]);
    },
  );

  it("refuses an activity whose object nests deeper than the limit", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const mastodon = await createFakeRemote(fixture("mastodon/objects/person.json"));
    net.addHost(mastodon.host, mastodon.fetch);
    const activity = `{"@context":"https://www.w3.org/ns/activitystreams","type":"Create","actor":"${mastodon.actorId}","object":${nestedArrays(40)}}`;

    const response = await mastodon.send(INBOXES[0] ?? "", activity);

    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe("BAD_REQUEST");
  });
});
