/**
 * The page's only stylesheet (its CSP hash is computed from this exact text). It also styles
 * vega-embed's action links and vega-tooltip's tooltip, whose own injected <style> elements are
 * turned off so the CSP needs no 'unsafe-inline'.
 */
export const PAGE_CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --good: #1a7f37; --warn: #9a6700; --bad: #cf222e; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px 20px 48px; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 1.8em; margin: 0 0 .4em; }
h2 { font-size: 1.35em; margin: 1.8em 0 .5em; padding-bottom: .2em; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.1em; margin: 1.4em 0 .4em; }
h4, h5, h6 { font-size: 1em; margin: 1.2em 0 .3em; }
p { margin: .4em 0 .8em; }
.intro, .description, .caption, .note { color: var(--muted); }
nav.toc ul { padding-left: 1.2em; margin: .4em 0; columns: 2; }
a { color: #0969da; }
.chart-view { position: relative; margin: .6em 0 1.2em; overflow-x: auto; }
.chart-fallback { display: block; max-width: 100%; height: auto; }
.chart-view .vega-actions { display: flex; gap: 1em; font-size: 12px; margin-top: 4px; }
.chart-view .vega-actions a { color: var(--muted); }
table.data { border-collapse: collapse; margin: .5em 0 1.2em; font-variant-numeric: tabular-nums; }
table.data th, table.data td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
table.data th { border-bottom: 2px solid var(--rule); white-space: nowrap; }
table.data td.number { text-align: right; white-space: nowrap; }
td.yes, td.tone-good { color: var(--good); font-weight: 600; }
td.no, td.tone-bad { color: var(--bad); font-weight: 600; }
td.tone-warn { color: var(--warn); font-weight: 600; }
table.data td.keep { white-space: nowrap; }
.table-scroll { overflow-x: auto; }
dl.key-value { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: .5em 0 1.2em; }
dl.key-value dt { font-weight: 600; }
dl.key-value dd { margin: 0; }
pre { background: #f6f8fa; padding: 10px 12px; overflow-x: auto; font-size: 13px; line-height: 1.4; border-radius: 4px; }
footer { margin-top: 3em; color: var(--muted); font-size: 13px; border-top: 1px solid var(--rule); padding-top: .8em; }
#vg-tooltip-element { visibility: hidden; padding: 8px; position: fixed; z-index: 1000; font: 11px sans-serif; border-radius: 3px; box-shadow: 2px 2px 4px rgba(0,0,0,.1); white-space: pre-line; background: rgba(255,255,255,.95); border: 1px solid #d9d9d9; color: #000; }
#vg-tooltip-element.visible { visibility: visible; }
#vg-tooltip-element h2 { margin: 0 0 10px; font-size: 13px; border: 0; }
#vg-tooltip-element table { border-spacing: 0; }
#vg-tooltip-element td { padding: 2px 0; vertical-align: text-top; }
#vg-tooltip-element td.key { color: #808080; max-width: 150px; text-align: right; padding-right: 4px; }
#vg-tooltip-element td.value { display: block; max-width: 300px; max-height: 7em; overflow: hidden; text-align: left; }
`;
