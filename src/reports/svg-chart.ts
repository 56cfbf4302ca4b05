/**
 * Server-rendered, accessible SVG bar charts (no client library, no CDN). Every text is escaped:
 * the result is HTML we built ourselves and may be printed with a triple-stash.
 */
import { escapeHtml } from '../common/view/escape-html';

export interface Series {
  name: string;
  values: number[];
  /** One of the palette classes (c1…c5), defined in app.css with sufficient contrast. */
  className: string;
}

const esc = escapeHtml;

export function barChart(options: {
  id: string;
  title: string;
  description: string;
  categories: string[];
  series: Series[];
  stacked?: boolean;
  format: (n: number) => string;
  maxBars?: number;
}): string {
  const categories = options.categories.slice(0, options.maxBars ?? 15);
  const rowHeight = options.stacked || options.series.length === 1 ? 26 : 14 * options.series.length + 10;
  const labelWidth = 170;
  const width = 640;
  const plot = width - labelWidth - 60;
  const legendHeight = options.series.length > 1 ? 28 : 0;
  const height = legendHeight + categories.length * rowHeight + 10;
  const totals = categories.map((_, i) =>
    options.stacked
      ? options.series.reduce((s, se) => s + (se.values[i] ?? 0), 0)
      : Math.max(...options.series.map((se) => se.values[i] ?? 0)),
  );
  const max = Math.max(1, ...totals);
  const parts: string[] = [];
  parts.push(
    `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${options.id}-t ${options.id}-d" preserveAspectRatio="xMinYMin meet">`,
  );
  parts.push(
    `<title id="${options.id}-t">${esc(options.title)}</title><desc id="${options.id}-d">${esc(options.description)}</desc>`,
  );
  if (legendHeight) {
    let x = labelWidth;
    for (const s of options.series) {
      parts.push(
        `<rect x="${x}" y="6" width="12" height="12" class="${s.className}"/><text x="${x + 16}" y="16" class="legend">${esc(s.name)}</text>`,
      );
      x += 24 + s.name.length * 7;
    }
  }
  categories.forEach((label, i) => {
    const y = legendHeight + i * rowHeight + 4;
    const short = label.length > 26 ? `${label.slice(0, 25)}…` : label;
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + rowHeight / 2}" text-anchor="end" class="label">${esc(short)}</text>`,
    );
    let x = labelWidth;
    options.series.forEach((s, k) => {
      const value = s.values[i] ?? 0;
      const w = (value / max) * plot;
      if (options.stacked) {
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowHeight - 8}" class="${s.className}"><title>${esc(`${label} — ${s.name}: ${options.format(value)}`)}</title></rect>`,
        );
        x += w;
      } else {
        const h = options.series.length === 1 ? rowHeight - 8 : 12;
        const yy = options.series.length === 1 ? y : y + k * 14;
        parts.push(
          `<rect x="${labelWidth}" y="${yy}" width="${w.toFixed(1)}" height="${h}" class="${s.className}"><title>${esc(`${label} — ${s.name}: ${options.format(value)}`)}</title></rect>`,
        );
        parts.push(
          `<text x="${(labelWidth + w + 4).toFixed(1)}" y="${yy + h - 2}" class="value">${esc(options.format(value))}</text>`,
        );
      }
    });
    if (options.stacked)
      parts.push(
        `<text x="${(x + 4).toFixed(1)}" y="${y + rowHeight / 2 + 1}" class="value">${esc(options.format(totals[i]))}</text>`,
      );
  });
  parts.push('</svg>');
  return parts.join('');
}
