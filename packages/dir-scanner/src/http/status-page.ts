// GET /: the status page. One static document with its style and script inline, allowed by hash in
// its Content-Security-Policy and nothing else; the data comes from /events.
import { createHash } from 'node:crypto';
import { STATUS_PAGE_SCRIPT } from './status-page-script.js';

const STYLE = `
:root { color-scheme: light dark; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #6e7781; --card: #f6f8fa; --line: #d0d7de; }
@media (prefers-color-scheme: dark) { :root { --ok: #3fb950; --bad: #f85149; --warn: #d29922; --muted: #8b949e; --card: #161b22; --line: #30363d; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 0.75rem; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header.top { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; align-items: baseline; margin-bottom: 0.75rem; }
header.top h1 { font-size: 1.15rem; margin: 0; }
#where { color: var(--muted); overflow-wrap: anywhere; }
.ok { color: var(--ok); } .bad { color: var(--bad); }
#summary { font-weight: 600; }
#services { display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr)); }
.card { background: var(--card); border: 1px solid var(--line); border-left: 0.35rem solid var(--muted); border-radius: 0.4rem; padding: 0.6rem 0.75rem; min-width: 0; }
.card.state-run { border-left-color: var(--ok); } .card.state-finish { border-left-color: var(--warn); }
.card.trouble { border-left-color: var(--bad); }
.card header { display: flex; justify-content: space-between; gap: 0.5rem; align-items: baseline; }
.card h2 { font-size: 1rem; margin: 0; overflow-wrap: anywhere; }
.badge { font-weight: 600; text-transform: uppercase; font-size: 0.8rem; }
.state-run .badge { color: var(--ok); } .state-finish .badge { color: var(--warn); } .trouble .badge { color: var(--bad); }
dl { display: grid; grid-template-columns: repeat(4, auto); gap: 0.25rem 0.75rem; margin: 0.4rem 0; }
dl div { min-width: 0; } dt { color: var(--muted); font-size: 0.75rem; } dd { margin: 0; font-variant-numeric: tabular-nums; }
.note { margin: 0.25rem 0; color: var(--warn); font-size: 0.85rem; }
.log h3 { font-size: 0.75rem; color: var(--muted); margin: 0.5rem 0 0.15rem; font-weight: 500; }
.log pre { margin: 0; padding: 0.4rem; background: rgba(127,127,127,0.12); border-radius: 0.25rem; font-size: 0.72rem; line-height: 1.35; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 12rem; overflow: auto; }
`;

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

export const STATUS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>runit-ts</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top"><h1>runit-ts</h1><span id="where"></span><span id="summary">loading…</span><span id="live">connecting…</span></header>
<noscript>This page needs JavaScript; the same facts are at <a href="metrics">/metrics</a> and <a href="readyz">/readyz</a>.</noscript>
<main id="services"></main>
<script>${STATUS_PAGE_SCRIPT}</script>
</body>
</html>
`;

/** Only this page's own style and script may run; it may connect to this server only. */
export const STATUS_PAGE_POLICY = [
  "default-src 'none'",
  `script-src ${sha256(STATUS_PAGE_SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
