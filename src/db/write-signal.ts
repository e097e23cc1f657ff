import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from "kysely";

/** Tells listeners, in this process, that a statement wrote to a table (undefined: unknown). */
export interface WriteSignal {
  subscribe(listener: (table: string | undefined) => void): () => void;
}

/**
 * A Kysely plugin that reports every insert, update and delete run through its Kysely instance,
 * once the statement has run (inside its transaction, if any). Read caches use it to drop what a
 * write in this process may have changed.
 */
export class WriteObserver implements KyselyPlugin, WriteSignal {
  readonly #listeners = new Set<(table: string | undefined) => void>();
  /** Writes compiled and not yet run, by query id (weakly: a failed statement never reports). */
  readonly #pending = new WeakMap<object, string | undefined>();

  subscribe(listener: (table: string | undefined) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const written = writtenTable(args.node);
    if (written !== null) this.#pending.set(args.queryId, written);
    return args.node;
  }

  // Not async: this runs for every query, and most are reads with nothing to do.
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#pending.has(args.queryId)) {
      const table = this.#pending.get(args.queryId);
      this.#pending.delete(args.queryId);
      for (const listener of this.#listeners) listener(table);
    }
    return Promise.resolve(args.result);
  }
}

const RAW_WRITE = /^\s*(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from)\s+"?(\w+)"?/i;

/** The table a statement writes to; undefined when it writes somewhere unknown; null: a read. */
function writtenTable(node: RootOperationNode): string | undefined | null {
  switch (node.kind) {
    case "InsertQueryNode":
      return node.into?.table.identifier.name;
    case "UpdateQueryNode":
    case "DeleteQueryNode": {
      const target = node.kind === "UpdateQueryNode" ? node.table : node.from.froms[0];
      return target === undefined ? undefined : tableName(target);
    }
    case "MergeQueryNode":
      return undefined;
    case "RawNode": {
      const match = RAW_WRITE.exec(node.sqlFragments[0] ?? "");
      return match === null ? null : match[1];
    }
    default:
      return null;
  }
}

function tableName(node: { kind: string }): string | undefined {
  const table = node as {
    kind: string;
    table?: { identifier: { name: string } };
    node?: { kind: string };
  };
  if (table.kind === "TableNode") return table.table?.identifier.name;
  if (table.kind === "AliasNode" && table.node !== undefined) return tableName(table.node);
  return undefined;
}
