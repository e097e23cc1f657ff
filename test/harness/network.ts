import { type StartOptions, startInstance, type TestInstance } from "./instance.ts";

/** One request that crossed the network between instances, for assertions on traffic. */
export interface WireRecord {
  readonly from: string | undefined;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** The AS2 type of a POSTed activity, if any. */
  readonly type: string | undefined;
  /** The id of the POSTed activity's object (given by URL or embedded), if any. */
  readonly object: string | undefined;
  /** The POSTed JSON, if any (to check what an instance sends against peers' shapes). */
  readonly body: unknown;
  readonly signed: boolean;
}

export interface Network {
  instance(name: string): TestInstance;
  /** Routes requests for `host` to `handler` (another server played by the test). */
  addHost(host: string, handler: (request: Request) => Promise<Response>): void;
  readonly traffic: WireRecord[];
  /** Publishes every instance's outbox until no instance has anything left to send. */
  drain(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Several instances in one process at https://<name>.test, each on its own database, connected by
 * a fetch that routes requests to the addressed instance's handler. Signatures are made and
 * verified for real; a request to any other host fails loudly (tests stay hermetic).
 */
export async function createNetwork(
  names: readonly string[],
  /** For every instance (see startInstance): dialect, queue, delivery, fetch caps, limits, clock. */
  options: Omit<StartOptions, "origin">,
  /** What differs for some instances, by name (say, one that delivers inline, with no queue). */
  each: Readonly<Record<string, Partial<Omit<StartOptions, "origin" | "overrides">>>> = {},
): Promise<Network> {
  const byHost = new Map<string, TestInstance>();
  const others = new Map<string, (request: Request) => Promise<Response>>();
  const realFetch = globalThis.fetch;
  const traffic: WireRecord[] = [];
  try {
    for (const name of names) {
      byHost.set(
        `${name}.test`,
        await startInstance({ ...options, ...each[name], origin: `https://${name}.test` }),
      );
    }
  } catch (error) {
    for (const instance of byHost.values()) await instance.close();
    throw error;
  }
  // Plain assignment, not vi.stubGlobal, so the harness also works outside vitest.
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const host = new URL(request.url).host;
    const target = byHost.get(host)?.fetch ?? others.get(host);
    if (target === undefined) {
      throw new TypeError(`Unexpected outbound request: ${request.method} ${request.url}`);
    }
    const { type, object, body } =
      request.method === "POST" ? await activityOf(request.clone()) : ABSENT;
    const response = await target(request);
    traffic.push({
      from: undefined,
      method: request.method,
      url: request.url,
      status: response.status,
      type,
      object,
      body,
      signed: request.headers.has("signature") || request.headers.has("signature-input"),
    });
    return response;
  };
  return {
    instance(name) {
      const found = byHost.get(`${name}.test`);
      if (found === undefined) throw new Error(`No instance ${name} in this network`);
      return found;
    },
    traffic,
    addHost(host, handler) {
      others.set(host, handler);
    },
    async drain() {
      for (let round = 0; round < 20; round++) {
        let published = 0;
        for (const instance of byHost.values()) published += await instance.outbox.processAll();
        if (published === 0) return;
      }
      throw new Error("Federation did not settle after 20 rounds");
    },
    async [Symbol.asyncDispose]() {
      globalThis.fetch = realFetch;
      for (const instance of byHost.values()) await instance.close();
    },
  };
}

const ABSENT = { type: undefined, object: undefined, body: undefined };

async function activityOf(
  request: Request,
): Promise<{ type: string | undefined; object: string | undefined; body: unknown }> {
  try {
    const body = (await request.json()) as { type?: unknown; object?: unknown };
    const object = body.object as { id?: unknown } | string | undefined;
    const objectId = typeof object === "string" ? object : object?.id;
    return {
      type: typeof body.type === "string" ? body.type : undefined,
      object: typeof objectId === "string" ? objectId : undefined,
      body,
    };
  } catch {
    return ABSENT;
  }
}
