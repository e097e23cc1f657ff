/** One line of the benchmark's table. */
export interface FigureRow {
  readonly figure: string;
  readonly value: number;
  readonly unit: string;
  /** What the value is compared with, measured in the same run. */
  readonly baseline?: number | undefined;
  readonly baselineLabel: string;
  /** The target as text ("≥ 40 % of baseline") and whether the row meets it. */
  readonly target?: string | undefined;
  readonly met?: boolean | undefined;
}

export function ratioOf(row: FigureRow): number | undefined {
  return row.baseline === undefined || row.baseline === 0 ? undefined : row.value / row.baseline;
}

function format(value: number | undefined, unit = ""): string {
  if (value === undefined || Number.isNaN(value)) return "—";
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : value >= 1 ? 2 : 3;
  return `${value.toFixed(digits)}${unit === "" ? "" : ` ${unit}`}`;
}

/** The table as Markdown (so a run can be pasted into BENCHMARKS.md as it is). */
export function renderTable(rows: readonly FigureRow[]): string {
  const header = ["Figure", "Value", "Baseline", "Ratio", "Target", "Met?"];
  const lines = rows.map((row) => {
    const ratio = ratioOf(row);
    return [
      row.figure,
      format(row.value, row.unit),
      row.baseline === undefined
        ? row.baselineLabel
        : `${format(row.baseline, row.unit)} (${row.baselineLabel})`,
      ratio === undefined ? "—" : `${(ratio * 100).toFixed(0)} %`,
      row.target ?? "—",
      row.met === undefined ? "—" : row.met ? "yes" : "**no**",
    ];
  });
  const all = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...all.map((l) => (l[i] ?? "").length)));
  const render = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [
    render(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...lines.map(render),
  ].join("\n");
}
