import { escapeHtml, jsonForScriptBlock } from './escape.js';
import type { ChartEntry, KeyValueSection, PageSection, PreformattedSection, TableSection, TextSection } from './page-model.js';
import { columnHeader, formatCellForPerson, validateTable } from './tables.js';
import type { VegaSpec } from './vega-lite-spec.js';

/** A chart compiled and rendered in Node, ready to be placed on the page. */
export interface RenderedChart {
  readonly vegaSpec: VegaSpec;
  readonly svg: string;
}

/** Plain text → paragraphs; a blank line separates them. */
export function paragraphsHtml(text: string, className?: string): string {
  const classAttribute = className ? ` class="${className}"` : '';
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0)
    .map((paragraph) => `<p${classAttribute}>${escapeHtml(paragraph)}</p>`)
    .join('\n');
}

function heading(level: number, text: string, id?: string): string {
  const tag = `h${Math.min(6, level)}`;
  return `<${tag}${id === undefined ? '' : ` id="${escapeHtml(id)}"`}>${escapeHtml(text)}</${tag}>`;
}

function svgSize(svg: string): { width: number; height: number } | undefined {
  const match = /^<svg\b[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"/.exec(svg);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
}

/**
 * The fallback SVG made smaller for embedding: inside an <img> its ARIA attributes are never read
 * (the img's alt text speaks for it), and path and transform coordinates need no more than 1/100 px. Only
 * attributes vega itself wrote are touched (their values are escaped, so '"' ends them); text is not.
 */
export function compactFallbackSvg(svg: string): string {
  return svg
    .replace(/\s(?:aria-[a-z]+|role)="[^"]*"/g, '')
    .replace(
      /\s(d|transform)="([^"]*)"/g,
      (_, name: string, value: string) => ` ${name}="${value.replace(/-?\d+\.\d{3,}(?:e-?\d+)?/g, (n) => String(Math.round(Number(n) * 100) / 100))}"`,
    );
}

/**
 * A chart: title, description, a container the bootstrap script embeds the live chart into, the
 * static SVG (an <img> data URI: shown without JavaScript, and its markup can never run in the
 * page), and the compiled Vega spec as a JSON data block.
 */
export function chartHtml(chart: ChartEntry, rendered: RenderedChart, level: number): string {
  const size = svgSize(rendered.svg);
  const sizeAttributes = size ? ` width="${size.width}" height="${size.height}"` : '';
  const alt = `Chart: ${chart.title}${chart.description ? `. ${chart.description}` : ''}`;
  const dataUri = `data:image/svg+xml;base64,${Buffer.from(compactFallbackSvg(rendered.svg), 'utf8').toString('base64')}`;
  return [
    `<section class="chart" aria-labelledby="${escapeHtml(chart.id)}">`,
    heading(level, chart.title, chart.id),
    chart.description ? paragraphsHtml(chart.description, 'description') : '',
    `<div class="chart-view" data-chart-id="${escapeHtml(chart.id)}">`,
    `<div class="chart-live"></div>`,
    `<img class="chart-fallback" alt="${escapeHtml(alt)}"${sizeAttributes} src="${dataUri}">`,
    `</div>`,
    `<script type="application/json" id="spec-${escapeHtml(chart.id)}">${jsonForScriptBlock(rendered.vegaSpec)}</script>`,
    `</section>`,
  ]
    .filter((line) => line !== '')
    .join('\n');
}

export function tableHtml(section: TableSection, level: number): string {
  const { table } = section;
  validateTable(table);
  const numeric = table.columns.map((column) => table.rows.some((row) => typeof row[column.key] === 'number'));
  const head = table.columns
    .map((column, i) => {
      const title = column.description ? ` title="${escapeHtml(column.description)}"` : '';
      return `<th scope="col"${numeric[i] ? ' class="number"' : ''}${title}>${escapeHtml(columnHeader(column))}</th>`;
    })
    .join('');
  const body = table.rows
    .map((row) => {
      const cells = table.columns.map((column, i) => {
        const value = row[column.key];
        const tone = typeof value === 'string' ? column.tones?.[value] : undefined;
        const classes = [numeric[i] ? 'number' : '', typeof value === 'boolean' ? (value ? 'yes' : 'no') : '', column.keepTogether ? 'keep' : '', tone ? `tone-${tone}` : ''].filter(Boolean);
        const classAttribute = classes.length > 0 ? ` class="${classes.join(' ')}"` : '';
        return `<td${classAttribute}>${escapeHtml(formatCellForPerson(value, column))}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return [
    `<section class="table">`,
    heading(level, section.title, section.id),
    `<div class="table-scroll"><table class="data">`,
    section.caption ? `<caption class="caption">${escapeHtml(section.caption)}</caption>` : '',
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>\n${body}\n</tbody>`,
    `</table></div>`,
    `</section>`,
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function keyValueText(value: KeyValueSection['items'][number]['value']): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

export function keyValueHtml(section: KeyValueSection, level: number): string {
  const items = section.items
    .map((item) => {
      const unit = item.unit ? ` ${escapeHtml(item.unit)}` : '';
      const note = item.note ? ` <span class="note">— ${escapeHtml(item.note)}</span>` : '';
      return `<dt>${escapeHtml(item.key)}</dt><dd>${escapeHtml(keyValueText(item.value))}${unit}${note}</dd>`;
    })
    .join('\n');
  return [`<section class="key-value">`, heading(level, section.title, section.id), `<dl class="key-value">\n${items}\n</dl>`, `</section>`].join('\n');
}

export function textHtml(section: TextSection, level: number): string {
  const title = section.title === undefined ? '' : heading(level, section.title, section.id);
  const idAttribute = section.title === undefined && section.id !== undefined ? ` id="${escapeHtml(section.id)}"` : '';
  const body = section.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n');
  return [`<section class="text"${idAttribute}>`, title, body, `</section>`].filter((line) => line !== '').join('\n');
}

export function preformattedHtml(section: PreformattedSection, level: number): string {
  return [`<section class="preformatted">`, heading(level, section.title, section.id), `<pre>${escapeHtml(section.text)}</pre>`, `</section>`].join('\n');
}

/** Renders one section (recursively for groups); `charts` maps chart id → its Node rendering. */
export function sectionHtml(section: PageSection, level: number, charts: ReadonlyMap<string, RenderedChart>): string {
  switch (section.kind) {
    case 'chart': {
      const rendered = charts.get(section.id);
      if (!rendered) throw new Error(`chart '${section.id}' was not rendered`);
      return chartHtml(section, rendered, level);
    }
    case 'table':
      return tableHtml(section, level);
    case 'keyValue':
      return keyValueHtml(section, level);
    case 'text':
      return textHtml(section, level);
    case 'preformatted':
      return preformattedHtml(section, level);
    case 'group':
      return [
        `<section class="group">`,
        heading(level, section.title, section.id),
        section.intro ? paragraphsHtml(section.intro, 'intro') : '',
        ...section.sections.map((child) => sectionHtml(child, level + 1, charts)),
        `</section>`,
      ]
        .filter((line) => line !== '')
        .join('\n');
  }
}
