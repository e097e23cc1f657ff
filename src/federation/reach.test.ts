import { FetchError } from "@fedify/vocab-runtime";
import { describe, expect, it } from "vitest";
import { isTransientFetchFailure, RemoteUnreachable, unlessGone, watchLoader } from "./reach.ts";

const url = "https://remote.example/post/1";
const answered = (status: number) =>
  new FetchError(url, `HTTP ${status}`, new Response(null, { status }));

describe("telling a remote that is gone from one that is out of reach", () => {
  it("retries no answer, 5xx and 429; drops 404, 410 and other refusals", () => {
    expect(isTransientFetchFailure(new TypeError("fetch failed"))).toBe(true);
    expect(isTransientFetchFailure(new DOMException("slow", "TimeoutError"))).toBe(true);
    expect(isTransientFetchFailure(new FetchError(url, "no response"))).toBe(true);
    expect(isTransientFetchFailure(answered(503))).toBe(true);
    expect(isTransientFetchFailure(answered(429))).toBe(true);
    expect(isTransientFetchFailure(answered(404))).toBe(false);
    expect(isTransientFetchFailure(answered(410))).toBe(false);
    expect(isTransientFetchFailure(answered(403))).toBe(false);
    expect(isTransientFetchFailure(new SyntaxError("Unexpected token <"))).toBe(false);
  });

  it("unlessGone answers null for gone things and throws RemoteUnreachable otherwise", async () => {
    expect(await unlessGone(Promise.resolve("found"))).toBe("found");
    expect(await unlessGone(Promise.reject(answered(410)))).toBeNull();
    await expect(unlessGone(Promise.reject(new TypeError("fetch failed")))).rejects.toBeInstanceOf(
      RemoteUnreachable,
    );
  });

  it("a watched loader remembers a transient failure that its caller swallowed", async () => {
    const down = watchLoader(() => Promise.reject(new TypeError("fetch failed")));
    await down.loader(url).catch(() => null);
    expect(() => down.assertReached(url)).toThrow(RemoteUnreachable);
    const gone = watchLoader(() => Promise.reject(answered(404)));
    await gone.loader(url).catch(() => null);
    expect(() => gone.assertReached(url)).not.toThrow();
    expect(gone.wasGone(url)).toBe(true);
    expect(down.wasGone(url)).toBe(false);
  });
});
