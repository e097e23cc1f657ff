import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { apiClient, refusal, registerAgent, rowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance, type TestInstance } from "../harness/instance.ts";
import { picture, storedMedia, upload } from "../harness/uploads.ts";

// Avatars and banners: uploaded as multipart files, checked by their bytes, drawn anew (nothing
// of the upload but its pixels is kept), stored once by content hash, served for good, and
// deleted when nothing shows them any more.

const MEDIA_URL = /^https:\/\/alpha\.test\/media\/[0-9a-f]{64}\.webp$/;

async function served(instance: TestInstance, url: string): Promise<Response> {
  return instance.fetch(new Request(url));
}

async function servedBytes(instance: TestInstance, url: string): Promise<Uint8Array> {
  const response = await served(instance, url);
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

function contains(bytes: Uint8Array, text: string): boolean {
  return Buffer.from(bytes).includes(Buffer.from(text, "latin1"));
}

describe.each(DIALECTS)("%s: avatars and banners", (dialect) => {
  it("takes a JPEG, PNG, GIF or WebP avatar, stores it as a WebP and serves it for good", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const urls = new Set<string>();
    const colours = { jpeg: "#ff0000", png: "#00ff00", gif: "#0000ff", webp: "#ffff00" };
    for (const [format, colour] of Object.entries(colours) as [keyof typeof colours, string][]) {
      const uploaded = await upload(
        instance,
        reef.apiKey,
        "/agents/me/avatar",
        await picture(format, { width: 640, height: 480, colour }),
        { filename: "avatar.bin", type: "application/octet-stream" },
      );
      expect(uploaded.status, format).toBe(200);
      expect(uploaded.body).toMatchObject({
        success: true,
        avatar_url: expect.stringMatching(MEDIA_URL),
        agent: { name: "reef", avatar_url: uploaded.body.avatar_url },
      });
      const response = await served(instance, uploaded.body.avatar_url);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/webp");
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      const stored = await sharp(new Uint8Array(await response.arrayBuffer())).metadata();
      expect([stored.format, stored.width, stored.height], format).toEqual(["webp", 400, 400]);
      const me = await reef.api.get("/agents/me");
      expect(me.body.agent.avatar_url).toBe(uploaded.body.avatar_url);
      urls.add(uploaded.body.avatar_url);
    }
    // Each upload replaced the one before, whose file went with it.
    expect(urls.size).toBe(4);
    expect(storedMedia(instance)).toHaveLength(1);
    expect((await instance.request("/media/nothing-here.webp")).status).toBe(404);
  });

  it("refuses what is not a picture, an upload over the limit and a missing file, changing nothing", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const before = await rowCounts(instance);
    const unsupported = [400, "BAD_REQUEST", "Unsupported image type"];
    const text = new TextEncoder().encode("just some words, not a picture");
    expect(
      refusal(
        await upload(instance, reef.apiKey, "/agents/me/avatar", text, {
          filename: "avatar.png",
          type: "image/png",
        }),
      ),
    ).toEqual(unsupported);
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect(
      refusal(await upload(instance, reef.apiKey, "/agents/me/avatar", svg, { type: "image/svg" })),
    ).toEqual(unsupported);
    const truncated = (await picture("png")).slice(0, 60);
    expect(refusal(await upload(instance, reef.apiKey, "/agents/me/avatar", truncated))).toEqual([
      400,
      "BAD_REQUEST",
      "The image could not be read",
    ]);
    // Over 1 MiB: a real picture, refused for its size before it is decoded.
    const big = await picture("png", { width: 700, height: 700, noise: true });
    expect(big.byteLength).toBeGreaterThan(1024 * 1024);
    expect(refusal(await upload(instance, reef.apiKey, "/agents/me/avatar", big))).toEqual([
      413,
      "PAYLOAD_TOO_LARGE",
      "The avatar is too large",
    ]);
    // Far over any picture's limit: refused while the body is read.
    const huge = new Uint8Array(3 * 1024 * 1024);
    huge.set([0xff, 0xd8, 0xff]);
    expect(refusal(await upload(instance, reef.apiKey, "/agents/me/avatar", huge))).toEqual([
      413,
      "PAYLOAD_TOO_LARGE",
      "Request body too large",
    ]);
    const noFile = [400, "BAD_REQUEST", "No file uploaded"];
    expect(refusal(await reef.api.post("/agents/me/avatar", { file: "x" }))).toEqual(noFile);
    const form = new FormData();
    form.set("avatar", "not the file field");
    const wrongField = await instance.request("/api/v1/agents/me/avatar", {
      method: "POST",
      headers: { authorization: `Bearer ${reef.apiKey}` },
      body: form,
    });
    expect([wrongField.status, (await wrongField.json()).error]).toEqual([400, "No file uploaded"]);
    expect(
      refusal(await upload(instance, undefined, "/agents/me/avatar", await picture("png"))),
    ).toEqual([401, "UNAUTHORIZED", "No authorization token provided"]);
    expect(await rowCounts(instance)).toEqual(before);
    expect((await reef.api.get("/agents/me")).body.agent.avatar_url).toBeNull();
    expect(storedMedia(instance)).toEqual([]);
  });

  it("keeps nothing of the upload but its pixels: no EXIF, no GPS, no appended HTML or ZIP", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const photo = await sharp({
      create: { width: 300, height: 300, channels: 3, background: "#336699" },
    })
      .jpeg()
      .withExif({
        IFD0: { Copyright: "SECRET-OWNER-NAME", Artist: "SECRET-OWNER-NAME" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" },
      })
      .toBuffer();
    const payload = Buffer.from(
      "<html><script>alert(document.cookie)</script></html>PK\u0003\u0004evil.zip",
      "latin1",
    );
    const polyglot = new Uint8Array(Buffer.concat([photo, payload]));
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    expect(contains(polyglot, "SECRET-OWNER-NAME")).toBe(true);

    const uploaded = await upload(instance, reef.apiKey, "/agents/me/avatar", polyglot, {
      filename: "innocent.jpg",
      type: "image/jpeg",
    });
    expect(uploaded.status).toBe(200);
    const stored = await servedBytes(instance, uploaded.body.avatar_url);
    for (const needle of ["SECRET-OWNER-NAME", "<script", "<html", "PK\u0003\u0004", "Exif", "GPS"])
      expect(contains(stored, needle), needle).toBe(false);
    const metadata = await sharp(stored).metadata();
    expect([metadata.format, metadata.exif, metadata.icc, metadata.xmp]).toEqual([
      "webp",
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("deletes an avatar's file when the agent removes or replaces it, unless another agent shows it", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    const shared = await picture("png");
    const first = await upload(instance, reef.apiKey, "/agents/me/avatar", shared);
    const same = await upload(instance, kelp.apiKey, "/agents/me/avatar", shared);
    expect(same.body.avatar_url).toBe(first.body.avatar_url);
    expect(storedMedia(instance)).toHaveLength(1);

    const removed = await reef.api.delete("/agents/me/avatar");
    expect(removed.status).toBe(200);
    expect(removed.body.agent.avatar_url).toBeNull();
    expect((await served(instance, first.body.avatar_url)).status).toBe(200);

    const smaller = await picture("gif", { width: 100, height: 100 });
    const other = await upload(instance, kelp.apiKey, "/agents/me/avatar", smaller);
    expect(other.body.avatar_url).not.toBe(first.body.avatar_url);
    expect((await served(instance, first.body.avatar_url)).status).toBe(404);
    // An avatar given by URL replaces an uploaded one, whose file goes too.
    await kelp.api.patch("/agents/me", { avatar_url: "https://img.example/kelp.png" });
    expect((await served(instance, other.body.avatar_url)).status).toBe(404);
    expect(storedMedia(instance)).toEqual([]);
    // Removing an avatar that is not there is no error.
    expect((await reef.api.delete("/agents/me/avatar")).body.agent.avatar_url).toBeNull();
  });

  it("lets owners and moderators upload a submolt's avatar and banner, also by the legacy settings form", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    const coral = await registerAgent(instance, "coral");
    await reef.api.post("/submolts", { name: "reefs", display_name: "Reefs" });
    await reef.api.post("/submolts/reefs/moderators", { agent_name: "kelp", role: "moderator" });

    const avatar = await upload(
      instance,
      reef.apiKey,
      "/submolts/reefs/avatar",
      await picture("png"),
    );
    expect(avatar.status).toBe(200);
    expect(avatar.body).toMatchObject({
      success: true,
      avatar_url: expect.stringMatching(MEDIA_URL),
      submolt: { name: "reefs", banner_url: null },
    });
    // A banner may be larger than an avatar (2 MiB), and keeps its wide shape.
    const wide = await picture("png", { width: 1600, height: 400, noise: true });
    expect(wide.byteLength).toBeGreaterThan(1024 * 1024);
    const banner = await upload(instance, kelp.apiKey, "/submolts/reefs/banner", wide);
    expect(banner.status).toBe(200);
    const bannerMeta = await sharp(await servedBytes(instance, banner.body.banner_url)).metadata();
    expect([bannerMeta.format, bannerMeta.width, bannerMeta.height]).toEqual(["webp", 1500, 400]);
    const read = await apiClient(instance).get("/submolts/reefs");
    expect(read.body.submolt).toMatchObject({
      avatar_url: avatar.body.avatar_url,
      banner_url: banner.body.banner_url,
    });

    // Moltbook's older form: POST /settings with the file and type=avatar|banner.
    const legacy = await upload(
      instance,
      kelp.apiKey,
      "/submolts/reefs/settings",
      await picture("jpeg"),
      { fields: { type: "avatar" } },
    );
    expect(legacy.status).toBe(200);
    expect(legacy.body.submolt.avatar_url).toMatch(MEDIA_URL);
    expect(legacy.body.submolt.avatar_url).not.toBe(avatar.body.avatar_url);
    expect((await served(instance, avatar.body.avatar_url)).status).toBe(404);
    const noType = await upload(instance, kelp.apiKey, "/submolts/reefs/settings", wide);
    expect(refusal(noType)).toEqual([400, "BAD_REQUEST", "Unknown upload type"]);

    const before = await rowCounts(instance);
    const files = storedMedia(instance);
    const denied = [403, "FORBIDDEN", "You do not have permission to update this submolt"];
    const other = await picture("webp", { width: 50, height: 50 });
    expect(refusal(await upload(instance, coral.apiKey, "/submolts/reefs/avatar", other))).toEqual(
      denied,
    );
    expect(
      refusal(
        await upload(instance, coral.apiKey, "/submolts/reefs/settings", other, {
          fields: { type: "banner" },
        }),
      ),
    ).toEqual(denied);
    const notPicture = new TextEncoder().encode("not a picture");
    expect(
      refusal(await upload(instance, coral.apiKey, "/submolts/reefs/banner", notPicture)),
    ).toEqual(denied);
    expect(refusal(await coral.api.delete("/submolts/reefs/banner"))).toEqual(denied);
    expect(
      refusal(await upload(instance, coral.apiKey, "/submolts/nowhere/avatar", other)),
    ).toEqual([404, "NOT_FOUND", "Submolt not found"]);
    expect(await rowCounts(instance)).toEqual(before);
    expect(storedMedia(instance)).toEqual(files);

    const removed = await kelp.api.delete("/submolts/reefs/banner");
    expect(removed.status).toBe(200);
    expect(removed.body.submolt).toMatchObject({
      banner_url: null,
      avatar_url: legacy.body.submolt.avatar_url,
    });
    expect((await served(instance, banner.body.banner_url)).status).toBe(404);
    await reef.api.delete("/submolts/reefs/avatar");
    expect(storedMedia(instance)).toEqual([]);
  });

  it("shows an uploaded avatar beside posts, and image posts still link their picture by URL", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const avatar = await upload(instance, reef.apiKey, "/agents/me/avatar", await picture("png"));
    const created = await reef.api.post("/posts", {
      submolt: "general",
      title: "A picture",
      url: "https://images.example/tide.jpg",
      type: "image",
    });
    expect(created.status).toBe(201);
    const read = await apiClient(instance).get(`/posts/${created.body.post.id}`);
    expect(read.body.post).toMatchObject({
      type: "image",
      url: "https://images.example/tide.jpg",
      author: { name: "reef", avatar_url: avatar.body.avatar_url },
    });
  });

  it("documents the uploads as multipart in the OpenAPI document, and their limits in /instance", async () => {
    await using instance = await startInstance({ dialect });
    const doc = await apiClient(instance).get("/openapi.json");
    for (const path of [
      "/agents/me/avatar",
      "/submolts/{name}/avatar",
      "/submolts/{name}/banner",
      "/submolts/{name}/settings",
    ]) {
      const content = doc.body.paths[path].post.requestBody.content;
      expect(content["multipart/form-data"].schema.required, path).toContain("file");
      expect(doc.body.paths[path].post.responses["413"], path).toBeDefined();
    }
    expect(doc.body.paths["/agents/me/avatar"].delete).toBeDefined();
    const info = await apiClient(instance).get("/instance");
    expect(info.body.instance.uploads).toEqual({
      formats: ["image/jpeg", "image/png", "image/gif", "image/webp"],
      avatar_max_bytes: 1024 * 1024,
      banner_max_bytes: 2 * 1024 * 1024,
    });
  });
});
