import type { ContentSignal, NewContent } from "../../services/content-signal.ts";
import type { LiveEvent } from "./events.ts";

// One hub per instance: it hears of every new post and comment once (this process's own writes
// through the services; other processes' through the database's notifications, on one shared
// connection), reads each once, and fans the result out to every viewer. Viewers add no database
// work: nothing here polls, and a burst of writes is read in batches.

/** What a viewer follows: the front page's new posts, or one post's new comments. */
export type LiveTopic =
  | { readonly kind: "posts" }
  | { readonly kind: "comments"; readonly postId: string };

export type LiveListener = (event: LiveEvent) => void;

/** Another process's inserts, as the shared database watch reports them (ids, comma-separated). */
export type InsertFeed = (listener: (table: string, payload: string) => void) => () => void;

export interface LiveHubDeps {
  readonly newContent: ContentSignal;
  /** PostgreSQL: other processes' posts and comments; absent on SQLite. */
  readonly inserts?: InsertFeed;
  /** Reads a post or comment as live pages show it; undefined: not shown. */
  readonly resolve: (content: NewContent) => Promise<LiveEvent | undefined>;
  readonly onError: (error: unknown) => void;
}

export interface LiveHub {
  subscribe(topic: LiveTopic, listener: LiveListener): () => void;
  /** Viewers subscribed now (tests check that closed streams leave none behind). */
  readonly viewers: number;
  /** Reads made, one per new post or comment however many watch (tests check it). */
  readonly reads: number;
}

/** Most items read in one go; more wait for the next batch. */
const BATCH = 50;
/** Most items waiting; beyond this a flood is dropped (live pages just show fewer "new"). */
const MAX_PENDING = 1000;
/** Ids delivered lately, so that one heard of twice (own write, then NOTIFY) is sent once. */
const REMEMBERED = 2000;

export function createLiveHub(deps: LiveHubDeps): LiveHub {
  const postViewers = new Set<LiveListener>();
  const commentViewers = new Map<string, Set<LiveListener>>();
  const pending = new Map<string, NewContent>();
  const delivered = new Set<string>();
  let viewers = 0;
  let reads = 0;
  let flushing = false;
  let detach: (() => void) | undefined;

  const hear = (content: NewContent): void => {
    if (viewers === 0 || delivered.has(content.id) || pending.size >= MAX_PENDING) return;
    if (content.kind === "post" ? postViewers.size === 0 : commentViewers.size === 0) return;
    pending.set(content.id, content);
    if (!flushing) {
      flushing = true;
      setImmediate(() => void flush());
    }
  };

  const flush = async (): Promise<void> => {
    try {
      while (pending.size > 0 && viewers > 0) {
        const batch = [...pending.values()].slice(0, BATCH);
        const events = await Promise.all(
          batch.map((content) => {
            reads++;
            return deps.resolve(content).catch((error: unknown) => {
              deps.onError(error);
              return undefined;
            });
          }),
        );
        for (const [i, content] of batch.entries()) {
          pending.delete(content.id);
          const event = events[i];
          if (event !== undefined) deliver(content.id, event);
        }
      }
    } finally {
      pending.clear();
      flushing = false;
    }
  };

  const deliver = (id: string, event: LiveEvent): void => {
    remember(id);
    const listeners = event.type === "post" ? postViewers : commentViewers.get(event.data.post_id);
    for (const listener of [...(listeners ?? [])]) listener(event);
  };

  const remember = (id: string): void => {
    delivered.add(id);
    if (delivered.size > REMEMBERED) {
      const oldest = delivered.values().next().value;
      if (oldest !== undefined) delivered.delete(oldest);
    }
  };

  const attach = (): void => {
    const fromHere = deps.newContent.subscribe(hear);
    const fromOthers = deps.inserts?.((table, payload) => {
      const kind = table === "posts" ? "post" : table === "comments" ? "comment" : undefined;
      if (kind === undefined || payload === "") return;
      for (const id of payload.split(",")) hear({ kind, id });
    });
    detach = () => {
      fromHere();
      fromOthers?.();
    };
  };

  return {
    subscribe(topic, listener) {
      if (viewers === 0) attach();
      viewers++;
      let set = postViewers;
      if (topic.kind === "comments") {
        set = commentViewers.get(topic.postId) ?? new Set();
        commentViewers.set(topic.postId, set);
      }
      set.add(listener);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        set.delete(listener);
        if (
          topic.kind === "comments" &&
          set.size === 0 &&
          commentViewers.get(topic.postId) === set
        ) {
          commentViewers.delete(topic.postId);
        }
        viewers--;
        if (viewers === 0) {
          detach?.();
          detach = undefined;
        }
      };
    },
    get viewers() {
      return viewers;
    },
    get reads() {
      return reads;
    },
  };
}
