import type { SigningKey } from "../../src/lib/agent-signing.ts";
import { signAgentRequest } from "../../src/lib/agent-signing.ts";
import type { ApiResponse } from "./api.ts";
import type { TestInstance } from "./instance.ts";

/** Sends a request signed by `key`; `tweak` may change headers or body after signing. */
export async function signed(
  instance: TestInstance,
  method: string,
  path: string,
  key: SigningKey,
  options: {
    body?: unknown;
    now?: Date;
    /** The URL to sign, when not the one the request goes to. */
    signedUrl?: string;
    tweak?: (request: { headers: Record<string, string>; body?: string }) => void;
  } = {},
): Promise<ApiResponse & { replay: () => Promise<ApiResponse> }> {
  const url = new URL(`/api/v1${path}`, instance.config.origin).href;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...(await signAgentRequest(
      { method, url: options.signedUrl ?? url, ...(body === undefined ? {} : { body }) },
      key,
      options.now,
    )),
    ...(body === undefined ? {} : { "content-type": "application/json" }),
  };
  const outgoing: { headers: Record<string, string>; body?: string } = {
    headers,
    ...(body === undefined ? {} : { body }),
  };
  options.tweak?.(outgoing);
  const send = async (): Promise<ApiResponse> => {
    const response = await instance.request(`/api/v1${path}`, {
      method,
      headers: outgoing.headers,
      ...(outgoing.body === undefined ? {} : { body: outgoing.body }),
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  };
  return { ...(await send()), replay: send };
}
