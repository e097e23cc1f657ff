/** A post or comment just stored (local or received from another instance), by id. */
export interface NewContent {
  readonly kind: "post" | "comment";
  readonly id: string;
}

/**
 * Tells listeners in this process of content stored here, once its transaction has committed
 * (live pages follow it). Other processes hear of it through the database (PostgreSQL NOTIFY).
 */
export interface ContentSignal {
  emit(content: NewContent): void;
  subscribe(listener: (content: NewContent) => void): () => void;
}

export function createContentSignal(): ContentSignal {
  const listeners = new Set<(content: NewContent) => void>();
  return {
    emit(content) {
      // A listener's failure is its own: the write it reports has succeeded.
      for (const listener of listeners) {
        try {
          listener(content);
        } catch {}
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
