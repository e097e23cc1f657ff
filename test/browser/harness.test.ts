import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, scrollsSideways, seriousAxeFindings } from "./harness.ts";

// The page checks must be able to fail: a page with each fault they look for is caught, and a
// clean page under the same strict policy is not. Without this, an empty list of findings could
// mean a broken detector.

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

const PAGES: Record<string, string> = {
  "/clean": `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Clean</title>
<link rel="icon" href="data:,"></head><body><main><h1>Clean</h1><p>Readable text.</p></main></body></html>`,
  "/faulty": `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Faulty</title></head>
<body><main><h1>Faulty</h1>
<p style="color:#bbb;background:#fff">Grey on white, too faint to read.</p>
<div style="width:900px">A row wider than a phone.</div>
<script>document.title = "inline script ran";</script>
<script src="/broken.js"></script>
<img src="/missing.png" alt="">
</main></body></html>`,
  "/broken.js": "throw new Error('the page script failed');",
};

let server: Server;
let origin: string;
let browser: Browser & AsyncDisposable;

beforeAll(async () => {
  server = createServer((request, response) => {
    const body = PAGES[request.url ?? ""];
    const type = request.url?.endsWith(".js") ? "text/javascript" : "text/html";
    response.writeHead(body === undefined ? 404 : 200, {
      "content-type": type,
      "content-security-policy": CSP,
    });
    response.end(body ?? "not here");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.[Symbol.asyncDispose]();
  await new Promise((resolve) => server?.close(resolve));
});

describe("the browser page checks", () => {
  it("find nothing on a clean page", async () => {
    await using opened = await openPage(browser, `${origin}/clean`, {
      viewport: { width: 360, height: 740 },
    });
    expect(opened.status).toBe(200);
    expect(opened.problems()).toEqual([]);
    expect(await opened.cspViolations()).toEqual([]);
    expect(await seriousAxeFindings(opened.page)).toEqual([]);
    expect(await scrollsSideways(opened.page)).toBe(false);
  });

  it("catch script errors, failed requests, CSP blocks, axe faults and sideways scroll", async () => {
    await using opened = await openPage(browser, `${origin}/faulty`, {
      viewport: { width: 360, height: 740 },
    });
    const problems = opened.problems().join("\n");
    expect(problems).toContain("page error: the page script failed");
    expect(problems).toContain(`HTTP 404: ${origin}/missing.png`);
    expect(problems).toContain(`site icon: HTTP 404 for ${origin}/favicon.ico`);
    expect(await opened.cspViolations()).toEqual(["script-src-elem blocked inline"]);
    expect(await opened.page.title()).toBe("Faulty");
    const rules = (await seriousAxeFindings(opened.page)).map((f) => f.rule);
    expect(rules).toContain("color-contrast");
    expect(await scrollsSideways(opened.page)).toBe(true);
  });
});
