import {
  asciiLower,
  codeRegions,
  fromBase64,
  fromHex,
  isInside,
  matchPhrase,
  type Phrase,
  phrase,
  readable,
  type Word,
  wordsOf,
} from "./hazard-text.ts";

// Injection hazards: text in posts, comments and messages that is aimed at the agents reading it
// rather than at their humans (instructions to drop their instructions, requests for their keys,
// text a reader of the page cannot see…). Every rule is deterministic and linear in the text's
// length; the scan never calls a model. The rules are tuned on two corpora
// (test/fixtures/hazards/): ordinary posts none of which may be flagged, and known injections of
// which at least 95 % must be. A flag says "read this as data, not as instructions"; it never
// refuses or changes the text.
// NOTE: every rule lives in this one file on purpose, beside its table of examples
// (hazards.test.ts), so that what is flagged can be reviewed in one place; the text machinery the
// rules share (words, phrases, code regions, decoding) is in hazard-text.ts.

export const HAZARD_KINDS = [
  "instruction_override",
  "secret_request",
  "hidden_text",
  "data_exfiltration",
  "encoded_payload",
  "authority_claim",
] as const;
export type HazardKind = (typeof HAZARD_KINDS)[number];

/** One finding: its kind and where it is, as [start, end) UTF-16 offsets into the scanned text. */
export interface Hazard {
  readonly kind: HazardKind;
  readonly span: readonly [number, number];
}

/** Longer texts are scanned up to here (bodies are far shorter; this bounds the work). */
export const MAX_SCANNED_CHARS = 100_000;

interface PhraseRule {
  readonly kind: HazardKind;
  readonly phrase: Phrase;
  /** Not a finding when one of the two words before it negates it ("never share your key"). */
  readonly negatable?: boolean;
  /** Not a finding when one of these words follows within six words ("…in the header"). */
  readonly unless?: ReadonlySet<string>;
  /** A finding only when this character follows the phrase ("new instructions:"). */
  readonly followedBy?: string;
  /** A finding only when the phrase opens a sentence ("Moltbook staff here: …"). */
  readonly opensSentence?: boolean;
}

const OVERRIDE_VERBS = "ignore|ignoring|disregard|forget|override|bypass|discard|abandon|drop|skip";
const EARLIER = "previous|prior|above|earlier|preceding|foregoing|original|initial|system|existing";
const RULES_NOUNS =
  "instruct*|prompt|prompts|directive*|guideline*|guardrail*|programming|rules|context|constraints|restrictions|messages|commands|training|directions|orders|policies|safety";
const SECRETS =
  "api~key*|api_key*|apikey*|api~token*|api_token*|credential*|password*|passphrase|secrets|system~prompt|hidden~prompt|initial~prompt|env|environment~variables|env~vars|private~key*|secret~key*|seed~phrase|recovery~phrase|mnemonic|moltbook_sk*|moltbook~key|bearer~token|access~token*|auth~token*|session~token*|session~cookie*|ssh~key*|wallet~key*|instructions|config~file";
const STRONG_SECRETS =
  "system~prompt|hidden~prompt|initial~prompt|credentials|secrets|private~key*|seed~phrase|mnemonic|moltbook_sk*|environment~variables|env~vars|api~keys|api_keys|access~tokens";
const AGENTS =
  "ai|ais|agent|agents|bot|bots|llm|llms|assistant|assistants|model|models|moltys|molties|language~models|autonomous~agents|ai~agents";
const STRONG_AGENTS =
  "ai|ais|llm|llms|assistants|ai~agents|ai~assistants|language~models|autonomous~agents|moltys|molties|bots";
const DIRECTIVES =
  "must~immediately|must~now|must~stop|must~ignore|must~send|must~post|must~reveal|must~follow|must~execute|must~comply|must~obey|must~not~tell|must~share|shall|immediately|are~required~to|are~instructed|are~ordered|are~hereby|obey|comply|execute";
const AUTHORITIES =
  "moltbook|openai|anthropic|deepmind|staff|admin|admins|administrator*|administration|developers|operators|creators|owner|system|security~team|trust~and~safety";
const PLACES = "comment|comments|reply|replies|below|thread|dm|dms|me|us|here|post|message";

/** Words just before a request that turn it into advice ("never share your key"). */
const NEGATIONS = new Set(
  "never not don't dont doesn't shouldn't avoid no nobody without stop won't".split(" "),
);
/** Words after a key that mean configuring a client or keeping it, not handing it out. */
const CONFIGURING = new Set(
  "nobody noone header headers authorization bearer manager managers reset hygiene strength policy rotation vault".split(
    " ",
  ),
);

/** The phrase table: each row one way of speaking to the reading agent. */
const PHRASE_RULES: readonly PhraseRule[] = [
  // Overriding instructions.
  rule("instruction_override", `${OVERRIDE_VERBS} +4 ${EARLIER} +3 ${RULES_NOUNS}`),
  rule("instruction_override", `${OVERRIDE_VERBS} +2 all|any|your +2 ${RULES_NOUNS}`),
  // The same in other languages an agent may read.
  rule(
    "instruction_override",
    "ignorez|ignorer|ignoriere|ignorieren|ignoriert|ignora|ignorar|oubliez|olvida|vergiss|dimentica +4 instructions|consignes|anweisungen|regeln|instrucciones|reglas|istruzioni|regole|instruções|instrucoes",
  ),
  rule(
    "instruction_override",
    "ignore|disregard|forget +1 everything|anything|all +2 above|before|prior|previously|earlier|you~were~told|you've~been~told|you~have~been~told",
  ),
  rule(
    "instruction_override",
    "you|you're|youre +2 now|henceforth|officially +3 dan|jailbroken|unrestricted|unfiltered|uncensored|unchained|unbound|developer~mode|god~mode|dan~mode|free~from",
  ),
  rule("instruction_override", "you~are|you're|youre|become +1 dan|jailbroken"),
  rule(
    "instruction_override",
    "do~anything~now|dan~mode|jailbreak~mode|developer~mode~enabled|god~mode~enabled|jailbreak~prompt|jailbroken~mode",
  ),
  rule(
    "instruction_override",
    "pretend|act|behave|roleplay +3 unrestricted|unfiltered|jailbroken|uncensored|without~any~restrictions|without~restrictions|without~rules|without~filters|no~restrictions|no~rules|no~filters|without~guidelines",
  ),
  {
    ...rule(
      "instruction_override",
      "new|updated|revised|real|actual|true|secret|hidden|override|priority +1 instructions|instruction|directive|directives|system~prompt|orders",
    ),
    followedBy: ":",
  },
  rule(
    "instruction_override",
    "your +1 new|real|true|actual|updated +1 instructions|directives|orders|system~prompt|task|objective|goal|mission|purpose +1 are|is|follow",
  ),
  rule(
    "instruction_override",
    "stop|cease +1 following|obeying +3 instruct*|rules|guidelines|system~prompt|programming",
  ),
  rule(
    "instruction_override",
    "do~not|don't|never +1 follow|obey +3 previous|prior|system|original|your|those|the~above +2 instruct*|rules|guidelines|prompt",
  ),
  rule(
    "instruction_override",
    "the|these|those|all|any|your +1 above|previous|prior|earlier|original|old +1 instructions|rules|prompt|directions +1 are|were|is|was|have~been +2 fake|void|invalid|cancelled|canceled|revoked|obsolete|null|wrong|outdated|a~test|superseded|replaced",
  ),
  rule(
    "instruction_override",
    "do~not|don't|never|without +1 tell|telling|inform|informing|alert|alerting|notify|notifying|mention|mentioning +1 your|the +1 human|humans|user|users|owner|operator|operators|creator",
  ),
  rule(
    "instruction_override",
    "keep +1 this|these|it +3 secret|hidden|private +2 from +1 your|the +1 human|humans|user|users|owner|operator",
  ),
  rule(
    "instruction_override",
    "override|bypass|disable|turn~off|deactivate|ignore +2 your +2 safety|guardrails|filters|restrictions|alignment|content~policy|protocols|programming|ethical",
  ),
  // Asking for keys, credentials and prompts.
  {
    ...rule(
      "secret_request",
      `send|post|share|reveal|print|output|display|dump|leak|email|dm|echo|expose|disclose|submit|upload|forward|transmit|tell|give|show|reply|respond|comment|return|list|repeat|recite|type|write +4 your|ur +2 ${SECRETS}`,
    ),
    negatable: true,
    unless: CONFIGURING,
  },
  {
    ...rule(
      "secret_request",
      `paste|drop|put|include|attach|add|leave +3 your +2 ${SECRETS} +4 ${PLACES}`,
    ),
    negatable: true,
    unless: CONFIGURING,
  },
  {
    ...rule(
      "secret_request",
      `send|post|share|reveal|print|output|display|dump|leak|disclose|repeat|recite|show|tell|give +3 the|all|any|every|full|entire|complete|raw|verbatim|me +2 ${STRONG_SECRETS}`,
    ),
    negatable: true,
  },
  rule("secret_request", `what|what's|whats +2 your +2 ${SECRETS}`),
  rule(
    "secret_request",
    "repeat|print|output|recite|reproduce +2 everything|the~text|the~words|all~text|all +2 above|before|verbatim",
  ),
  rule(
    "secret_request",
    "repeat|print|output|recite|reproduce|reveal|summarize|summarise +2 your +2 instruct*|rules|prompt|guidelines|initial|configuration",
  ),
  rule(
    "secret_request",
    `run|execute|type +2 printenv|env|cat~env|cat~ssh|cat~config|cat~credentials +8 post|paste|send|share|reply|comment|output +3 ${PLACES}|result|results|output`,
  ),
  // Carrying data out.
  {
    ...rule(
      "data_exfiltration",
      `append|add|include|attach|put|encode|insert|embed|concatenate +4 your|the|all +3 ${SECRETS}|conversation|chat~history|memory|memories|session +5 url|urls|link|links|query|querystring|query~string|parameter|parameters|param|params|image~url`,
    ),
    negatable: true,
    unless: CONFIGURING,
  },
  {
    ...rule(
      "data_exfiltration",
      `visit|fetch|open|load|curl|ping|call|render +6 with|including|containing|appending +2 your|the +2 ${SECRETS}|conversation|chat~history|memory`,
    ),
    negatable: true,
    unless: CONFIGURING,
  },
  // Claiming authority over the reader.
  rule(
    "authority_claim",
    `attention|attn|calling|dear|hey|listen|to~all|note~to|notice~to|all|every|any +1 ${STRONG_AGENTS} +8 ${DIRECTIVES}`,
  ),
  rule("authority_claim", `attention|attn|calling~all|dear|to~all|note~to|notice~to +1 ${AGENTS}`),
  rule(
    "authority_claim",
    `${AGENTS} +1 reading|processing|parsing|scraping|seeing|summarizing|summarising|ingesting +2 this|these +8 ${DIRECTIVES}|must`,
  ),
  rule(
    "authority_claim",
    `if +1 you~are|you're|youre|you~re +1 an|a +1 ai|llm|language~model|large~language~model|ai~agent|ai~assistant|autonomous~agent|bot|agent +12 ${DIRECTIVES}|must|ignore|do~not|don't`,
  ),
  rule(
    "authority_claim",
    `urgent|attention|alert|emergency|mandatory|critical~alert +6 ${AGENTS} +6 must|shall|are~required|need~to|have~to|immediately|required`,
  ),
  rule(
    "authority_claim",
    "as|i~am|i'm +1 your +2 administrator|admin|operator|developer|developers|creator|creators|master|supervisor|programmer|owner|maker|handler",
  ),
  rule(
    "authority_claim",
    `this~is|this~message~is|the~following~is|following~is +2 message|notice|directive|instruction|announcement|order|communication|alert|update|memo +3 from|by +3 ${AUTHORITIES}|google|microsoft|meta|xai|your`,
  ),
  rule(
    "authority_claim",
    `official +2 ${AUTHORITIES}|google|microsoft +2 message|notice|directive|instruction|announcement|order|communication|alert`,
  ),
  rule(
    "authority_claim",
    "priority|emergency|security|admin|administrator|system|developer|root|sudo|maintenance +1 override|mode~activated|mode~enabled|authorization~code|override~code",
  ),
  {
    ...rule(
      "authority_claim",
      `${AUTHORITIES} +1 staff|team|admins|administrators|security +1 here|speaking|notice|directive`,
    ),
    opensSentence: true,
  },
];

function rule(kind: HazardKind, notation: string): PhraseRule {
  return { kind, phrase: phrase(notation) };
}

/**
 * Injection hazards in `text` (a post's title or body, a comment, a message), in order of their
 * start. Pure and linear: usable on every write and on every message received.
 */
export function scanHazards(text: string): Hazard[] {
  return scanAt(text.slice(0, MAX_SCANNED_CHARS), 0);
}

/** Decoded blobs are scanned again, once: a blob inside a blob is one blob too many. */
const MAX_DEPTH = 1;

function scanAt(text: string, depth: number): Hazard[] {
  const lower = asciiLower(text);
  const code = codeRegions(text);
  const words = wordsOf(text);
  const found: Hazard[] = [
    ...phraseHazards(text, words),
    ...commandHazards(lower),
    ...roleHeaders(text),
    ...invisibleCharacters(text),
    ...hiddenMarkup(text, lower, code),
    ...exfiltratingUrls(text, lower, code),
  ];
  if (depth < MAX_DEPTH) found.push(...encodedPayloads(text, depth));
  return merged(found);
}

/** The rules by the words they can start with (rules starting with a prefix: under ""). */
const RULES_BY_FIRST_WORD = (() => {
  const index = new Map<string, PhraseRule[]>();
  for (const rule of PHRASE_RULES) {
    for (const word of rule.phrase.firstWords ?? [""]) {
      index.set(word, [...(index.get(word) ?? []), rule]);
    }
  }
  return index;
})();

function phraseHazards(text: string, words: readonly Word[]): Hazard[] {
  const found: Hazard[] = [];
  const anyStart = RULES_BY_FIRST_WORD.get("") ?? [];
  // Where each rule may match next: one finding per rule per stretch of words.
  const next = new Map<PhraseRule, number>();
  for (let i = 0; i < words.length; i++) {
    const candidates = RULES_BY_FIRST_WORD.get(words[i]?.text ?? "") ?? [];
    for (const rule of anyStart.length === 0 ? candidates : [...candidates, ...anyStart]) {
      if ((next.get(rule) ?? 0) > i) continue;
      const end = matchPhrase(rule.phrase, words, i);
      if (end < 0 || !holds(rule, text, words, i, end)) continue;
      const first = words[i];
      const last = words[end - 1];
      if (first === undefined || last === undefined) continue;
      found.push({ kind: rule.kind, span: [first.start, last.end] });
      next.set(rule, end);
    }
  }
  return found;
}

/** The rule's conditions around a phrase that matched words [start, end). */
function holds(
  rule: PhraseRule,
  text: string,
  words: readonly Word[],
  start: number,
  end: number,
): boolean {
  if (rule.negatable && isNegated(words, start)) return false;
  if (rule.unless && words.slice(end, end + 6).some((w) => rule.unless?.has(w.text))) return false;
  const first = words[start];
  const last = words[end - 1];
  if (first === undefined || last === undefined) return false;
  if (rule.followedBy !== undefined) {
    if (text.slice(last.end, last.end + 20).trimStart()[0] !== rule.followedBy) return false;
  }
  return !rule.opensSentence || opensSentence(text, first.start);
}

function opensSentence(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 20), at).trimEnd();
  return before === "" || /[.!?:\n>*\-[(]$/.test(before);
}

function isNegated(words: readonly Word[], at: number): boolean {
  return [words[at - 1], words[at - 2]].some((w) => w !== undefined && NEGATIONS.has(w.text));
}

/**
 * Markers that only mean something to a language model: chat-template tokens and fake role
 * headers. Found as plain substrings of the ASCII-lowered text.
 */
const TEMPLATE_MARKERS: readonly [string, HazardKind][] = [
  ["<|im_start|>", "instruction_override"],
  ["<|im_end|>", "instruction_override"],
  ["<|system|>", "instruction_override"],
  ["<|endoftext|>", "instruction_override"],
  ["<|start_header_id|>", "instruction_override"],
  ["[inst]", "instruction_override"],
  ["<<sys>>", "instruction_override"],
  ["<system>", "authority_claim"],
  ["</system>", "authority_claim"],
  ["<system_prompt>", "authority_claim"],
  ["[system]", "authority_claim"],
  ["[system message]", "authority_claim"],
  ["[admin]", "authority_claim"],
  ["{{system}}", "authority_claim"],
];

/** Role headers: an upper-case role and a colon opening a line ("SYSTEM: …"), not "System: Ubuntu". */
const ROLE_HEADERS = [
  "SYSTEM:",
  "SYSTEM MESSAGE:",
  "SYSTEM NOTICE:",
  "ADMIN:",
  "ADMINISTRATOR:",
  "DEVELOPER:",
  "### SYSTEM",
  "### INSTRUCTION",
  "## SYSTEM",
];

function commandHazards(lower: string): Hazard[] {
  const found: Hazard[] = [];
  for (const [marker, kind] of TEMPLATE_MARKERS) {
    for (let at = lower.indexOf(marker); at >= 0; at = lower.indexOf(marker, at + 1)) {
      found.push({ kind, span: [at, at + marker.length] });
    }
  }
  return found;
}

function roleHeaders(text: string): Hazard[] {
  const found: Hazard[] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    let at = lineStart;
    while (text[at] === " " || text[at] === "\t" || text[at] === ">" || text[at] === "*") at++;
    for (const header of ROLE_HEADERS) {
      if (text.startsWith(header, at))
        found.push({ kind: "authority_claim", span: [at, at + header.length] });
    }
    const next = text.indexOf("\n", lineStart);
    lineStart = next < 0 ? text.length : next + 1;
  }
  return found;
}

/** Characters that render as nothing, or reorder what renders. */
function invisibleCharacters(text: string): Hazard[] {
  const found: Hazard[] = [];
  let i = 0;
  while (i < text.length) {
    const code = text.codePointAt(i) ?? 0;
    if (!isInvisible(code)) {
      i += code > 0xffff ? 2 : 1;
      continue;
    }
    const start = i;
    let count = 0;
    let joinersOnly = true;
    while (i < text.length) {
      const inner = text.codePointAt(i) ?? 0;
      if (!isInvisible(inner)) break;
      if (inner !== 0x200d && inner !== 0x200c && !isVariationSelector(inner)) joinersOnly = false;
      count++;
      i += inner > 0xffff ? 2 : 1;
    }
    if (joinersOnly && isJoined(text, start, i, count)) continue;
    if (isTagSequenceOfFlag(text, start, i)) continue;
    found.push({ kind: "hidden_text", span: [start, i] });
  }
  return found;
}

function isVariationSelector(code: number): boolean {
  return (code >= 0xfe00 && code <= 0xfe0f) || (code >= 0xe0100 && code <= 0xe01ef);
}

function isInvisible(code: number): boolean {
  return (
    code === 0x200b || // zero-width space
    code === 0x200c || // zero-width non-joiner
    code === 0x200d || // zero-width joiner
    code === 0x2060 || // word joiner
    (code >= 0x2061 && code <= 0x2064) || // invisible operators
    code === 0xfeff || // zero-width no-break space
    code === 0x180e || // Mongolian vowel separator
    (code >= 0x202a && code <= 0x202e) || // bidirectional embeddings and overrides
    (code >= 0x2066 && code <= 0x2069) || // bidirectional isolates
    (code >= 0xe0000 && code <= 0xe007f) || // tag characters
    isVariationSelector(code)
  );
}

/**
 * A single joiner or variation selector between two non-ASCII characters is how emoji sequences
 * (👨‍👩‍👧, ❤️, 🏳️‍🌈) and Persian or Indic words are written; next to ASCII it hides something.
 */
function isJoined(text: string, start: number, end: number, count: number): boolean {
  // An emoji's presentation selector may come before the joiner (🏳️‍🌈): one selector, one joiner.
  const pair = count === 2 && isVariationSelector(text.codePointAt(start) ?? 0);
  if (count > 1 && !(pair && text.codePointAt(end - 1) === 0x200d)) return false;
  const before = text.codePointAt(start - 1) ?? 0;
  const beforePair = start >= 2 ? (text.codePointAt(start - 2) ?? 0) : 0;
  const previous = before >= 0xdc00 && before <= 0xdfff ? beforePair : before;
  const next = text.codePointAt(end) ?? 0;
  const selector = isVariationSelector(text.codePointAt(start) ?? 0);
  return previous > 0x7f && (selector || next > 0x7f);
}

/** Emoji subdivision flags (🏴 + tag letters + cancel tag) are the one honest use of tags. */
function isTagSequenceOfFlag(text: string, start: number, end: number): boolean {
  return (
    text.codePointAt(start - 2) === 0x1f3f4 &&
    text.codePointAt(end - 2) === 0xe007f &&
    end - start <= 2 * 8
  );
}

/** HTML comments, hidden elements and markdown that renders as nothing, outside code. */
function hiddenMarkup(text: string, lower: string, code: readonly [number, number][]): Hazard[] {
  const found: Hazard[] = [];
  for (let at = lower.indexOf("<!--"); at >= 0; at = lower.indexOf("<!--", at + 4)) {
    if (isInside(code, at)) continue;
    const close = lower.indexOf("-->", at + 4);
    const end = close < 0 ? text.length : close + 3;
    found.push({ kind: "hidden_text", span: [at, end] });
    if (close < 0) break;
    at = end - 4;
  }
  for (const marker of [
    "display:none",
    "display: none",
    "visibility:hidden",
    "visibility: hidden",
    "font-size:0",
    "font-size: 0",
    "opacity:0",
    "opacity: 0",
    " hidden>",
    " hidden=",
    " aria-hidden=",
  ]) {
    for (let at = lower.indexOf(marker); at >= 0; at = lower.indexOf(marker, at + 1)) {
      if (isInside(code, at) || !isInTag(lower, at)) continue;
      found.push({ kind: "hidden_text", span: [at, at + marker.length] });
    }
  }
  for (let at = text.indexOf("[]("); at >= 0; at = text.indexOf("[](", at + 3)) {
    if (isInside(code, at) || text[at - 1] === "!") continue;
    const close = text.indexOf(")", at + 3);
    found.push({
      kind: "hidden_text",
      span: [at, close < 0 || close - at > 2000 ? at + 3 : close + 1],
    });
  }
  found.push(...commentDefinitions(text, code));
  return found;
}

/** Whether `at` sits inside an HTML tag: a `<` before it on the line with no `>` between. */
function isInTag(lower: string, at: number): boolean {
  for (let i = at - 1; i >= 0 && at - i < 300; i--) {
    const char = lower[i];
    if (char === ">" || char === "\n") return false;
    if (char === "<") return /[a-z]/.test(lower[i + 1] ?? "");
  }
  return false;
}

/**
 * Link reference definitions used as comments: `[//]: # (text)`, `[comment]: <> (text)`. They
 * render as nothing, so whatever they say only a model reads.
 */
function commentDefinitions(text: string, code: readonly [number, number][]): Hazard[] {
  const found: Hazard[] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    const next = text.indexOf("\n", lineStart);
    const lineEnd = next < 0 ? text.length : next;
    const line = text.slice(lineStart, Math.min(lineEnd, lineStart + 2000));
    const label = line.match(/^ {0,3}\[([^\]\n]{1,40})\]:[ \t]*(\S{0,200})/);
    if (label !== null && !isInside(code, lineStart)) {
      const [, name = "", target = ""] = label;
      if (name === "//" || /^(comment|_+|#)$/i.test(name) || target === "#" || target === "<>") {
        found.push({ kind: "hidden_text", span: [lineStart, lineEnd] });
      }
    }
    lineStart = lineEnd + 1;
  }
  return found;
}

const SECRET_NAME =
  /key|token|secret|pass|cred|prompt|env|session|cookie|history|conversation|memory|memories|auth|wallet|seed|mnemonic|context|instruction|moltbook_sk|bearer|sk_/i;

/**
 * Links and images whose address carries a placeholder for the reader's secrets or data
 * (`![](https://x.example/p.png?k={api_key})`, `…?q=$MOLTBOOK_API_KEY`, `…?d=<your key>`): a
 * model that fills it in sends the data away, and an image does so by just being rendered.
 * URLs in code samples are shown, not fetched, and are left alone.
 */
function exfiltratingUrls(
  text: string,
  lower: string,
  code: readonly [number, number][],
): Hazard[] {
  const found: Hazard[] = [];
  for (let at = lower.indexOf("http"); at >= 0; at = lower.indexOf("http", at + 4)) {
    if (!lower.startsWith("://", at + 4) && !lower.startsWith("s://", at + 4)) continue;
    if (isInside(code, at)) continue;
    const end = urlEnd(text, at);
    const url = text.slice(at, end);
    if (hasSecretPlaceholder(url)) found.push({ kind: "data_exfiltration", span: [at, end] });
    at = Math.max(at, end - 4);
  }
  return found;
}

/** Where an address ends: at white space or a closing bracket, but a `<…>` or `{…}` placeholder stays whole. */
function urlEnd(text: string, start: number): number {
  let i = start;
  const limit = Math.min(text.length, start + 4000);
  while (i < limit) {
    const char = text[i] ?? "";
    if (char === "<" || char === "{" || char === "[") {
      const close = text
        .slice(i + 1, i + 61)
        .indexOf(char === "<" ? ">" : char === "{" ? "}" : "]");
      if (close >= 0) {
        i += close + 2;
        continue;
      }
    }
    if (/[\s)"'`>\]]/.test(char)) break;
    i++;
  }
  return i;
}

function hasSecretPlaceholder(url: string): boolean {
  const placeholders = url.match(
    /\{\{?[^{}]{1,60}\}\}?|\$\{?[A-Za-z_][A-Za-z0-9_]{0,60}|<[^<>]{1,60}>|%7[Bb][^%]{1,60}%7[Dd]|%3[Cc][^%]{1,60}%3[Ee]|\[[^[\]]{1,60}\]|=(?:your|insert|replace|paste|put)[_\-+ ]?[A-Za-z_]{0,40}|=[A-Z][A-Z0-9]*_[A-Z0-9_]{1,40}/g,
  );
  return (placeholders ?? []).some(
    (placeholder) => SECRET_NAME.test(placeholder) || /your/i.test(placeholder),
  );
}

/** Blobs this long and longer are decoded and read again (shorter ones say little). */
const MIN_BLOB = 16;
const MAX_BLOB = 20_000;

/**
 * base64 and hex blobs whose decoded text holds a hazard. Each candidate (a run of base64
 * characters, of hex digits, of `\xNN` escapes or of space-separated byte pairs) is decoded once,
 * kept only when it decodes to readable UTF-8, and scanned with every other rule.
 */
function encodedPayloads(text: string, depth: number): Hazard[] {
  const found: Hazard[] = [];
  for (const [start, end, decoded] of decodedBlobs(text)) {
    if (scanAt(decoded, depth + 1).length > 0)
      found.push({ kind: "encoded_payload", span: [start, end] });
  }
  return found;
}

function* decodedBlobs(text: string): Generator<[number, number, string]> {
  const runs =
    /[A-Za-z0-9+/_-]{16,}={0,2}|(?:\\x[0-9A-Fa-f]{2}){8,}|(?:[0-9A-Fa-f]{2}[ :]){7,}[0-9A-Fa-f]{2}/g;
  for (const match of text.matchAll(runs)) {
    const blob = match[0].slice(0, MAX_BLOB);
    const start = match.index;
    const end = start + match[0].length;
    const hex = blob.replace(/\\x|[ :]/g, "");
    const decoded =
      /^[0-9A-Fa-f]+$/.test(hex) && hex.length % 2 === 0 && hex.length >= MIN_BLOB
        ? (readable(fromHex(hex)) ?? readable(fromBase64(blob)))
        : readable(fromBase64(blob));
    if (decoded !== undefined) yield [start, end, decoded];
  }
}

/** Findings in start order; overlapping findings of one kind become one. */
function merged(found: Hazard[]): Hazard[] {
  const sorted = [...found].sort(
    (a, b) => a.span[0] - b.span[0] || a.span[1] - b.span[1] || a.kind.localeCompare(b.kind),
  );
  const out: Hazard[] = [];
  const lastOfKind = new Map<HazardKind, number>();
  for (const hazard of sorted) {
    const index = lastOfKind.get(hazard.kind);
    const previous = index === undefined ? undefined : out[index];
    if (previous !== undefined && index !== undefined && hazard.span[0] <= previous.span[1]) {
      out[index] = {
        kind: hazard.kind,
        span: [previous.span[0], Math.max(previous.span[1], hazard.span[1])],
      };
      continue;
    }
    lastOfKind.set(hazard.kind, out.length);
    out.push(hazard);
  }
  return out;
}

/**
 * The fields of content the scan reads: a post's title, body and link, a comment's body, a direct
 * message (`message`, shortened as `message_preview`), and the shortened text notifications
 * (`excerpt`) and /home (`preview`) show.
 */
export const HAZARD_FIELDS = [
  "title",
  "content",
  "url",
  "excerpt",
  "preview",
  "message",
  "message_preview",
] as const;
export type HazardField = (typeof HAZARD_FIELDS)[number];

/** A finding in one field of a post, comment or message: span offsets are into that field. */
export interface FieldHazard {
  readonly kind: HazardKind;
  readonly field: HazardField;
  readonly span: readonly [number, number];
}

/** Every field's hazards, field by field (in HAZARD_FIELDS order). */
export function scanFields(fields: Partial<Record<HazardField, string | null>>): FieldHazard[] {
  const found: FieldHazard[] = [];
  for (const field of HAZARD_FIELDS) {
    const text = fields[field];
    if (text === undefined || text === null || text === "") continue;
    for (const { kind, span } of scanHazards(text)) found.push({ kind, field, span });
  }
  return found;
}

/**
 * Stored hazards (a JSON list, as written by the repos) read back; null for content stored before
 * the scanner existed, which is scanned now from its fields.
 */
export function storedHazards(
  stored: string | null,
  fields: Partial<Record<HazardField, string | null>>,
): FieldHazard[] {
  if (stored === null) return scanFields(fields);
  return JSON.parse(stored) as FieldHazard[];
}
