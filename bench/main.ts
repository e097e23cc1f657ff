import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { fanOutFigures } from "./figures/fanout.ts";
import { farInstanceFigures } from "./figures/far-instance.ts";
import { feedFigures } from "./figures/feeds.ts";
import { inboxFigures } from "./figures/inbox.ts";
import { pageFigures } from "./figures/pages.ts";
import { readFigures } from "./figures/reads.ts";
import { writeFigures } from "./figures/writes.ts";
import type { BenchContext, Figure } from "./lib/context.ts";
import { type FigureRow, renderTable } from "./lib/report.ts";

// npm run bench [-- --quick] [--only reads,pages,writes,inbox,fanout,far,feeds] [--profile DIR] [--keep]
//
// Every figure is measured next to its baseline in the same run on the same machine, and shown
// as a ratio: absolute numbers on shared two-core machines move by 10–20 % between runs.
// DATABASE_URL=postgres://… runs every phase on PostgreSQL (a database per phase, dropped after).
// A command, not a test: it never fails on a number, only when something does not work.

const FIGURES: Record<string, Figure> = {
  reads: readFigures,
  pages: pageFigures,
  writes: writeFigures,
  inbox: inboxFigures,
  fanout: fanOutFigures,
  far: farInstanceFigures,
  feeds: feedFigures,
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      profile: { type: "string" },
      keep: { type: "boolean", default: false },
    },
  });
  const databaseUrl = process.env.DATABASE_URL;
  const postgresUrl = databaseUrl?.startsWith("postgres") ? databaseUrl : undefined;
  const workDir = mkdtempSync(join(tmpdir(), "moltiverse-bench-"));
  const profileDir = values.profile === undefined ? undefined : resolve(values.profile);
  if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
  const started = performance.now();
  const ctx: BenchContext = {
    quick: values.quick,
    postgresUrl,
    workDir,
    profileDir,
    log: (message) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
      process.stderr.write(`[${seconds} s] ${message}\n`);
    },
  };
  const names = values.only === undefined ? Object.keys(FIGURES) : values.only.split(",");
  const rows: FigureRow[] = [];
  try {
    for (const name of names) {
      const figure = FIGURES[name];
      if (figure === undefined) throw new Error(`No figure "${name}": ${Object.keys(FIGURES)}`);
      rows.push(...(await figure(ctx)));
    }
  } finally {
    if (values.keep) ctx.log(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB`;
  const header =
    `Moltiverse bench${values.quick ? " --quick" : ""} on ${postgresUrl === undefined ? "SQLite" : "PostgreSQL"}, ` +
    `Node ${process.version}, ${machine}, ${new Date().toISOString()}, ${seconds.toFixed(0)} s`;
  process.stdout.write(`\n${header}\n\n${renderTable(rows)}\n`);
  if (process.env.BENCH_RESULTS !== undefined) {
    writeFileSync(process.env.BENCH_RESULTS, JSON.stringify({ header, rows }, null, 2));
  }
}

await main();
