// What docs/init-in-containers.md tells a reader to create and run, read from the page itself: every
// code block marked `<!-- file: PATH [mode=0755] -->` (a file, byte for byte) or `<!-- commands: NAME -->`
// (shell commands to run), and the Dockerfile's instructions. Marked blocks may sit in list items.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './packing.js';

export const RECIPES_PAGE = join(REPO, 'docs/init-in-containers.md');

export interface RecipeFile {
  path: string;
  mode: number;
  text: string;
}

export interface Recipes {
  files: RecipeFile[];
  commands: Map<string, string[]>;
}

const MARKED_BLOCK = /^( *)<!-- (file|commands): (\S+)(?: mode=(0[0-7]+))? -->\n\1```[a-z]*\n([\s\S]*?)\n\1```$/gm;

export function readRecipes(page = RECIPES_PAGE): Recipes {
  const markdown = readFileSync(page, 'utf8');
  const files: RecipeFile[] = [];
  const commands = new Map<string, string[]>();
  for (const [, indent = '', kind, name = '', mode, body = ''] of markdown.matchAll(MARKED_BLOCK)) {
    const lines = body.split('\n').map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
    if (kind === 'file') files.push({ path: name, mode: mode === undefined ? 0o644 : Number.parseInt(mode, 8), text: `${lines.join('\n')}\n` });
    else commands.set(name, lines.filter((line) => line.trim() !== ''));
  }
  return { files, commands };
}

export type DockerStep = { kind: 'run'; command: string } | { kind: 'copy'; from: string; to: string };

export interface Dockerfile {
  from: string;
  steps: DockerStep[];
  env: Record<string, string>;
  stopSignal: NodeJS.Signals;
  entrypoint: string[];
}

/** The instructions the recipe uses; any other makes the test fail rather than guess. */
export function parseDockerfile(text: string): Dockerfile {
  const file: Dockerfile = { from: '', steps: [], env: {}, stopSignal: 'SIGTERM', entrypoint: [] };
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [, instruction = '', rest = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    switch (instruction) {
      case 'FROM':
        file.from = rest;
        break;
      case 'RUN':
        file.steps.push({ kind: 'run', command: rest });
        break;
      case 'COPY': {
        const [from = '', to = ''] = rest.split(/\s+/);
        file.steps.push({ kind: 'copy', from, to });
        break;
      }
      case 'ENV': {
        const [key = '', value = ''] = rest.split('=');
        file.env[key] = value;
        break;
      }
      case 'STOPSIGNAL':
        file.stopSignal = rest as NodeJS.Signals;
        break;
      case 'ENTRYPOINT':
        file.entrypoint = JSON.parse(rest) as string[];
        break;
      default:
        throw new Error(`the recipe's Dockerfile uses ${instruction}, which this test does not emulate`);
    }
  }
  return file;
}
