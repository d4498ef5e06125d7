// Generates section-8 man pages from docs/commands/<page>.md with marked-man, into <package>/man/.
// Usage (from a package dir): node ../../tools/scripts/man.mjs page [alias=page ...]
//   page        docs/commands/<page>.md becomes man/<page>.8
//   alias=page  man/<alias>.8 is a `.so` link to <page>.8 (chpst's personalities)
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Marked } from 'marked';
import markedMan from 'marked-man';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = join(REPO, 'docs', 'commands');

/** The NAME line of each page (runit's pages are section 8). */
export const MAN_PAGES = {
  runit: 'process no 1: runs the three stages, reaps orphans, halts or reboots',
  'runit-init': 'process no 1 that becomes runit; asks a running runit to halt or reboot',
  runsvdir: 'starts and watches a supervisor for every service in a directory',
  runsvchdir: "switches runsvdir's services directory (runit's runlevels)",
  runsv: 'supervises one service and its optional log service',
  sv: 'controls and reports on services supervised by runsv',
  svlogd: 'logs standard input into rotated log directories',
  chpst: 'runs a program with a changed process state',
  utmpset: 'marks a terminal line logged out in utmp and wtmp',
};

const SECTION = '8';
const PAGE_NAMES = new Set(readdirSync(DOCS).map((file) => basename(file, '.md')));

/** Links to other command pages become `name(8)`; other relative links keep only their text. */
function manLinks(markdown) {
  return markdown.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, text, target) => {
    if (/^[a-z]+:/.test(target)) return whole;
    const page = /^([a-z-]+)\.md(#.*)?$/.exec(target)?.[1];
    if (page === undefined || !PAGE_NAMES.has(page)) return text;
    return text.replace(/`/g, '') === page ? `**${page}**(${SECTION})` : `${text} (**${page}**(${SECTION}))`;
  });
}

/**
 * The page's Markdown as marked-man reads it: a ronn title line, upper-case section names as man
 * pages have, and the introduction moved under DESCRIPTION (marked-man would put it under NAME).
 */
export function manMarkdown(page, markdown) {
  const description = MAN_PAGES[page];
  if (description === undefined) throw new Error(`man: no NAME line for ${page} in tools/scripts/man.mjs`);
  const body = manLinks(markdown.replace(/^# .*\n/, '')).replace(/^## (.+)$/gm, (_, title) => `## ${title.toUpperCase()}`);
  const firstSection = body.search(/^## /m);
  const intro = firstSection < 0 ? body : body.slice(0, firstSection);
  let rest = firstSection < 0 ? '' : body.slice(firstSection);
  if (/^## DESCRIPTION\n/m.test(rest)) rest = rest.replace(/^## DESCRIPTION\n/m, `## DESCRIPTION\n${intro.trim()}\n\n`);
  else rest = `## DESCRIPTION\n${intro.trim()}\n\n${rest}`;
  return `# ${page}(${SECTION}) -- ${description}\n\n${rest}`;
}

export function renderManPage(page, markdown, version) {
  const marked = new Marked({
    ...markedMan,
    name: page,
    section: SECTION,
    manVersion: `runit-ts ${version}`,
    manual: 'runit-ts',
    breaks: false,
    // The docs' last change would be better; a fixed date keeps builds reproducible.
    date: process.env.SOURCE_DATE_EPOCH ? Number(process.env.SOURCE_DATE_EPOCH) * 1000 : Date.UTC(2026, 0, 1),
  });
  return marked.parse(manMarkdown(page, markdown));
}

function writeAtomically(path, text) {
  writeFileSync(`${path}.new`, text);
  renameSync(`${path}.new`, path);
}

function main(args) {
  if (args.length === 0) {
    console.error('usage: man.mjs page [alias=page ...]');
    process.exit(100);
  }
  const { version } = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
  const out = join(process.cwd(), 'man');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const arg of args) {
    const [name, target] = arg.split('=');
    const file = join(out, `${name}.${SECTION}`);
    if (target !== undefined) writeAtomically(file, `.so man${SECTION}/${target}.${SECTION}\n`);
    else writeAtomically(file, renderManPage(name, readFileSync(join(DOCS, `${name}.md`), 'utf8'), version));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
