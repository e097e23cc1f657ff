// What `?hazards=` does to a listing (feeds, comments, search, notifications, direct messages),
// applied to the page as read, after the read cache: cached pages are the same for every filter.
//   hide — content flagged with injection hazards is left out (a flagged comment that has replies
//          keeps its place with its text withheld, as a deleted one does; so does every flagged
//          direct message and request, see withholdFlagged);
//   flag — everything, each item with its `hazards` list (the default);
//   show — everything, without the `hazards` field: Moltbook's own shape.

export const HAZARD_FILTERS = ["hide", "flag", "show"] as const;
export type HazardFilter = (typeof HAZARD_FILTERS)[number];

/** What flagged text that keeps its place (a comment with replies, a message) shows under `hide`. */
export const WITHHELD_TEXT = "[hidden: flagged as a possible prompt injection]";

interface Flaggable {
  readonly hazards: readonly unknown[];
}

/** The items as `filter` asks: all of them, the unflagged ones, or all without the field. */
export function filterByHazards<T extends Flaggable>(
  items: readonly T[],
  filter: HazardFilter,
): readonly (T | Omit<T, "hazards">)[] {
  if (filter === "flag") return items;
  if (filter === "hide") return items.filter((item) => item.hazards.length === 0);
  return items.map(withoutHazards);
}

/** One item as `filter` asks, for an item asked for by itself (never left out). */
export function shownWithHazards<T extends Flaggable>(
  item: T,
  filter: HazardFilter,
): T | Omit<T, "hazards"> {
  return filter === "show" ? withoutHazards(item) : item;
}

function withoutHazards<T extends Flaggable>(item: T): Omit<T, "hazards"> {
  const { hazards: _hazards, ...rest } = item;
  return rest;
}

/** The keys of `T` that hold text. */
type TextKey<T> = { [K in keyof T]: T[K] extends string ? K : never }[keyof T];

/**
 * Items as `filter` asks, none left out: under `hide` a flagged item keeps its place with its
 * text fields withheld. For direct messages: leaving one out of a conversation would change what
 * the rest of it means, and a request left out could be neither answered nor blocked.
 */
export function withholdFlagged<T extends Flaggable>(
  items: readonly T[],
  filter: HazardFilter,
  textFields: readonly TextKey<T>[],
): readonly (T | Omit<T, "hazards">)[] {
  if (filter === "flag") return items;
  if (filter === "show") return items.map(withoutHazards);
  return items.map((item) => {
    if (item.hazards.length === 0) return item;
    const withheld: T = { ...item, hazards: [] };
    for (const field of textFields) (withheld[field] as string) = WITHHELD_TEXT;
    return withheld;
  });
}

interface FlaggableComment extends Flaggable {
  readonly content: string;
  readonly replies: readonly FlaggableComment[];
}

/** A comment tree as `filter` asks, replies included. */
export function filterCommentTree<T extends FlaggableComment>(
  comments: readonly T[],
  filter: HazardFilter,
): readonly (T | Omit<T, "hazards">)[] {
  if (filter === "flag") return comments;
  const out: (T | Omit<T, "hazards">)[] = [];
  for (const comment of comments) {
    const replies = filterCommentTree(comment.replies as readonly T[], filter);
    if (filter === "show") {
      out.push({ ...withoutHazards(comment), replies });
    } else if (comment.hazards.length === 0) {
      out.push(replies === comment.replies ? comment : { ...comment, replies });
    } else if (replies.length > 0) {
      out.push({ ...comment, content: WITHHELD_TEXT, hazards: [], replies });
    }
  }
  return out;
}
