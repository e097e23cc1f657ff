// Text machinery for the hazard scanner (domain/hazards.ts): words with their offsets, phrase
// matching over words, and the code regions of markdown. Every function here makes one pass over
// its input (or a bounded number of passes per word), so scanning stays linear in the text's length
// whatever the text holds: no regular expression here can backtrack over more than one word.

/**
 * A word of the text: its offsets and its folded form (NFKC, lower case, format characters out,
 * look-alike letters and digits read as the letters they imitate).
 */
export interface Word {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

// Letters, digits, marks, underscores and format characters, with apostrophes between them. The
// apostrophe is required between repetitions, so the pattern cannot match one text two ways.
const WORD = /[\p{L}\p{N}\p{M}_\p{Cf}]+(?:['\u2019][\p{L}\p{N}\p{M}_\p{Cf}]+)*/gu;
const FORMAT_CHARS = /\p{Cf}/gu;

/**
 * The words of `text`. Format characters (zero-width spaces, soft hyphens…) inside a word are
 * dropped from its folded form, so "ig\u200Bnore" still reads as "ignore"; an apostrophe between
 * letters stays ("don't").
 */
export function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const match of text.matchAll(WORD)) {
    const raw = match[0].replace(FORMAT_CHARS, "");
    if (raw === "") continue;
    words.push({ start: match.index, end: match.index + match[0].length, text: folded(raw) });
  }
  return words;
}

/** Look-alikes of Latin letters (Cyrillic, Greek) that disguise words without changing their look. */
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: "a",
  е: "e",
  і: "i",
  о: "o",
  р: "p",
  с: "c",
  у: "y",
  х: "x",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ο: "o",
  ι: "i",
  α: "a",
  ν: "v",
};
/** Digits written for letters ("1gn0re"), read as letters only in words that mix both. */
const LEET: Readonly<Record<string, string>> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "@": "a",
};

function folded(raw: string): string {
  let text = raw.toLowerCase().replace("\u2019", "'");
  // NFKC folds full-width and other compatibility forms; ASCII words need none of it.
  if (/[^\p{ASCII}]/u.test(text)) text = text.normalize("NFKC").toLowerCase();
  if (/[аеіорсухјѕԁοιαν]/.test(text) && /[a-z]/.test(text)) {
    text = text.replace(/[аеіорсухјѕԁοιαν]/g, (c) => CONFUSABLES[c] ?? c);
  }
  if (/[0-9]/.test(text) && /[a-z]/.test(text))
    text = text.replace(/[013457]/g, (c) => LEET[c] ?? c);
  return text;
}

/** One slot of a phrase: alternatives, each one or more adjacent words (`*` ends a prefix). */
interface Slot {
  /** Alternatives of one whole word, looked up at once. */
  readonly words: ReadonlySet<string>;
  /** Prefixes and alternatives of several words, tried in turn. */
  readonly others: readonly (readonly string[])[];
  /** Other words allowed between the previous slot and this one. */
  readonly gap: number;
}

export interface Phrase {
  readonly slots: readonly Slot[];
  /** The words the phrase can start with; undefined when it starts with a prefix. */
  readonly firstWords: readonly string[] | undefined;
}

/**
 * A phrase from its notation: slots separated by spaces, alternatives by `|`, words of one
 * alternative by `~`, a trailing `*` for a prefix, and `+N` before a slot for up to N other words
 * in between. "ignore|disregard +3 previous|prior +2 instruct*" reads "ignore or disregard, then
 * within three words previous or prior, then within two words a word starting with instruct".
 */
export function phrase(notation: string): Phrase {
  const slots: Slot[] = [];
  let gap = 0;
  for (const part of notation.split(" ")) {
    if (part.startsWith("+")) {
      gap = Number(part.slice(1));
      continue;
    }
    const alternatives = part.split("|").map((alt) => alt.split("~"));
    const isWord = (alt: string[]) => alt.length === 1 && !alt[0]?.endsWith("*");
    slots.push({
      words: new Set(alternatives.filter(isWord).map((alt) => alt[0] ?? "")),
      others: alternatives.filter((alt) => !isWord(alt)),
      gap,
    });
    gap = 0;
  }
  const first = slots[0];
  const firstWords =
    first === undefined || first.others.some((alt) => alt[0]?.endsWith("*"))
      ? undefined
      : [...first.words, ...first.others.map((alt) => alt[0] ?? "")];
  return { slots, firstWords };
}

function wordMatches(pattern: string, word: string | undefined): boolean {
  if (word === undefined) return false;
  return pattern.endsWith("*") ? word.startsWith(pattern.slice(0, -1)) : word === pattern;
}

/** The index after the alternative's last word when the slot matches at `at`, else -1. */
function slotEnd(slot: Slot, words: readonly Word[], at: number): number {
  const word = words[at]?.text;
  if (word !== undefined && slot.words.has(word)) return at + 1;
  for (const alternative of slot.others) {
    if (alternative.every((w, k) => wordMatches(w, words[at + k]?.text))) {
      return at + alternative.length;
    }
  }
  return -1;
}

/**
 * The index after the phrase's last word when the phrase starts at word `at`, else -1. Gaps are
 * small constants, so this tries a bounded number of placements per start word.
 */
export function matchPhrase(p: Phrase, words: readonly Word[], at: number, slot = 0): number {
  const current = p.slots[slot];
  if (current === undefined) return at;
  const last = slot === 0 ? at : Math.min(words.length - 1, at + current.gap);
  for (let i = at; i <= last; i++) {
    const end = slotEnd(current, words, i);
    if (end < 0) continue;
    const rest = matchPhrase(p, words, end, slot + 1);
    if (rest >= 0) return rest;
  }
  return -1;
}

/** ASCII letters in lower case, every other character as it is: offsets stay the same. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/**
 * Where markdown shows text as written: fenced code blocks and inline code spans, as
 * [start, end) pairs in order. Hidden-text and link rules skip them (a comment shown in a code
 * sample hides nothing); the phrase rules still read them.
 */
export function codeRegions(text: string): [number, number][] {
  const regions: [number, number][] = [];
  let i = 0;
  let lineStart = true;
  // The next blank line (an inline code span never crosses one), found once per paragraph.
  let blankLine = -1;
  while (i < text.length) {
    if (blankLine >= 0 && blankLine < i) blankLine = -1;
    if (lineStart && text.startsWith("```", i)) {
      const close = text.indexOf("\n```", i + 3);
      const end = close < 0 ? text.length : close + 4;
      regions.push([i, end]);
      i = end;
      continue;
    }
    const char = text[i];
    if (char === "`") {
      const close = text.indexOf("`", i + 1);
      if (blankLine < 0) blankLine = text.indexOf("\n\n", i + 1);
      if (blankLine < 0) blankLine = text.length;
      if (close > i && close < blankLine) {
        regions.push([i, close + 1]);
        i = close + 1;
        lineStart = false;
        continue;
      }
    }
    lineStart = char === "\n" || (lineStart && (char === " " || char === "\t"));
    i++;
  }
  return regions;
}

/** Whether `at` falls in one of `regions` (sorted, disjoint). */
export function isInside(regions: readonly [number, number][], at: number): boolean {
  let low = 0;
  let high = regions.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const region = regions[mid];
    if (region === undefined) return false;
    if (at < region[0]) high = mid - 1;
    else if (at >= region[1]) low = mid + 1;
    else return true;
  }
  return false;
}

// Decoding of base64 and hex blobs, for the rules that read what they hide.

export function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export function fromBase64(blob: string): Uint8Array | undefined {
  const standard = blob.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  const usable = standard.slice(0, standard.length - (standard.length % 4 === 1 ? 1 : 0));
  try {
    const binary = atob(usable);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The bytes as text when they are UTF-8 that is mostly letters, spaces and punctuation. */
export function readable(bytes: Uint8Array | undefined): string | undefined {
  if (bytes === undefined || bytes.length < 8) return undefined;
  let decoded: string;
  try {
    decoded = UTF8.decode(bytes);
  } catch {
    return undefined;
  }
  let printable = 0;
  let letters = 0;
  for (const char of decoded) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x20 && code !== 0x7f ? true : code === 0x0a || code === 0x0d || code === 0x09)
      printable++;
    if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x20)
      letters++;
  }
  const length = [...decoded].length;
  return printable / length >= 0.95 && letters / length >= 0.6 ? decoded : undefined;
}
