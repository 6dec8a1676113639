// Publishing a run: the full output goes into bench/README.md (between markers), the ratios into an
// SVG bar chart (bench/ratios.svg, drawn here: no dependency), and the headline numbers into the
// first screen of the top-level README.md (between markers). Only full runs publish by default.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const RESULTS = ["<!-- bench:results:start -->", "<!-- bench:results:end -->"];
const HEADLINE = ["<!-- bench:headline:start -->", "<!-- bench:headline:end -->"];

function replaceBetween(file, [start, end], body) {
  const text = readFileSync(file, "utf8");
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} has no ${start} ... ${end} section`);
  writeFileSync(file, `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`);
}

const escapeXml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** One bar per peer row: how many times longer the peer takes than synchronicity (log scale). */
export function ratioChart(report) {
  const bars = [];
  for (const scenario of report.scenarios) {
    for (const row of scenario.rows) {
      if (row.reference || !row.ok || row.ratioToSynchronicity === undefined || scenario.noRatio) continue;
      bars.push({ label: `${scenario.id}: ${row.label}`, ratio: row.ratioToSynchronicity });
    }
  }
  const rowHeight = 22;
  const labelWidth = 560;
  const plotWidth = 420;
  const [minLog, maxLog] = [-3, 6]; // 1/8x to 64x
  const x = (ratio) => labelWidth + ((Math.min(maxLog, Math.max(minLog, Math.log2(ratio))) - minLog) / (maxLog - minLog)) * plotWidth;
  const height = 60 + bars.length * rowHeight;
  const width = labelWidth + plotWidth + 80;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">Time of each peer relative to synchronicity-js (median, same run; right of 1x: synchronicity-js is faster)</text>`,
  ];
  for (const tick of [0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]) {
    parts.push(`<line x1="${x(tick)}" y1="32" x2="${x(tick)}" y2="${height - 10}" stroke="${tick === 1 ? "#333" : "#ddd"}"/>`);
    parts.push(`<text x="${x(tick)}" y="${height - 0}" text-anchor="middle" fill="#555">${tick < 1 ? `1/${1 / tick}` : tick}x</text>`);
  }
  bars.forEach((bar, i) => {
    const y = 40 + i * rowHeight;
    const one = x(1);
    const end = x(bar.ratio);
    const faster = bar.ratio >= 1;
    parts.push(`<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${escapeXml(bar.label)}</text>`);
    parts.push(`<rect x="${Math.min(one, end)}" y="${y + 3}" width="${Math.max(1, Math.abs(end - one))}" height="${rowHeight - 6}" fill="${faster ? "#3a8f3a" : "#c0392b"}"/>`);
    parts.push(`<text x="${Math.max(one, end) + 4}" y="${y + 14}">${bar.ratio >= 1 ? bar.ratio.toFixed(2) : `1/${(1 / bar.ratio).toFixed(2)}`}x</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

function row(report, id, match) {
  const scenario = report.scenarios.find((s) => s.id === id);
  return scenario?.rows.find((r) => r.ok && (match === undefined ? r.reference : r.label.includes(match)));
}

/** A few sentences with the numbers users ask about first. */
export function headline(report) {
  const lines = [];
  const us = (r) => (r ? `${r.median.toFixed(r.median < 10 ? 2 : 1)} µs` : "n/a");
  const times = (r) => (r?.ratioToSynchronicity ? `${r.ratioToSynchronicity.toFixed(1)}x` : "n/a");
  const add = row(report, "sync-add");
  if (add) lines.push(`- Blocking call \`api.add(1, 2)\`: **${us(add)}**; synckit ${us(row(report, "sync-add", "synckit"))} (${times(row(report, "sync-add", "synckit"))} as long), make-synchronized ${us(row(report, "sync-add", "make-synchronized"))}.`);
  const one = row(report, "sync-add-1cpu");
  if (one) lines.push(`- The same on one CPU: **${us(one)}**; synckit ${us(row(report, "sync-add-1cpu", "synckit"))}, make-synchronized ${us(row(report, "sync-add-1cpu", "make-synchronized"))}.`);
  const start = row(report, "startup");
  if (start) lines.push(`- Start-up, \`new Synchronizer()\` to the first result: **${start.median.toFixed(1)} ms** (import ${start.importMs.toFixed(1)} ms); synckit ${row(report, "startup", "synckit")?.median.toFixed(1) ?? "n/a"} ms, raw baseline ${row(report, "startup", "raw blocking")?.median.toFixed(1) ?? "n/a"} ms.`);
  const concurrent = row(report, "async-concurrent");
  if (concurrent) lines.push(`- 1,000 \`.aio\` calls in flight: **${(1 / concurrent.median).toFixed(2)} M calls/s**; comlink ${times(row(report, "async-concurrent", "comlink"))} as long.`);
  const rows = row(report, "sync-rows");
  if (rows) lines.push(`- 100 five-field rows there and back: **${us(rows)}**; synckit ${us(row(report, "sync-rows", "synckit"))}, raw structured clone ${us(row(report, "sync-rows", "raw"))}.`);
  const gen = row(report, "generator");
  if (gen) lines.push(`- A generator with read-ahead: **${(1 / gen.median).toFixed(2)} M items/s**; lockstep ${us(row(report, "generator", "lockstep"))} per item.`);
  const buffer = row(report, "buffer");
  const shared = row(report, "buffer", "SharedArrayBuffer");
  if (buffer) lines.push(`- A 1 MiB buffer there and back: ${us(buffer)} copied, **${us(shared)}** as a view of a SharedArrayBuffer.`);
  const idle = row(report, "idle");
  if (idle) lines.push(`- Idle after a burst: **${idle.median.toFixed(1)} ms** of CPU in ${report.profile.idleMs / 1000} s.`);
  lines.push("", `Measured by \`npm run bench\` (${report.mode} run, ${report.date.slice(0, 10)}, ${report.machine.cores} cores, Node ${report.machine.node}); [all numbers](bench/README.md).`);
  return lines.join("\n");
}

export function publish(root, output, report) {
  replaceBetween(join(root, "bench", "README.md"), RESULTS, `\`\`\`\n${output.trim()}\n\`\`\``);
  writeFileSync(join(root, "bench", "ratios.svg"), ratioChart(report));
  replaceBetween(join(root, "README.md"), HEADLINE, headline(report));
}
