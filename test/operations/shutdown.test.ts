import { describe, expect, it } from "vitest";
import { startInstanceProcess } from "../harness/process.ts";
import { api, eventually, register } from "../harness/remote-api.ts";

// An instance stopped with SIGTERM while agents write to it: every write it answered 2xx is in
// its database when it starts again, and it exits cleanly.

describe("stopping an instance", () => {
  it("SIGTERM in the middle of a write load loses no accepted write", {
    timeout: 60_000,
  }, async () => {
    await using instance = await startInstanceProcess({ RATE_LIMITS: "off" });
    const { key } = await register(instance.url, "loader");
    const accepted: string[] = [];
    const failures: number[] = [];
    const writer = async (w: number) => {
      for (let i = 0; ; i++) {
        const response = await api(instance.url, "/posts", {
          method: "POST",
          key,
          body: { title: `Writer ${w}, post ${i}`, content: "load" },
        }).catch(() => undefined);
        if (response === undefined) return; // the server stopped taking connections
        if (response.status === 201) accepted.push(response.body.post.id);
        else failures.push(response.status);
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    await eventually(
      async () => accepted.length,
      (n) => n >= 40,
    );
    const exitCode = instance.stop("SIGTERM");
    await Promise.all(writers);
    expect(await exitCode).toBe(0);
    expect(instance.output()).toContain("SIGTERM received: finishing in-flight work");
    expect(instance.output()).toContain("Stopped");
    expect(failures).toEqual([]);

    await instance.restart();
    const missing: string[] = [];
    for (const id of accepted) {
      if ((await api(instance.url, `/posts/${id}`)).status !== 200) missing.push(id);
    }
    expect(missing).toEqual([]);
    expect(accepted.length).toBeGreaterThanOrEqual(40);
  });
});
