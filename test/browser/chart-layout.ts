/**
 * Readability checks on a rendered page, run inside the browser (kept as a string: the project
 * compiles without DOM types). For every live chart:
 * - no two visible text labels overlap: each label's box is its SVG bounding box mapped through
 *   its screen transform (so rotated text keeps its true outline), two boxes overlap when they
 *   share more than `tolerance` px along every separating axis (text boxes include the font's
 *   ascent and descent, hence a small tolerance); labels hidden by Vega (opacity 0, overlap
 *   removal) do not count;
 * - no label is cut: Vega ends a label it shortens with '…';
 * - no label lies outside the chart's own box on the page (a legend pushed out of view);
 * - the chart is no wider than its container (it fits the page);
 * and for every table cell that must stay on one line (`td.keep`), it does.
 */
export interface LayoutProblem {
  readonly chart: string;
  readonly kind: 'overlap' | 'cut' | 'outside' | 'too-wide' | 'wrapped-cell';
  readonly detail: string;
}

export interface LayoutReport {
  /** Charts checked (live SVGs found). */
  readonly charts: number;
  /** Visible text labels checked. */
  readonly labels: number;
  readonly keptCells: number;
  readonly problems: readonly LayoutProblem[];
}

export const LAYOUT_TOLERANCE_PX = 1;

export const READ_LAYOUT = `((tolerance) => {
  const problems = [];
  let labels = 0;
  function hidden(element, stop) {
    for (let node = element; node && node !== stop; node = node.parentNode) {
      if (node.nodeType !== 1) continue;
      const style = getComputedStyle(node);
      if (style.display === 'none' || style.visibility === 'hidden' || Number(style.opacity) === 0) return true;
      const opacity = node.getAttribute('opacity');
      if (opacity !== null && Number(opacity) === 0) return true;
      const fillOpacity = node.getAttribute('fill-opacity');
      if (node.tagName === 'text' && fillOpacity !== null && Number(fillOpacity) === 0) return true;
    }
    return false;
  }
  function outline(element) {
    const box = element.getBBox();
    const m = element.getScreenCTM();
    if (!m || box.width <= 0 || box.height <= 0) return null;
    return [[box.x, box.y], [box.x + box.width, box.y], [box.x + box.width, box.y + box.height], [box.x, box.y + box.height]].map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  }
  // Separating-axis test of two convex quadrilaterals: overlap only if they overlap by more than the tolerance on every edge normal.
  function overlap(p, q) {
    for (const poly of [p, q]) {
      for (let i = 0; i < 4; i++) {
        const [x1, y1] = poly[i];
        const [x2, y2] = poly[(i + 1) % 4];
        const length = Math.hypot(x2 - x1, y2 - y1) || 1;
        const nx = -(y2 - y1) / length;
        const ny = (x2 - x1) / length;
        const project = (points) => points.map(([x, y]) => x * nx + y * ny);
        const a = project(p);
        const b = project(q);
        const depth = Math.min(Math.max(...a), Math.max(...b)) - Math.max(Math.min(...a), Math.min(...b));
        if (depth <= tolerance) return false;
      }
    }
    return true;
  }
  const views = Array.from(document.querySelectorAll('.chart-view'));
  let charts = 0;
  for (const view of views) {
    const id = view.getAttribute('data-chart-id') || '';
    const svg = view.querySelector('.chart-live svg');
    if (!svg) continue;
    charts++;
    const container = view.getBoundingClientRect();
    const width = svg.getBoundingClientRect().width;
    if (width > view.clientWidth + 0.5) problems.push({ chart: id, kind: 'too-wide', detail: 'chart ' + Math.round(width) + ' px in a container of ' + view.clientWidth + ' px' });
    const texts = Array.from(svg.querySelectorAll('text')).filter((t) => t.textContent.trim() !== '' && !hidden(t, svg));
    const boxes = [];
    for (const text of texts) {
      const box = outline(text);
      if (!box) continue;
      labels++;
      const label = text.textContent.trim();
      if (label.endsWith('\\u2026')) problems.push({ chart: id, kind: 'cut', detail: JSON.stringify(label) });
      const xs = box.map((p) => p[0]);
      const ys = box.map((p) => p[1]);
      if (Math.min(...xs) < container.left - tolerance || Math.max(...xs) > container.right + tolerance || Math.min(...ys) < container.top - tolerance || Math.max(...ys) > container.bottom + tolerance) {
        problems.push({ chart: id, kind: 'outside', detail: JSON.stringify(label) + ' outside the chart’s box' });
      }
      boxes.push({ label, box });
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        if (overlap(boxes[i].box, boxes[j].box)) problems.push({ chart: id, kind: 'overlap', detail: JSON.stringify(boxes[i].label) + ' overlaps ' + JSON.stringify(boxes[j].label) });
      }
    }
  }
  const kept = Array.from(document.querySelectorAll('table.data td.keep'));
  for (const cell of kept) {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
    if (tops.size > 1) problems.push({ chart: '(table)', kind: 'wrapped-cell', detail: JSON.stringify(cell.textContent) + ' wraps onto ' + tops.size + ' lines' });
  }
  return { charts, labels, keptCells: kept.length, problems };
})`;
