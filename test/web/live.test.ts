import { getEventListeners } from "node:events";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { describe, expect, it } from "vitest";
import { createContentSignal } from "../../src/services/content-signal.ts";
import { createLiveResolver } from "../../src/web/live/events.ts";
import { createLiveHub } from "../../src/web/live/hub.ts";
import { createLiveStreams } from "../../src/web/live/streams.ts";
import { registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";
import { createNetwork } from "../harness/network.ts";
import { readSse } from "../harness/sse.ts";

// Live pages: /live streams the front page's new posts and /post/ID/live a post's new comments,
// as Server-Sent Events, from what the instance stores (its own agents' and other instances').

async function until(predicate: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(DIALECTS)("%s: live pages", (dialect) => {
  it("/live streams new local posts and posts arriving from another instance", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    const kelp = await registerAgent(net.instance("beta"), "kelp");
    await reef.api.post("/agents/kelp@beta.test/follow");
    await net.drain();

    const response = await alpha.request("/live");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    const stream = readSse(response);
    expect(await stream.next()).toEqual({ retry: 5000 });
    expect((await stream.next()).comment).toMatch(/^live/);

    const local = await reef.api.post("/posts", { title: "Tide tables", content: "Low at noon." });
    expect(await stream.nextEvent()).toEqual({
      event: "post",
      data: {
        id: local.body.post.id,
        url: `https://alpha.test/post/${local.body.post.id}`,
        title: "Tide tables",
        author: "reef",
        submolt: "general",
        created_at: local.body.post.created_at,
      },
    });

    await kelp.api.post("/posts", { title: "Kelp grows fast", content: "Half a metre a day." });
    await net.drain();
    const remote = await stream.nextEvent();
    expect(remote).toMatchObject({
      event: "post",
      data: { title: "Kelp grows fast", author: "kelp@beta.test", submolt: "general" },
    });
    const id = (remote.data as { id: string }).id;
    expect((remote.data as { url: string }).url).toBe(`https://alpha.test/post/${id}`);
    await stream.cancel();
  });

  it("/post/ID/live streams that post's new comments only; an unknown post is a 404", async () => {
    await using alpha = await startInstance({ dialect });
    const reef = await registerAgent(alpha, "reef");
    const watched = await reef.api.post("/posts", { title: "Watched", content: "Comment here" });
    const other = await reef.api.post("/posts", { title: "Other", content: "Not watched" });
    const postId: string = watched.body.post.id;

    const unknown = await alpha.request("/post/00000000-0000-7000-8000-000000000000/live");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ success: false, code: "NOT_FOUND" });

    const stream = readSse(await alpha.request(`/post/${postId}/live`));
    const first = await reef.api.post(`/posts/${postId}/comments`, { content: "First!" });
    const commentId: string = first.body.comment.id;
    expect(await stream.nextEvent()).toEqual({
      event: "comment",
      data: {
        id: commentId,
        url: `https://alpha.test/post/${postId}#comment-${commentId}`,
        post_id: postId,
        parent_id: null,
        excerpt: "First!",
        author: "reef",
        submolt: "general",
        created_at: first.body.comment.created_at,
      },
    });
    // A new post and another post's comment are not this stream's business.
    await reef.api.post("/posts", { title: "Unrelated", content: "New post" });
    await reef.api.post(`/posts/${other.body.post.id}/comments`, { content: "Elsewhere" });
    const reply = await reef.api.post(`/posts/${postId}/comments`, {
      content: `A long reply ${"x".repeat(300)}`,
      parent_id: commentId,
    });
    const next = await stream.nextEvent();
    expect(next).toMatchObject({
      event: "comment",
      data: { id: reply.body.comment.id, parent_id: commentId },
    });
    expect((next.data as { excerpt: string }).excerpt).toHaveLength(200);
    await stream.cancel();
  });

  it("never streams what pages hide: suspended authors, posts outside submolts, deleted posts", async () => {
    await using alpha = await startInstance({ dialect });
    const reef = await registerAgent(alpha, "reef");
    const coral = await registerAgent(alpha, "coral");
    const shown = await reef.api.post("/posts", { title: "Shown", content: "Fine" });
    const byCoral = await coral.api.post("/posts", { title: "Coral's", content: "Soon hidden" });
    const coralComment = await coral.api.post(`/posts/${shown.body.post.id}/comments`, {
      content: "Soon hidden too",
    });
    const loose = await reef.api.post("/posts", { title: "Loose", content: "No submolt" });
    const gone = await reef.api.post("/posts", { title: "Gone", content: "Deleted" });
    await alpha.db.db
      .updateTable("posts")
      .set({ submolt_id: null })
      .where("id", "=", loose.body.post.id)
      .execute();
    await reef.api.delete(`/posts/${gone.body.post.id}`);
    await alpha.operator.suspendAgent("coral");
    // As if these had just been stored (say, by another process): the hub reads each and drops it.
    const signal = createContentSignal();
    const hub = createLiveHub({
      newContent: signal,
      resolve: createLiveResolver(alpha.db.db, alpha.config.origin),
      onError: (error) => {
        throw error;
      },
    });
    const posts: string[] = [];
    const comments: string[] = [];
    hub.subscribe({ kind: "posts" }, (event) => posts.push(event.data.id));
    hub.subscribe({ kind: "comments", postId: shown.body.post.id }, (event) =>
      comments.push(event.data.id),
    );
    for (const id of [byCoral.body.post.id, loose.body.post.id, gone.body.post.id]) {
      signal.emit({ kind: "post", id });
    }
    signal.emit({ kind: "comment", id: coralComment.body.comment.id });
    signal.emit({ kind: "post", id: shown.body.post.id });
    await until(() => posts.length > 0);
    expect(posts).toEqual([shown.body.post.id]);
    expect(comments).toEqual([]);
    expect(hub.reads).toBe(5);
  });

  it("caps streams per client address and per process, with the JSON error shape", async () => {
    await using alpha = await startInstance({ dialect });
    // In-process requests all come from one address ("unknown"); the default cap is 8.
    const open = [];
    for (let i = 0; i < 8; i++) open.push(readSse(await alpha.request("/live")));
    const refused = await alpha.request("/live");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(await refused.json()).toMatchObject({
      success: false,
      code: "RATE_LIMITED",
      reason: "too_many_client_streams",
    });
    await open.pop()?.cancel();
    expect((await alpha.request("/live")).status).toBe(200);

    const streams = createLiveStreams(alpha.live.hub, { maxStreams: 2, maxStreamsPerClient: 5 });
    const signal = new AbortController().signal;
    streams.open({ kind: "posts" }, "192.0.2.1", signal);
    streams.open({ kind: "posts" }, "192.0.2.2", signal);
    expect(() => streams.open({ kind: "posts" }, "192.0.2.3", signal)).toThrow(
      expect.objectContaining({ code: "rate_limited", details: { reason: "too_many_streams" } }),
    );
    streams.closeAll();
    expect(streams.count).toBe(0);
  });

  it("releases a stream's listeners when its client goes away", async () => {
    await using alpha = await startInstance({ dialect });
    const reef = await registerAgent(alpha, "reef");
    const post = await reef.api.post("/posts", { title: "Watched", content: "Here" });
    const hub = alpha.live.hub;
    expect(hub.viewers).toBe(0);

    // Aborted by the client (its request's signal), and cancelled by the server (body reader).
    const aborted = new AbortController();
    const first = await alpha.request("/live", { signal: aborted.signal });
    const second = readSse(await alpha.request(`/post/${post.body.post.id}/live`));
    const thirdRequest = new Request("https://alpha.test/live");
    const third = readSse(await alpha.fetch(thirdRequest));
    expect(getEventListeners(thirdRequest.signal, "abort")).toHaveLength(1);
    expect(hub.viewers).toBe(3);
    expect(alpha.live.streams.count).toBe(3);
    aborted.abort();
    await readSse(first).ended();
    await second.cancel();
    await third.cancel();
    expect(hub.viewers).toBe(0);
    expect(alpha.live.streams.count).toBe(0);
    expect(getEventListeners(thirdRequest.signal, "abort")).toHaveLength(0);

    // Over a real socket: the client hangs up mid-stream.
    const server = serve({ fetch: alpha.fetch, hostname: "127.0.0.1", port: 0 });
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      const request = httpRequest({ host: "127.0.0.1", port, path: "/live" }, (response) => {
        expect(response.statusCode).toBe(200);
        response.once("data", () => {
          expect(alpha.live.streams.count).toBe(1);
          request.destroy();
          resolve();
        });
      });
      request.on("error", (error) => (request.destroyed ? undefined : reject(error)));
      request.end();
    });
    await until(() => alpha.live.streams.count === 0);
    expect(hub.viewers).toBe(0);
    await new Promise((resolve) => server.close(resolve));
  });

  it("sends a heartbeat comment on an idle stream", async () => {
    await using alpha = await startInstance({ dialect });
    const streams = createLiveStreams(alpha.live.hub, {
      maxStreams: 1,
      maxStreamsPerClient: 1,
      heartbeatMs: 20,
    });
    const stream = readSse(streams.open({ kind: "posts" }, "a", new AbortController().signal));
    expect(await stream.next()).toEqual({ retry: 5000 });
    await stream.next();
    expect(await stream.next()).toEqual({ comment: "heartbeat" });
    expect(await stream.next()).toEqual({ comment: "heartbeat" });
    streams.closeAll();
    expect(await stream.ended()).toBe(true);
  });

  it("ends open streams when the server stops, and opens no new ones", async () => {
    await using alpha = await startInstance({ dialect });
    const stream = readSse(await alpha.request("/live"));
    await stream.next();
    alpha.endStreams();
    expect(await stream.ended()).toBe(true);
    expect(alpha.live.hub.viewers).toBe(0);
    const refused = await alpha.request("/live");
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ reason: "shutting_down" });
  });
});
