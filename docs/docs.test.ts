// Docs that cannot rot: every TypeScript block in docs/ is quoted word for word from a file of this
// repository (the local stack's own code, or docs/examples/, which typecheck and lint check), named
// in an `<!-- excerpt: path -->` line right above it; a JSON block may be quoted the same way. And
// every relative link in docs/ leads to a file that exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const docs = readdirSync(join(root, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => ({ name: `docs/${name}`, text: readFileSync(join(root, 'docs', name), 'utf8') }));

const CODE = ['ts', 'tsx', 'js', 'jsx', 'mjs'];

type Block = { doc: string; line: number; language: string; source: string | undefined; lines: string[] };

/** The fenced blocks of a Markdown text, each with the excerpt line above it, if any. */
function blocks(doc: string, text: string): Block[] {
  const lines = text.split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i]!);
    if (!open || !open[2]) continue;
    const end = lines.findIndex((line, j) => j > i && line.trim() === '```');
    const source = /^\s*<!-- excerpt: (\S+) -->\s*$/.exec(lines[i - 1] ?? '')?.[1];
    found.push({ doc, line: i + 1, language: open[2], source, lines: lines.slice(i + 1, end) });
    i = end;
  }
  return found;
}

/** Whether `excerpt`'s lines stand one after another in `file`, indentation aside. */
function quotes(file: string, excerpt: string[]): boolean {
  const fileLines = file.split('\n').map((line) => line.trim());
  const wanted = excerpt.map((line) => line.trim());
  return fileLines.some((_line, start) => wanted.every((line, k) => fileLines[start + k] === line));
}

const all = docs.flatMap(({ name, text }) => blocks(name, text));

describe('code in docs/', () => {
  it('has blocks to check', () => {
    expect(all.filter((block) => block.source).length).toBeGreaterThan(10);
  });

  it.each(all.filter((block) => CODE.includes(block.language)).map((block) => [`${block.doc}:${block.line}`, block] as const))(
    '%s names the file it quotes',
    (_where, block) => {
      expect(block.source).toBeDefined();
    },
  );

  it.each(all.filter((block) => block.source).map((block) => [`${block.doc}:${block.line} (${block.source})`, block] as const))(
    '%s is quoted word for word',
    (_where, block) => {
      const path = join(root, block.source!);
      expect(existsSync(path)).toBe(true);
      expect(quotes(readFileSync(path, 'utf8'), block.lines)).toBe(true);
    },
  );
});

describe('links in docs/', () => {
  const links = docs.flatMap(({ name, text }) =>
    [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => match[1]!.split('#')[0]!)
      .filter((target) => target && !/^[a-z]+:/.test(target))
      .map((target) => ({ doc: name, target })),
  );

  it.each(links.map((link) => [`${link.doc} → ${link.target}`, link] as const))('%s exists', (_name, { doc, target }) => {
    expect(existsSync(resolve(root, dirname(doc), target))).toBe(true);
  });
});
