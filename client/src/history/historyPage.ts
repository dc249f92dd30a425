import { escapeHtml } from './htmlText';

/**
 * The frame of the history pages (explain, metrics), pure: a static HTML document with a strict CSP
 * and no script at all (the panels are created with scripts off too). The only style is the
 * stylesheet below, allowed by its nonce; no inline `style` attribute is ever written, so charts and
 * bars are sized with SVG attributes and coloured through classes mapped to VS Code's theme
 * variables. Nothing may load from anywhere (`default-src 'none'` covers images, fonts, frames).
 */

export interface PageOptions {
  /** A fresh random nonce for the stylesheet (base64 or hex). */
  nonce: string;
  /** The `<title>` (escaped). */
  title: string;
}

/** The Content-Security-Policy of every history page. */
export function historyCsp(nonce: string): string {
  return ["default-src 'none'", `style-src 'nonce-${nonce}'`, "img-src 'none'", "script-src 'none'", "form-action 'none'"].join('; ');
}

/** A whole page around `bodyHtml` (already escaped HTML). */
export function historyPage(options: PageOptions, bodyHtml: string): string {
  const nonce = escapeHtml(options.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${historyCsp(nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(options.title)}</title>
<style nonce="${nonce}">${PAGE_CSS}</style>
</head>
<body>
${bodyHtml}
</body>
</html>`;
}

/** Colours come from the theme, so the pages follow light, dark and high-contrast themes. */
const PAGE_CSS = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 20px 40px; line-height: 1.45; max-width: 1100px; }
h1 { font-size: 1.5em; margin: 16px 0 4px; font-weight: 600; }
h2 { font-size: 1.2em; margin: 0; font-weight: 600; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
h3 { font-size: 1em; margin: 14px 0 6px; font-weight: 600; }
a { color: var(--vscode-textLink-foreground); }
a:hover { color: var(--vscode-textLink-activeForeground); }
code, pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
pre { white-space: pre-wrap; word-break: break-word; background: var(--vscode-textCodeBlock-background); padding: 8px 10px; border-radius: 4px; margin: 6px 0; max-height: 480px; overflow: auto; }
.muted, .meta { color: var(--vscode-descriptionForeground); }
.bad { color: var(--vscode-errorForeground); }
.stage { border-left: 3px solid var(--vscode-textSeparator-foreground, var(--vscode-panel-border)); padding: 8px 0 8px 14px; margin: 16px 0; }
.step { display: inline-block; min-width: 1.6em; text-align: center; border-radius: 50%; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); font-size: 0.85em; }
.took { font-weight: normal; color: var(--vscode-descriptionForeground); font-size: 0.85em; }
.produced { margin: 4px 0 8px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 6px 0; }
dt { color: var(--vscode-descriptionForeground); }
dd { margin: 0; word-break: break-word; }
table { border-collapse: collapse; margin: 8px 0; font-size: 0.95em; }
caption { text-align: left; color: var(--vscode-descriptionForeground); padding-bottom: 4px; }
th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid var(--vscode-panel-border); vertical-align: top; }
td.num, th.num { text-align: right; }
details { margin: 4px 0; }
summary { cursor: pointer; }
.cycle { margin: 6px 0 12px; }
.bar-track { fill: var(--vscode-editorWidget-border, var(--vscode-panel-border)); opacity: 0.5; }
.bar-fill { fill: var(--vscode-charts-blue); }
.chart { margin: 20px 0 28px; }
.chart svg { max-width: 100%; height: auto; display: block; }
.axis line, .axis path { stroke: var(--vscode-charts-lines); }
.grid { stroke: var(--vscode-charts-lines); opacity: 0.35; }
.tick, .label, .legend { fill: var(--vscode-charts-foreground, var(--vscode-foreground)); font-size: 11px; font-family: var(--vscode-font-family); }
.label { font-size: 12px; }
.empty-note { fill: var(--vscode-descriptionForeground); font-size: 13px; }
.series-0 { stroke: var(--vscode-charts-blue); fill: var(--vscode-charts-blue); }
.series-1 { stroke: var(--vscode-charts-orange); fill: var(--vscode-charts-orange); }
.series-2 { stroke: var(--vscode-charts-purple); fill: var(--vscode-charts-purple); }
.series-3 { stroke: var(--vscode-charts-green); fill: var(--vscode-charts-green); }
.series-4 { stroke: var(--vscode-charts-yellow); fill: var(--vscode-charts-yellow); }
.series-5 { stroke: var(--vscode-charts-red); fill: var(--vscode-charts-red); }
path.line { fill: none; stroke-width: 2; }
.bar { fill: var(--vscode-charts-red); }
.seg-posted { fill: var(--vscode-charts-green); }
.seg-edited { fill: var(--vscode-charts-blue); }
.seg-copied { fill: var(--vscode-charts-purple); }
.seg-discarded { fill: var(--vscode-charts-red); }
.seg-pending { fill: var(--vscode-disabledForeground, var(--vscode-descriptionForeground)); }
.toolbar { margin: 8px 0 16px; }
.empty { padding: 24px 0; color: var(--vscode-descriptionForeground); }
`;
