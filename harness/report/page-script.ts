/**
 * The page's bootstrap script (its CSP hash is computed from this exact text). For each chart it
 * parses the compiled Vega spec from its JSON data block and embeds it with vega-embed in 'vega'
 * mode with `ast: true`, so expressions are interpreted rather than compiled with eval/Function.
 * The static SVG rendered in Node stays visible until the live chart has rendered, and stays for
 * good if it fails. `<html data-charts="done">` tells tests (and anyone curious) that all settled.
 */
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var root = document.documentElement;
  var views = Array.prototype.slice.call(document.querySelectorAll('.chart-view'));
  function escapeText(value) {
    return String(value).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
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
    }).then(function () {
      var fallback = view.querySelector('.chart-fallback');
      if (fallback) fallback.remove();
      view.setAttribute('data-state', 'rendered');
    }, fail);
  });
  Promise.all(pending).then(function () { root.setAttribute('data-charts', 'done'); });
})();
`;
