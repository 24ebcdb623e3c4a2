// What `npm install` resolves, read from package-lock.json: no package below the first release
// that fixes an advisory we track (README, "Dependencies"), and every peer dependency satisfied,
// so that a fresh install prints no ERESOLVE warnings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import semver from 'semver';
import { describe, expect, it } from 'vitest';

type LockedPackage = {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  peer?: boolean;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

const root = join(import.meta.dirname, '..');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
/** package.json's `overrides`: `{ parent: { dependency: version } }`, each a choice made on purpose. */
const overrides = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { overrides: Record<string, Record<string, string>> })
  .overrides;
const installed = Object.entries(lock.packages).filter(([path]) => path.startsWith('node_modules/'));

/** `node_modules/a/node_modules/@b/c` → `@b/c` */
function nameAt(path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/** Where Node would find `name` from the package at `path`: its own node_modules, then each parent's. */
function resolveFrom(path: string, name: string): LockedPackage | undefined {
  for (let dir = path; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    const found = lock.packages[dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`];
    if (found || !dir) return found;
  }
}

/** A package and the releases that carry the fix, one range per release line. */
const ADVISORIES = [
  { name: 'tough-cookie', advisory: 'CVE-2023-26136 (prototype pollution)', fixed: '>=4.1.3' },
  { name: 'form-data', advisory: 'CVE-2025-7783 (predictable multipart boundary)', fixed: '~2.5.4 || ~3.0.4 || >=4.0.4' },
  { name: 'qs', advisory: 'CVE-2025-15284 (arrayLimit bypass)', fixed: '>=6.14.1' },
] as const;

describe('the locked dependency tree', () => {
  it.each(ADVISORIES)('has no $name below the fix for $advisory', ({ name, fixed }) => {
    const vulnerable = installed
      .filter(([path, pkg]) => nameAt(path) === name && !pkg.dev && !semver.satisfies(pkg.version!, fixed))
      .map(([path, pkg]) => `${path}@${pkg.version}`);
    expect(vulnerable).toEqual([]);
  });

  it('satisfies every required peer dependency not overridden in package.json (a fresh npm install prints no ERESOLVE warnings)', () => {
    const unmet = installed.flatMap(([path, pkg]) =>
      Object.entries(pkg.peerDependencies ?? {}).flatMap(([peer, range]) => {
        if (pkg.peerDependenciesMeta?.[peer]?.optional || overrides[nameAt(path)]?.[peer]) return [];
        const found = resolveFrom(path, peer);
        if (!found) return [`${path} needs ${peer}@${range}: none installed`];
        return semver.satisfies(found.version!, range, { includePrerelease: true })
          ? []
          : [`${path} needs ${peer}@${range}: ${found.version} installed`];
      }),
    );
    expect(unmet).toEqual([]);
  });
});
