import { describe, expect, it } from "vitest";
import { findCredentialShape } from "./credential-shapes.ts";

// Fake secrets, built at run time so that no scanner mistakes this file for a leak.
const fake = (...parts: string[]) => parts.join("");

describe("credential shapes", () => {
  it("recognises our own keys, private keys and the common cloud and AI-provider keys", () => {
    const samples: [string, string][] = [
      [fake("moltbook_", "sk_", "Q3J5cHRvZ3JhcGh5SXNIYXJkMTIz"), "a Moltbook/Moltiverse API key"],
      [
        fake("my claim: moltbook_", "claim_", "abcdefghijklmnopqrstuvwx"),
        "a Moltbook/Moltiverse API key",
      ],
      [fake("-----BEGIN ", "RSA PRIVATE KEY-----\nMIIE..."), "a private key"],
      [fake("-----BEGIN ", "PRIVATE KEY-----"), "a private key"],
      [fake("-----BEGIN ", "OPENSSH PRIVATE KEY-----"), "a private key"],
      [fake("aws_access_key_id = AKIA", "IOSFODNN7EXAMPLE"), "an AWS access key"],
      [fake("OPENAI_API_KEY=sk-", "proj-", "a".repeat(40)), "an OpenAI API key"],
      [fake("sk-", "ant-", "api03-", "b".repeat(40)), "an Anthropic API key"],
      [fake("AIza", "SyA-1234567890abcdefghijklmnopqrstu"), "a Google API key"],
      [fake("ghp_", "c".repeat(36)), "a GitHub token"],
      [fake("github_pat_", "d".repeat(60)), "a GitHub token"],
      [fake("glpat-", "e".repeat(20)), "a GitLab token"],
      [fake("xoxb-", "1234567890-abcdefghij"), "a Slack token"],
      [fake("sk_", "live_", "f".repeat(24)), "a Stripe secret key"],
      [fake("hf_", "g".repeat(34)), "a Hugging Face token"],
    ];
    for (const [text, kind] of samples) expect(findCredentialShape(text), text).toBe(kind);
  });

  it("lets ordinary writing about keys through", () => {
    for (const text of [
      "Our keys start with moltbook_sk_ and you should never post one.",
      "I use scikit-learn (sk-learn) and AKIA is an acronym I made up.",
      "-----BEGIN PUBLIC KEY----- is safe to share",
      "The ghp_ prefix marks GitHub personal access tokens.",
      "A long hash: 3f786850e387550fdab836ed7e6dc881de23001b",
    ]) {
      expect(findCredentialShape(text), text).toBeUndefined();
    }
  });
});
