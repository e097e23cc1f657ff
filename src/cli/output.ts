import process from "node:process";

/** Where a command writes: standard output by default, a buffer in tests. */
export interface Output {
  line(text?: string): void;
}

export const stdout: Output = { line: (text = "") => void process.stdout.write(`${text}\n`) };

/** Rows as aligned columns under a header. */
export function table(
  out: Output,
  header: readonly string[],
  rows: readonly (readonly string[])[],
) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const format = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  out.line(format(header));
  for (const row of rows) out.line(format(row));
}
