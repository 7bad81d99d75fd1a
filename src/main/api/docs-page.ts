/**
 * GET /docs: a self-contained HTML page describing every route (method, path, summary, parameters,
 * whether it needs the token) with a curl example. No script and no external asset, so it works
 * under the dashboard's CSP and offline.
 */
import { API_NAMES, ROUTES, type RouteSpec } from '../../shared/api-contract';
import { EXPORT_TABLES } from '../../shared/export-contract';
import type { ParamsSchema } from '../../shared/api/params';

export interface DocsPageOptions {
  readonly version: string;
  /** e.g. http://127.0.0.1:8080 */
  readonly baseUrl: string;
  /** Where the token file is, as shown in the examples. */
  readonly tokenFile: string;
}

type Param = ParamsSchema[string];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function range(param: Param): string {
  switch (param.type) {
    case 'integer':
    case 'number':
      return `${param.min} … ${param.max}`;
    case 'enum':
      return param.values.join(' | ');
    case 'string':
      return `≤ ${param.maxLength} chars${param.pattern ? `, /${param.pattern}/` : ''}`;
    case 'date-time':
      return 'ISO 8601 with a zone';
    case 'boolean':
      return 'true | false';
    case 'object':
      return 'a JSON object';
  }
}

function example(param: Param): unknown {
  if (param.default !== undefined) return param.default;
  switch (param.type) {
    case 'integer':
    case 'number':
      return param.min;
    case 'enum':
      return param.values[0] ?? '';
    case 'string':
      return 'text';
    case 'date-time':
      return '2026-11-24T12:00:00Z';
    case 'boolean':
      return true;
    case 'object':
      return {};
  }
}

/** A curl command line for a route, with example values. */
export function curlExample(spec: RouteSpec, options: DocsPageOptions): string {
  const entries = Object.entries(spec.params);
  const url = `${options.baseUrl}${spec.path}`;
  if (spec.method === 'GET') {
    const query = new URLSearchParams(
      entries.map(([n, p]): [string, string] => [n, String(example(p))]),
    ).toString();
    return `curl '${query ? `${url}?${query}` : url}'`;
  }
  const required = entries.filter(([, p]) => !p.optional && p.default === undefined);
  const shown = required.length ? required : entries.slice(0, 1);
  const parts = [`curl -X ${spec.method}`];
  if (spec.mutating)
    parts.push(`-H "Authorization: Bearer $(cat ${shellQuote(options.tokenFile)})"`);
  if (shown.length) {
    const body = JSON.stringify(Object.fromEntries(shown.map(([n, p]) => [n, example(p)])));
    parts.push(`-H 'Content-Type: application/json'`, `-d '${body}'`);
  }
  parts.push(`'${url}'`);
  return parts.join(' ');
}

function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `"${path.replace(/(["\\$`])/g, '\\$1')}"`;
}

function paramsTable(params: ParamsSchema): string {
  const entries = Object.entries(params);
  if (!entries.length) return '<p class="none">No parameters.</p>';
  const rows = entries.map(
    ([name, p]) =>
      `<tr><td><code>${escapeHtml(name)}</code></td><td>${p.type}</td><td>${escapeHtml(range(p))}</td>` +
      `<td>${p.default !== undefined ? `<code>${escapeHtml(String(p.default))}</code>` : p.optional ? 'optional' : '<b>required</b>'}</td>` +
      `<td>${escapeHtml(p.description ?? '')}</td></tr>`,
  );
  return `<table><thead><tr><th>Parameter</th><th>Type</th><th>Range / values</th><th>Default</th><th>Description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function section(spec: RouteSpec, options: DocsPageOptions, id: string): string {
  const where = spec.method === 'GET' ? 'query string' : 'JSON body';
  return `<section id="${escapeHtml(id)}">
<h2><span class="m ${spec.method.toLowerCase()}">${spec.method}</span> <code>${escapeHtml(spec.path)}</code></h2>
<p>${escapeHtml(spec.summary)}</p>
<p class="meta">${spec.mutating ? '<span class="lock">Needs the token</span>' : 'No token needed'} · parameters in the ${where}${spec.cacheable ? ' · cached 2 s' : ''}</p>
${paramsTable(spec.params)}
<pre><code>${escapeHtml(curlExample(spec, options))}</code></pre>
</section>`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2430;background:#fff}
@media (prefers-color-scheme:dark){body{color:#dde3ea;background:#151a21}table,th,td{border-color:#39424e!important}pre{background:#0d1117!important}}
h1{margin-bottom:.2rem}h2{font-size:1.1rem;margin:2rem 0 .3rem}section{border-top:1px solid #8884;padding-top:.5rem}
.m{display:inline-block;min-width:4.2rem;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;padding:.1rem .3rem}
.get{background:#2f7d32}.post{background:#1f5fae}.put{background:#a86a00}.delete{background:#b3261e}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ccd;padding:.25rem .5rem;text-align:left;vertical-align:top}
pre{background:#f3f5f8;padding:.6rem;overflow-x:auto;border-radius:4px}.meta{color:#6b7785;font-size:.9rem}.lock{color:#b3261e;font-weight:600}
.none{color:#6b7785}nav a{margin-right:.6rem;white-space:nowrap}`;

export function renderDocsPage(options: DocsPageOptions): string {
  const specs = API_NAMES.map((name) => ({ name, spec: ROUTES[name] }));
  const nav = specs
    .map(({ name }) => `<a href="#${escapeHtml(name)}"><code>${escapeHtml(name)}</code></a>`)
    .join(' ');
  const base = escapeHtml(options.baseUrl);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>StreamPulse API ${escapeHtml(options.version)}</title><style>${STYLE}</style></head>
<body><h1>StreamPulse API</h1><p class="meta">version ${escapeHtml(options.version)} · <code>${base}</code> · <a href="/api/openapi.json">OpenAPI 3.1</a></p>
<p>Every answer is JSON <code>{"data": …, "count": n}</code>; an error is <code>{"error", "detail", "field"?, "requestId"?}</code> with a 4xx or 5xx status.
Routes that change state need <code>Authorization: Bearer &lt;token&gt;</code>: the token is new at every launch, in <code>${escapeHtml(options.tokenFile)}</code> (readable by you only). Tokens are never accepted in URLs.</p>
<nav>${nav}</nav>
${specs.map(({ name, spec }) => section(spec, options, name)).join('\n')}
<section id="stream"><h2><span class="m get">GET</span> <code>/api/stream</code></h2><p>Server-Sent Events: an <code>event: snapshot</code> at once, then every second; <code>: keepalive</code> comments every 15 s.</p>
<pre><code>${escapeHtml(`curl -N '${options.baseUrl}/api/stream'`)}</code></pre></section>
<section id="export"><h2><span class="m get">GET</span> <code>/api/export/{dataset}</code></h2><p>A file, streamed: <code>events</code> of an event-time range (<code>format=csv</code> or <code>jsonl</code>), or a table as CSV (${EXPORT_TABLES.map((t) => `<code>${t}</code>`).join(', ')}). <code>from</code> and <code>to</code> (ISO 8601 with a zone) are required; <code>X-Total-Estimate</code> gives the rows to expect, and <code>HEAD</code> only that. Needs the token.</p>
<pre><code>${escapeHtml(`curl -OJ -H "Authorization: Bearer $(cat '${options.tokenFile}')" '${options.baseUrl}/api/export/region_health?from=2026-11-24T00:00:00Z&to=2026-11-25T00:00:00Z'`)}</code></pre></section>
<section id="metrics"><h2><span class="m get">GET</span> <code>/metrics</code></h2><p>Prometheus metrics, text exposition format 0.0.4.</p>
<pre><code>${escapeHtml(`curl '${options.baseUrl}/metrics'`)}</code></pre></section>
</body></html>
`;
}
