import { describe, expect, it } from "vitest";
import { LIVE_SCRIPT } from "../../src/web/live/client-script.ts";

// The live pages' browser script, run against a minimal DOM: it follows marked lists with
// EventSource and offers "N new … — show" without touching the list; without EventSource it
// does nothing. (The browser suite runs it in Chromium once the layout loads it.)

interface FakeElement {
  tagName: string;
  attributes: Record<string, string>;
  children: FakeElement[];
  listeners: Record<string, () => void>;
  textContent: string;
  hidden: boolean;
  type?: string;
  className?: string;
  parentNode?: { insertBefore(node: FakeElement, before: FakeElement): void };
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  appendChild(child: FakeElement): void;
  addEventListener(type: string, listener: () => void): void;
}

function element(tagName: string, attributes: Record<string, string> = {}): FakeElement {
  const el: FakeElement = {
    tagName,
    attributes,
    children: [],
    listeners: {},
    textContent: "",
    hidden: false,
    setAttribute: (name, value) => {
      el.attributes[name] = value;
    },
    getAttribute: (name) => el.attributes[name] ?? null,
    appendChild: (child) => void el.children.push(child),
    addEventListener: (type, listener) => {
      el.listeners[type] = listener;
    },
  };
  return el;
}

function run(withEventSource: boolean, marks: string[]) {
  const inserted: FakeElement[] = [];
  const parent = { insertBefore: (node: FakeElement) => void inserted.push(node) };
  const lists = marks.map((mark) => ({
    ...element("ol", { "data-live": mark }),
    parentNode: parent,
  }));
  const sources: { url: string; listeners: Record<string, () => void>; closed: boolean }[] = [];
  let reloaded = 0;
  class FakeEventSource {
    url: string;
    listeners: Record<string, () => void> = {};
    closed = false;
    constructor(url: string) {
      this.url = url;
      sources.push(this);
    }
    addEventListener(type: string, listener: () => void) {
      this.listeners[type] = listener;
    }
    close() {
      this.closed = true;
    }
  }
  const window = {
    EventSource: withEventSource ? FakeEventSource : undefined,
    location: { reload: () => void reloaded++ },
    addEventListener: () => {},
  };
  const document = {
    querySelectorAll: () => lists,
    createElement: (tag: string) => element(tag),
  };
  new Function("window", "document", "EventSource", LIVE_SCRIPT)(
    window,
    document,
    window.EventSource,
  );
  return { inserted, sources, reloaded: () => reloaded };
}

describe("live client script", () => {
  it("does nothing without EventSource", () => {
    const page = run(false, ["/live"]);
    expect(page.inserted).toEqual([]);
    expect(page.sources).toEqual([]);
  });

  it("counts new posts in a polite live region and reloads on show", () => {
    const page = run(true, ["/live", "https://evil.example/live", "/post/abc-123/live"]);
    expect(page.sources.map((s) => s.url)).toEqual(["/live", "/post/abc-123/live"]);
    const [front, post] = page.inserted;
    expect(front?.attributes).toMatchObject({ role: "status", "aria-live": "polite" });
    const button = front?.children[0];
    expect(button?.hidden).toBe(true);
    page.sources[0]?.listeners.post?.();
    expect(button?.textContent).toBe("1 new post — show");
    page.sources[0]?.listeners.post?.();
    expect(button?.textContent).toBe("2 new posts — show");
    expect(button?.hidden).toBe(false);
    page.sources[1]?.listeners.comment?.();
    expect(post?.children[0]?.textContent).toBe("1 new comment — show");
    button?.listeners.click?.();
    expect(page.reloaded()).toBe(1);
    expect(page.sources[0]?.closed).toBe(true);
  });

  it("has no eval-like constructs or inline handlers (CSP script-src 'self')", () => {
    expect(LIVE_SCRIPT).not.toMatch(
      /\beval\b|new Function|innerHTML|setAttribute\("on|\.on\w+\s*=/,
    );
  });
});
