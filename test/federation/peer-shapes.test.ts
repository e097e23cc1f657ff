import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { fixture } from "../harness/fake-remote.ts";
import {
  lemmy,
  mastodon,
  mastodonPost,
  misskey,
  misskeyPost,
  problems,
} from "../harness/peer-shapes.ts";

// The recorded shapes of what each peer accepts (test/harness/peer-shapes.ts) must take every
// real payload that peer family sends of that kind: a shape stricter than its software would
// flag our payloads for nothing. Misskey sends none of our fixtures; it must take what Mastodon,
// Pleroma and Lemmy send, which it federates with.

const cases: [peer: string, schema: z.ZodType, fixtures: string[]][] = [
  ["Mastodon Create", mastodon.Create, ["mastodon/activities/create_note.json"]],
  [
    "Mastodon post",
    mastodonPost,
    [
      "mastodon/objects/note_1.json",
      "mastodon/objects/note_2.json",
      "mastodon/objects/page.json",
      "mastodon/activities/private_message.json",
    ],
  ],
  ["Mastodon Delete", mastodon.Delete, ["mastodon/activities/delete.json"]],
  ["Mastodon Follow", mastodon.Follow, ["mastodon/activities/follow.json"]],
  ["Mastodon Like", mastodon.Like, ["mastodon/activities/like_page.json"]],
  ["Mastodon actor", mastodon.actor, ["mastodon/objects/person.json"]],
  [
    "Lemmy Create/Update",
    lemmy.CreateOrUpdate,
    [
      "lemmy/activities/create_or_update/create_comment.json",
      "lemmy/activities/create_or_update/create_page.json",
      "lemmy/activities/create_or_update/update_page.json",
    ],
  ],
  ["Lemmy Announce", lemmy.Announce, ["lemmy/activities/community/announce_create_page.json"]],
  [
    "Lemmy Vote",
    lemmy.Vote,
    ["lemmy/activities/voting/like_note.json", "lemmy/activities/voting/dislike_page.json"],
  ],
  ["Lemmy Delete", lemmy.Delete, ["lemmy/activities/deletion/delete_page.json"]],
  ["Lemmy Follow", lemmy.Follow, ["lemmy/activities/following/follow.json"]],
  ["Lemmy Accept", lemmy.Accept, ["lemmy/activities/following/accept.json"]],
  ["Lemmy actor", lemmy.actor, ["lemmy/objects/person.json"]],
  [
    "Misskey post",
    misskeyPost,
    [
      "mastodon/objects/note_1.json",
      "pleroma/objects/note.json",
      "lemmy/objects/page.json",
      "lemmy/objects/comment.json",
    ],
  ],
  [
    "Misskey Create",
    misskey.Create,
    ["mastodon/activities/create_note.json", "pleroma/activities/create_note.json"],
  ],
  [
    "Misskey Follow",
    misskey.Follow,
    ["mastodon/activities/follow.json", "pleroma/activities/follow.json"],
  ],
  ["Misskey Like", misskey.Like, ["mastodon/activities/like_page.json"]],
  ["Misskey actor", misskey.actor, ["mastodon/objects/person.json", "pleroma/objects/person.json"]],
];

describe("recorded peer shapes take the real payloads of their own family", () => {
  for (const [peer, schema, paths] of cases) {
    it.each(paths)(`${peer}: %s`, (path) => {
      expect(problems(schema, fixture(path))).toEqual([]);
    });
  }

  it("and refuse what those peers refuse", () => {
    const page = fixture("lemmy/objects/page.json");
    const note = fixture("lemmy/objects/comment.json");
    // Lemmy: a tag that is not an array, an attachment that is not an array, a missing `to`.
    expect(
      problems(
        lemmy.CreateOrUpdate,
        createOf({ ...note, tag: { type: "Mention", href: note.attributedTo } }),
      ),
    ).not.toEqual([]);
    expect(
      problems(
        lemmy.CreateOrUpdate,
        createOf({ ...page, attachment: { type: "Link", href: "https://example.org/" } }),
      ),
    ).not.toEqual([]);
    expect(problems(lemmy.CreateOrUpdate, createOf({ ...page, to: undefined }))).not.toEqual([]);
    expect(
      problems(lemmy.Accept, {
        ...fixture("lemmy/activities/following/accept.json"),
        object: "https://ds9.lemmy.ml/activities/follow/1",
      }),
    ).not.toEqual([]);
    // Mastodon: a post whose id is not on its author's host; Misskey: an unknown object type.
    const status = fixture("mastodon/objects/note_1.json");
    expect(problems(mastodonPost, { ...status, id: "https://elsewhere.example/1" })).not.toEqual(
      [],
    );
    expect(problems(misskeyPost, { ...status, type: "ChatMessage" })).not.toEqual([]);
  });
});

function createOf(object: { attributedTo: string; to?: unknown }) {
  return {
    type: "Create",
    id: `${object.attributedTo}/activities/1`,
    actor: object.attributedTo,
    to: object.to ?? ["https://www.w3.org/ns/activitystreams#Public"],
    object,
  };
}
