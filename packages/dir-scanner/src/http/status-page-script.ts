// The status page's script, sent inline (no external assets). It builds every element with
// textContent and setAttribute, never from HTML, so a service name or a log line is always text.
export const STATUS_PAGE_SCRIPT = String.raw`'use strict';
const cards = new Map();
let services = new Map();
let offset = 0;
const $ = (id) => document.getElementById(id);
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d) return d + 'd ' + h + 'h';
  if (h) return h + 'h ' + m + 'm';
  if (m) return m + 'm ' + (s % 60) + 's';
  return s + 's';
}
function field(dl, name, label) {
  const row = el('div');
  row.append(el('dt', '', label));
  const value = el('dd');
  value.setAttribute('data-field', name);
  row.append(value);
  dl.append(row);
  return value;
}
function makeCard(name) {
  const card = el('article', 'card');
  card.setAttribute('data-service', name);
  const head = el('header');
  head.append(el('h2', 'name', name));
  const badge = el('span', 'badge');
  badge.setAttribute('data-field', 'state');
  head.append(badge);
  card.append(head);
  const dl = el('dl');
  const parts = { card, badge, pid: field(dl, 'pid', 'pid'), time: field(dl, 'time', 'for'), ready: field(dl, 'ready', 'ready'), restarts: field(dl, 'restarts', 'restarts') };
  card.append(dl);
  parts.note = el('p', 'note');
  parts.note.setAttribute('data-field', 'note');
  card.append(parts.note);
  parts.logs = el('div', 'logs');
  card.append(parts.logs);
  return parts;
}
function fill(parts, s) {
  const state = s.state === null ? 'unknown' : s.state;
  parts.card.className = 'card state-' + state + (s.want === 'up' && !s.counted ? ' trouble' : '');
  parts.badge.textContent = s.state === null ? '?' : s.state;
  parts.pid.textContent = s.pid === null ? '–' : String(s.pid);
  parts.time.textContent = s.since === null ? '–' : duration(Date.now() / 1000 + offset - s.since);
  parts.ready.textContent = s.ready === null ? (s.counted ? 'up' : '–') : s.ready ? 'yes' : 'not yet';
  parts.restarts.textContent = String(s.restarts);
  const notes = [];
  if (s.problem) notes.push(s.problem);
  if (s.want === 'down' && s.up) notes.push('want down');
  if (s.want === 'up' && !s.up) notes.push('want up');
  if (s.normallyUp === false) notes.push('normally down');
  if (s.paused) notes.push('paused');
  parts.note.textContent = notes.join(', ');
  parts.note.hidden = notes.length === 0;
  parts.logs.replaceChildren();
  for (const log of s.logs) {
    const block = el('section', 'log');
    block.append(el('h3', '', log.dir));
    block.append(el('pre', '', log.lines.length ? log.lines.join('\n') : '(empty)'));
    parts.logs.append(block);
  }
}
function summarize() {
  let wanted = 0, ready = 0;
  for (const s of services.values()) {
    if (s.want !== 'up' && s.state !== null) continue;
    wanted++;
    if (s.counted) ready++;
  }
  const all = wanted === ready;
  const summary = $('summary');
  summary.textContent = (all ? 'ready' : 'not ready') + ': ' + ready + ' of ' + wanted + ' wanted up, ' + services.size + ' services';
  summary.className = all ? 'ok' : 'bad';
}
function show(s) {
  services.set(s.name, s);
  let parts = cards.get(s.name);
  if (!parts) {
    parts = makeCard(s.name);
    cards.set(s.name, parts);
  }
  fill(parts, s);
}
function list(data) {
  offset = data.now - Date.now() / 1000;
  $('where').textContent = data.host + ': ' + data.svdir;
  document.title = 'runit-ts: ' + data.host;
  services = new Map();
  const names = new Set(data.services.map((s) => s.name));
  for (const name of [...cards.keys()]) if (!names.has(name)) cards.delete(name);
  for (const s of data.services) show(s);
  $('services').replaceChildren(...data.services.map((s) => cards.get(s.name).card));
  summarize();
}
function tick() {
  for (const [name, parts] of cards) {
    const s = services.get(name);
    if (s && s.since !== null) parts.time.textContent = duration(Date.now() / 1000 + offset - s.since);
  }
}
const source = new EventSource('events');
source.addEventListener('list', (event) => list(JSON.parse(event.data)));
source.addEventListener('service', (event) => {
  const data = JSON.parse(event.data);
  offset = data.now - Date.now() / 1000;
  if (cards.has(data.service.name)) show(data.service);
  summarize();
});
source.addEventListener('open', () => { $('live').textContent = 'live'; $('live').className = 'ok'; });
source.addEventListener('error', () => { $('live').textContent = 'reconnecting…'; $('live').className = 'bad'; });
setInterval(tick, 1000);
`;
