import { describe, expect, it } from 'vitest';
import { classPieChart, cspSafeSvg, rateBarChart } from '../../../../../../client/http/pages/committee/charts.js';

describe('server-drawn charts under the pages CSP', () => {
  it('inline styles become presentation attributes, <style> and hover hooks go, the chart gets a name and follows the page width', () => {
    const echartsLike =
      '<svg width="400" height="200" xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 400 200">' +
      '<text dominant-baseline="central" style="font-size:12px;font-family:sans-serif;user-select:none;" fill="#333">办复率</text>' +
      '<path d="M0 0" fill="#5070dd" ecmeta_series_index="0" class="zr0-cls-1"></path>' +
      '<style ><![CDATA[.zr0-cls-1:hover { cursor:pointer; }]]></style></svg>';
    const svg = cspSafeSvg(echartsLike, '各单位"办复率"');
    expect(svg).not.toMatch(/style/);
    expect(svg).not.toMatch(/ecmeta_|zr0-cls/);
    expect(svg).toContain('<text dominant-baseline="central" font-size="12px" font-family="sans-serif" fill="#333">办复率</text>');
    expect(svg).toMatch(/^<svg role="img" aria-label="各单位&quot;办复率&quot;" class="chart" width="100%"/);
    expect(svg).toContain('viewBox="0 0 400 200"');
  });

  it('ECharts renders grouped bars and a ring as SVG with no inline style left', () => {
    const bars = rateBarChart(
      ['省发展改革委', '省科技厅'],
      [
        { name: '办复率', values: [66.7, 100] },
        { name: '见面率', values: [null, 50] },
      ],
      '各单位办复率',
    );
    expect(bars).toMatch(/^<svg role="img" aria-label="各单位办复率"/);
    expect(bars).toContain('省发展改革委');
    expect(bars).toContain('>66.7<');
    // An empty rate is drawn as a dash, not as 0.
    expect(bars).toContain('>—<');
    expect(bars).not.toMatch(/style[= ]/);
    const ring = classPieChart(
      [
        { name: 'A类', value: 3 },
        { name: 'B类', value: 1 },
      ],
      '答复分类',
    );
    expect(ring).toContain('A类 3件（75%）');
    expect(ring).not.toMatch(/<style/);
  });
});
