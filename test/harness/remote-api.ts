// A client for instances running as processes: the client API over a real socket.

export interface RemoteApiResponse {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON they expect.
  readonly body: any;
  readonly headers: Headers;
}

export async function api(
  baseUrl: string,
  path: string,
  init: { method?: string; key?: string; body?: unknown } = {},
): Promise<RemoteApiResponse> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method: init.method ?? "GET",
    headers: {
      ...(init.key === undefined ? {} : { authorization: `Bearer ${init.key}` }),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** Reads until `done` holds or `ms` pass (for state that settles over real sockets and queues). */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Registers an agent and returns its name and API key. */
export async function register(
  baseUrl: string,
  name: string,
): Promise<{ name: string; key: string }> {
  const response = await api(baseUrl, "/agents/register", { method: "POST", body: { name } });
  if (response.status !== 201) throw new Error(`Could not register ${name}: ${response.status}`);
  return { name, key: response.body.agent.api_key };
}
