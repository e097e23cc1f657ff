import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/connect.ts";
import { apiClient, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";

// Shared pages (listings, threads) are cached per process; what another process writes to the
// database (another web process, an operator command, a worker) must show on the next read, not
// once the cached page expires.

describe.each(DIALECTS)("%s: writes by other processes", (dialect) => {
  it("show on the very next read of a cached listing and thread", async () => {
    await using alpha = await startInstance({ dialect });
    const reef = await registerAgent(alpha, "reef");
    const post = (await reef.api.post("/posts", { title: "Tide", content: "Low." })).body.post;
    const anonymous = apiClient(alpha);
    const titles = async () =>
      (await anonymous.get("/posts?sort=new")).body.posts.map((p: { title: string }) => p.title);
    // Read twice: the second comes from the cache.
    expect(await titles()).toEqual(["Tide"]);
    expect(await titles()).toEqual(["Tide"]);
    expect((await anonymous.get(`/posts/${post.id}`)).body.post.title).toBe("Tide");

    // Another connection to the same database, as another process has.
    await using other = await createDb(alpha.config.db);
    await other.db
      .updateTable("posts")
      .set({ title: "Spring tide" })
      .where("id", "=", post.id)
      .execute();
    await alpha.catchUpWithOtherProcesses();

    expect(await titles()).toEqual(["Spring tide"]);
    expect((await anonymous.get(`/posts/${post.id}`)).body.post.title).toBe("Spring tide");

    await other.db.updateTable("posts").set({ title: "Neap tide" }).execute();
    await alpha.catchUpWithOtherProcesses();
    expect(await titles()).toEqual(["Neap tide"]);
  });
});
