import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { numberDefinitionsLocally, renderSvg, writeSvg } from '../../harness/report/svg.js';
import { compileVegaLite, type VegaLiteSpec } from '../../harness/report/vega-lite-spec.js';

const spec: VegaLiteSpec = {
  data: { values: [{ system: 'a<b&"c"', value: 1 }, { system: 'd', value: 3 }] },
  mark: 'bar',
  encoding: { x: { field: 'system', type: 'nominal' }, y: { field: 'value', type: 'quantitative', title: 'Throughput (samples/s)' } },
};

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

describe('renderSvg', () => {
  it('renders a standalone SVG with one path per bar, axis title and escaped labels', async () => {
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g class="mark-rect role-mark[^>]*>(.*?)<\/g>/)?.[1]?.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('Throughput (samples/s)');
    expect(svg).toContain('a&lt;b&amp;"c"');
    expect(svg).not.toContain('a<b');
  });

  it('is deterministic', async () => {
    expect(await renderSvg(spec)).toBe(await renderSvg(spec));
  });

  it('gives the same bytes for a clipped chart whatever the process drew before (Vega numbers clip paths process-wide)', async () => {
    const clipped: VegaLiteSpec = { ...spec, mark: { type: 'bar', clip: true } } as VegaLiteSpec;
    const first = await renderSvg(clipped);
    await renderSvg(clipped);
    const third = await renderSvg(clipped);
    expect(first).toContain('id="clip1"');
    expect(first).toContain('url(#clip1)');
    expect(third).toBe(first);
  });

  it('renumbers each kind of definition from 1 in order of appearance, references with them', () => {
    const svg = '<g clip-path="url(#clip7)"/><defs><clipPath id="clip7"/><clipPath id="clip9"/><linearGradient id="gradient3"/></defs><rect fill="url(#gradient3)" clip-path="url(#clip9)"/>';
    expect(numberDefinitionsLocally(svg)).toBe('<g clip-path="url(#clip1)"/><defs><clipPath id="clip1"/><clipPath id="clip2"/><linearGradient id="gradient1"/></defs><rect fill="url(#gradient1)" clip-path="url(#clip2)"/>');
  });

  it('writes the file atomically', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'svg-'));
    scratch.push(dir);
    await writeSvg(join(dir, 'chart.svg'), spec);
    expect(await readFile(join(dir, 'chart.svg'), 'utf8')).toBe(`${await renderSvg(spec)}\n`);
  });
});

describe('compileVegaLite', () => {
  it('collects warnings instead of printing them', () => {
    const { warnings } = compileVegaLite({ ...spec, encoding: { ...spec.encoding, x: { field: 'system', type: 'nominal', scale: { type: 'log' } } } } as VegaLiteSpec);
    expect(warnings.length).toBeGreaterThan(0);
    expect(compileVegaLite(spec).warnings).toEqual([]);
  });

  it('throws on an invalid spec', () => {
    expect(() => compileVegaLite({ ...spec, mark: 'no-such-mark' } as unknown as VegaLiteSpec)).toThrow();
  });
});
