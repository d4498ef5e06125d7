// A package README's runnable example: the TypeScript block after `<!-- example: … -->` and the output
// block after `<!-- example-output -->`.
import { readFileSync } from 'node:fs';

export interface ReadmeExample {
  code: string;
  output: string;
}

function blockAfter(markdown: string, marker: RegExp, what: string): string {
  const found = new RegExp(`${marker.source}\\s*\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\`\\n`).exec(markdown);
  if (!found) throw new Error(`no ${what} block after ${marker.source}`);
  return `${found[1]!}\n`;
}

export function readmeExample(readme: string): ReadmeExample {
  const markdown = readFileSync(readme, 'utf8');
  return {
    code: blockAfter(markdown, /<!-- example: [^>]*-->/, 'example'),
    output: blockAfter(markdown, /<!-- example-output -->/, 'output'),
  };
}

/** Temp dirs in an example's output (mkdtemp's six random characters) as the README shows them. */
export const neutralTempDirs = (text: string, tmp: string): string =>
  text.replace(new RegExp(`${tmp}/(example-[a-z-]+-)[A-Za-z0-9]{6}`, 'g'), '/tmp/$1XXXXXX');
