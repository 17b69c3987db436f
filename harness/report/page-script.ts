/**
 * The page's bootstrap script (its CSP hash is computed from this exact text). For each chart it
 * parses the compiled Vega spec from its JSON data block and embeds it with vega-embed in 'vega'
 * mode with `ast: true`, so expressions are interpreted rather than compiled with eval/Function.
 * The static SVG rendered in Node stays visible until the live chart has rendered, and stays for
 * good if it fails. A live chart wider than its container (a phone, a narrow window) is narrowed
 * to fit: its plot width ('width', or 'child_width' of a faceted chart) shrinks by the overflow,
 * never below 120 px, and grows back to the spec's width when the window widens; legends sit
 * below the plot, so only the plot gives way. `<html data-charts="done">` tells tests (and anyone
 * curious) that all settled.
 */
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var root = document.documentElement;
  var views = Array.prototype.slice.call(document.querySelectorAll('.chart-view'));
  function escapeText(value) {
    return String(value).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }
  var MIN_PLOT_WIDTH = 120;
  function hasSignal(view, name) {
    try { view.signal(name); return true; } catch (error) { return false; }
  }
  function plotWidth(view, value) {
    if (hasSignal(view, 'child_width')) {
      if (value === undefined) return view.signal('child_width');
      view.signal('child_width', value);
    } else {
      if (value === undefined) return view.width();
      view.width(value);
    }
  }
  function svgWidth(live) {
    var svg = live.querySelector('svg');
    return svg ? svg.getBoundingClientRect().width : 0;
  }
  // k: how many px the chart grows per px of plot width (the columns of a faceted chart); learnt as it goes.
  function fit(view, live, specWidth, round, k) {
    var overflow = Math.ceil(svgWidth(live) - live.clientWidth);
    var current = plotWidth(view);
    if (round > 5 || (overflow <= 0 && (current >= specWidth || overflow > -k))) return Promise.resolve();
    var target = Math.floor(Math.max(MIN_PLOT_WIDTH, Math.min(specWidth, current - overflow / k)));
    if (target === current) return Promise.resolve();
    var before = svgWidth(live);
    plotWidth(view, target);
    // Autosize recomputes the view's size only when asked (a faceted chart's size depends on its cells).
    view.resize();
    return view.runAsync().then(function () {
      var grown = (svgWidth(live) - before) / (target - current);
      return fit(view, live, specWidth, round + 1, grown >= 1 ? grown : k);
    });
  }
  if (typeof vegaEmbed !== 'function') {
    root.setAttribute('data-charts', 'unavailable');
    return;
  }
  var pending = views.map(function (view) {
    var chartId = view.getAttribute('data-chart-id');
    var live = view.querySelector('.chart-live');
    function fail(error) {
      live.remove();
      view.setAttribute('data-state', 'failed');
      console.error('chart ' + chartId + ' could not render: ' + (error && error.message ? error.message : error));
    }
    var spec;
    try {
      spec = JSON.parse(document.getElementById('spec-' + chartId).textContent);
    } catch (error) {
      fail(error);
      return Promise.resolve();
    }
    return vegaEmbed(live, spec, {
      mode: 'vega',
      ast: true,
      renderer: 'svg',
      defaultStyle: false,
      downloadFileName: chartId,
      actions: { export: { svg: true, png: true }, source: false, compiled: false, editor: false },
      tooltip: { disableDefaultStyle: true, sanitize: escapeText }
    }).then(function (result) {
      var fallback = view.querySelector('.chart-fallback');
      if (fallback) fallback.remove();
      var specWidth = plotWidth(result.view);
      var refit = function () { return fit(result.view, live, specWidth, 0, 1); };
      var timer = null;
      window.addEventListener('resize', function () {
        clearTimeout(timer);
        timer = setTimeout(refit, 150);
      });
      var rendered = function () { view.setAttribute('data-state', 'rendered'); };
      // A chart that cannot be narrowed still shows, at its own width (the page scrolls it).
      return refit().then(rendered, function (error) {
        console.warn('chart ' + chartId + ' could not be narrowed: ' + (error && error.message ? error.message : error));
        rendered();
      });
    }, fail);
  });
  Promise.all(pending).then(function () { root.setAttribute('data-charts', 'done'); });
})();
`;
