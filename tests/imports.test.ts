// The app's import graph as TypeScript resolves it, type-only imports included: no circle
// anywhere, and the sign-in use-cases reach the outside world through their ports only. The same
// circle check by hand: `npx --yes madge@8.0.0 --circular --extensions ts,tsx lib app proxy.ts`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const config = ts.parseJsonConfigFileContent(ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, root);

/** The app's own source files (tests included: a test may not close a circle either). */
function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** Each file's imports of other files of the app, by path from the repository's root. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const targets = importedFiles.flatMap(({ fileName }) => {
      const resolved = ts.resolveModuleName(fileName, join(root, file), config.options, ts.sys).resolvedModule;
      return resolved && !resolved.isExternalLibraryImport ? [relative(root, resolved.resolvedFileName)] : [];
    });
    graph.set(file, targets);
  }
  return graph;
}

/** Every circle, each as the files around it (Tarjan's strongly connected components). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = member === file ? undefined : stack.pop()) component.push(member);
    if (component.length > 1 || graph.get(file)?.includes(file)) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

const graph = importGraph([...sources('lib'), ...sources('app'), 'proxy.ts']);

describe('the import graph', () => {
  it('has no circle in lib/, app/ or proxy.ts, type-only imports included', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('lets the sign-in use-cases import nothing of the app outside lib/server/sign-in/ but plain shared modules', () => {
    const shared = [
      'lib/api-contract.ts',
      'lib/credential-strategies.ts',
      'lib/digits.ts',
      'lib/i18n/locales.ts',
      'lib/phone.ts',
      'lib/server/errors.ts',
    ];
    const useCases = [...graph.keys()].filter((file) => file.startsWith('lib/server/sign-in/') && !/\.test(-support)?\.ts$/.test(file));
    const outside = useCases.flatMap((file) =>
      graph
        .get(file)!
        .filter((target) => !target.startsWith('lib/server/sign-in/') && !shared.includes(target))
        .map((target) => `${file} -> ${target}`),
    );
    expect(outside).toEqual([]);
  });
});
