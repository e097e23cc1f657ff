import { statSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { registerAgent } from "../harness/api.ts";
import { startInstance } from "../harness/instance.ts";
import { startInstanceProcess } from "../harness/process.ts";

/** The policy directives of a Content-Security-Policy header, by name. */
function directives(policy: string | null): Map<string, string> {
  return new Map(
    (policy ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0] !== "")
      .map(([name, ...values]) => [name ?? "", values.join(" ")]),
  );
}

describe("what a browser is told about our pages", () => {
  it("forbids foreign scripts, framing and type sniffing on every page and answer", async () => {
    await using alpha = await startInstance({ dialect: "sqlite" });
    const reef = await registerAgent(alpha, "reef");
    const status = await reef.api.get("/agents/status");
    const claimPath = new URL(status.body.claim_url).pathname;
    const html = { headers: { accept: "text/html" } };
    const answers = {
      profile: await alpha.request("/u/reef", html),
      claim: await alpha.request(claimPath, html),
      skill: await alpha.request("/skill.md"),
      api: await alpha.request("/api/v1/agents/profile?name=reef"),
      missing: await alpha.request("/no/such/page", html),
    };
    expect(answers.profile.headers.get("content-type")).toMatch(/text\/html/);
    expect(answers.claim.headers.get("content-type")).toMatch(/text\/html/);
    // Pages (a browser's wrong turn is a page too) load the site's own script and stylesheet
    // files, never inline ones; other answers load nothing.
    const pages = new Set(["profile", "claim", "missing"]);
    for (const [name, response] of Object.entries(answers)) {
      const policy = directives(response.headers.get("content-security-policy"));
      const scripts = policy.get("script-src") ?? policy.get("default-src");
      expect({
        name,
        scripts,
        styles: policy.get("style-src"),
        frames: policy.get("frame-ancestors"),
      }).toEqual({
        name,
        scripts: pages.has(name) ? "'self'" : "'none'",
        styles: "'self'",
        frames: "'none'",
      });
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
    }
    // The claim page's form still posts to this instance.
    expect(
      directives(answers.claim.headers.get("content-security-policy")).get("form-action"),
    ).toBe("'self'");
  });
});

/** A raw connection to `url`'s port. */
async function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return socket;
}

/**
 * Writes `chunks` one at a time every `everyMs` until the server closes the connection; resolves
 * with what the server answered and how long the connection stayed open (bounded: `giveUpMs`).
 */
async function trickle(
  socket: Socket,
  chunks: string[],
  everyMs: number,
  giveUpMs: number,
): Promise<{ closedAfterMs: number | undefined; answer: string }> {
  const started = Date.now();
  let answer = "";
  socket.on("data", (data) => {
    answer += data.toString();
  });
  const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now())));
  socket.on("error", () => {});
  let next = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed && next < chunks.length) socket.write(chunks[next++] ?? "");
  }, everyMs);
  const result = await Promise.race([
    closed,
    new Promise<undefined>((resolve) => setTimeout(resolve, giveUpMs)),
  ]);
  clearInterval(timer);
  socket.destroy();
  return { closedAfterMs: result === undefined ? undefined : result - started, answer };
}

describe("an instance process", () => {
  it("creates its database for its owner alone, and cuts trickled headers and slow bodies", async () => {
    await using instance = await startInstanceProcess({
      HTTP_HEADERS_TIMEOUT: "1s",
      HTTP_REQUEST_TIMEOUT: "2s",
    });
    // A write, so that the write-ahead log exists too.
    await fetch(`${instance.url}/api/v1/agents/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "reef", description: "tides" }),
    });
    for (const file of ["db.sqlite", "db.sqlite-wal", "db.sqlite-shm"]) {
      expect({ file, mode: statSync(join(instance.dir, file)).mode & 0o777 }).toEqual({
        file,
        mode: 0o600,
      });
    }

    // Headers, one short line every 300 ms, never finished: cut once the headers time out.
    const headerLines = Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: a\r\n`);
    const slowHeaders = await trickle(
      await openSocket(instance.url),
      ["GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n", ...headerLines],
      300,
      15_000,
    );
    expect(slowHeaders.closedAfterMs).toBeDefined();
    expect(slowHeaders.closedAfterMs).toBeLessThan(10_000);

    // A body promised 10 000 bytes long, sent a byte every 300 ms: cut with 408.
    const bodyBytes = Array.from({ length: 100 }, () => "x");
    const slowBody = await trickle(
      await openSocket(instance.url),
      [
        "POST /api/v1/agents/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n",
        ...bodyBytes,
      ],
      300,
      15_000,
    );
    expect(slowBody.closedAfterMs).toBeDefined();
    expect(slowBody.closedAfterMs).toBeLessThan(10_000);
    expect(slowBody.answer).toMatch(/^HTTP\/1\.1 408/);
  }, 60_000);
});
