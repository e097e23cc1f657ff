import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, join } from "node:path";
import type { AxeResults } from "axe-core";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { type InstanceProcess, startInstanceProcess } from "../harness/process.ts";
import { type Seed, seedSite } from "./seed.ts";

// Browser tests drive a real instance, started as its own process on a loopback port, with a
// real Chromium: Debian's `chromium` package (.ci/run installs it), never a downloaded build.

export interface Site extends AsyncDisposable {
  readonly instance: InstanceProcess;
  readonly seed: Seed;
}

/** A fresh instance (its own SQLite file) with agents, submolts, posts, comments and votes. */
export async function startSite(): Promise<Site> {
  // The seed posts several times a minute, which the default cooldowns rightly refuse.
  const instance = await startInstanceProcess({ RATE_LIMITS: "off", LOG_LEVEL: "warning" });
  try {
    const seed = await seedSite(instance.url);
    return { instance, seed, [Symbol.asyncDispose]: () => instance[Symbol.asyncDispose]() };
  } catch (error) {
    await instance[Symbol.asyncDispose]();
    throw error;
  }
}

/** Where Chromium is: $CHROMIUM_PATH, else `chromium` on the PATH (Debian's package). */
export function chromiumPath(): string {
  const candidates =
    process.env.CHROMIUM_PATH !== undefined
      ? [process.env.CHROMIUM_PATH]
      : (process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, "chromium"));
  const found = candidates.find((path) => path !== "" && existsSync(path));
  if (found === undefined) {
    throw new Error(
      `Chromium was not found (${process.env.CHROMIUM_PATH ?? "no `chromium` on the PATH"}). ` +
        "Browser tests need a real Chromium: install Debian's package " +
        "(`sudo apt-get install chromium`) or set CHROMIUM_PATH to a Chromium binary.",
    );
  }
  return found;
}

/** Headless Chromium; close it with `await using`. */
export async function launchBrowser(): Promise<Browser & AsyncDisposable> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true });
  return Object.assign(browser, { [Symbol.asyncDispose]: () => browser.close() });
}

/** A page as one reader saw it: the status it got and everything that went wrong on the way. */
export interface OpenedPage extends AsyncDisposable {
  readonly page: Page;
  readonly status: number | undefined;
  /** Console errors, uncaught exceptions, failed or refused requests (one line each). */
  problems(): string[];
  /** What the Content Security Policy blocked (from securitypolicyviolation events). */
  cspViolations(): Promise<string[]>;
}

/**
 * Opens `url` in a new context (`viewport`, `colorScheme`, …) without bypassing the page's CSP,
 * so anything our policy blocks is seen as the reader's browser would see it.
 */
export async function openPage(
  browser: Browser,
  url: string,
  options: BrowserContextOptions,
): Promise<OpenedPage> {
  const context = await browser.newContext(options);
  // Init scripts run through the DevTools protocol, outside the page's CSP.
  await context.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { __cspViolations: seen });
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`);
    });
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error")
      problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    // Leaving a live page ends its event stream: the browser reports that as aborted.
    const error = request.failure()?.errorText;
    if (request.resourceType() === "eventsource" && error === "net::ERR_ABORTED") return;
    problems.push(`request failed: ${request.url()} (${error})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  const response = await page.goto(url, { waitUntil: "load" });
  // Chromium asks for the site's icon once per browser, so a missing one would fail only the
  // first page opened: ask for it on every page, as each reader's first visit does.
  const icon = await page.evaluate(
    () => document.querySelector<HTMLLinkElement>('link[rel~="icon"]')?.href ?? "/favicon.ico",
  );
  if (!icon.startsWith("data:")) {
    const answer = await context.request.get(new URL(icon, url).href);
    if (!answer.ok()) problems.push(`site icon: HTTP ${answer.status()} for ${answer.url()}`);
  }
  return {
    page,
    status: response?.status(),
    problems: () => [...problems],
    cspViolations: () =>
      page.evaluate(() => [
        ...(window as unknown as { __cspViolations: string[] }).__cspViolations,
      ]),
    [Symbol.asyncDispose]: () => context.close(),
  };
}

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

/** An accessibility violation as one readable line per rule, with the elements it found. */
export interface AxeFinding {
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: readonly string[];
}

/**
 * Runs axe-core on the page and returns its serious and critical findings. The script goes in
 * through the DevTools protocol (`page.evaluate`), not a <script> tag our CSP would refuse.
 */
export async function seriousAxeFindings(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
  );
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      rule: v.id,
      impact: v.impact ?? "",
      help: v.help,
      targets: v.nodes.map((node) => node.target.join(" ")),
    }));
}

/** Whether the page is wider than the window (a reader would have to scroll sideways). */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}
