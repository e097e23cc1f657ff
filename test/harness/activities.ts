import type { Json } from "./fake-remote.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

/** A Create of `object` by `actor`, with a fresh id on the actor's origin. */
function createOf(actor: string, object: Json): Json {
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${new URL(actor).origin}/activities/${crypto.randomUUID()}`,
    type: "Create",
    actor,
    to: [PUBLIC],
    object,
  };
}

/** A Create of a new post (Page) by `actor` into the submolt `audience`, ids on the actor's origin. */
export function createPageActivity(
  actor: string,
  title: string,
  audience = "https://alpha.test/ap/actors/general",
): Json {
  return createOf(actor, {
    id: `${new URL(actor).origin}/posts/${crypto.randomUUID()}`,
    type: "Page",
    name: title,
    content: `<p>${title}</p>`,
    attributedTo: actor,
    audience,
    to: [audience, PUBLIC],
  });
}

/** A Create of a new comment (Note) by `actor` replying to `inReplyTo`. */
export function createNoteActivity(actor: string, inReplyTo: string, text: string): Json {
  return createOf(actor, {
    id: `${new URL(actor).origin}/notes/${crypto.randomUUID()}`,
    type: "Note",
    content: `<p>${text}</p>`,
    attributedTo: actor,
    inReplyTo,
    to: [PUBLIC],
  });
}
