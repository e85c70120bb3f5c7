import * as echarts from 'echarts';

// Charts drawn on the server as SVG with Apache ECharts' server-side rendering (no browser, no
// script), then made fit for the pages' Content-Security-Policy: style-src 'self' forbids inline
// <style> elements and style="" attributes, so ECharts' hover rules are dropped (nothing hovers
// without script) and its text styles become SVG presentation attributes, which CSP allows.

const FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', sans-serif";

/** SVG presentation attributes a style declaration may become; anything else is dropped. */
const PRESENTATION = new Set(['font-size', 'font-family', 'font-weight', 'font-style', 'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'opacity']);

function declarationsAsAttributes(style: string): string {
  return style
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => {
      const colon = d.indexOf(':');
      if (colon < 0) return '';
      const name = d.slice(0, colon).trim().toLowerCase();
      const value = d.slice(colon + 1).trim();
      return PRESENTATION.has(name) ? ` ${name}="${value.replace(/"/g, '&quot;')}"` : '';
    })
    .join('');
}

/**
 * ECharts' SVG as the pages may show it inline: no <style>, no style="", no interaction hooks,
 * an accessible name, and a width that follows the page (the viewBox keeps the proportions).
 */
export function cspSafeSvg(svg: string, label: string): string {
  const escapedLabel = label.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return svg
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ style="([^"]*)"/g, (_m, style: string) => declarationsAsAttributes(style))
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/<svg width="(\d+)" height="(\d+)"/, `<svg role="img" aria-label="${escapedLabel}" class="chart" width="100%" preserveAspectRatio="xMidYMid meet"`)
    .trim();
}

/** Renders one ECharts option to CSP-safe SVG. Animation is off: there is nothing to animate on paper. */
export function renderChart(option: echarts.EChartsOption, size: { width: number; height: number }, label: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option });
    return cspSafeSvg(chart.renderToSVGString(), label);
  } finally {
    chart.dispose();
  }
}

export interface RateSeries {
  name: string;
  /** Percentages, null where nothing was counted. */
  values: (number | null)[];
}

/**
 * Grouped horizontal bars, 0–100 %: one group per unit (or session), one bar per figure. The
 * chart grows in height with the number of groups and keeps a fixed width, so its text stays
 * legible whether a session has 4 units or a national one 40, on a phone or a desktop.
 */
export function rateBarChart(categories: string[], series: RateSeries[], label: string): string {
  const bar = 9;
  const height = 70 + categories.length * (series.length * (bar + 3) + 14);
  return renderChart(
    {
      color: ['#1d70b8', '#00703c', '#f47738', '#4c2c92', '#d4351c'],
      legend: { top: 0, textStyle: { fontSize: 12 } },
      grid: { left: 8, right: 36, top: 44, bottom: 24, containLabel: true },
      yAxis: { type: 'category', inverse: true, data: categories, axisLabel: { fontSize: 12, width: 120, overflow: 'break' } },
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%', fontSize: 11 } },
      series: series.map((s) => ({
        type: 'bar',
        name: s.name,
        data: s.values.map((v) => v ?? 0),
        barWidth: bar,
        label: {
          show: true,
          position: 'right',
          fontSize: 10,
          formatter: (p: { dataIndex: number }) => (s.values[p.dataIndex] === null ? '—' : `${s.values[p.dataIndex]}`),
        },
      })),
    },
    { width: 480, height },
    label,
  );
}

/** A/B/C shares as a ring with counts. */
export function classPieChart(parts: { name: string; value: number }[], label: string): string {
  return renderChart(
    {
      color: ['#00703c', '#1d70b8', '#f47738', '#505a5f'],
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['32%', '56%'],
          center: ['50%', '45%'],
          data: parts,
          label: { formatter: '{b} {c}件（{d}%）', fontSize: 13 },
        },
      ],
    },
    { width: 480, height: 280 },
    label,
  );
}
