// Before a start: is the port free, held by our own Directus for this data dir (reused), or by
// something else (refused, so a test never talks to a stranger's database)?
import { createServer } from 'node:net';

import { LOCAL_STACK } from '../../lib/local-stack';
import { pidAlive } from './install';
import { pingDirectus, readState } from './process';

/** The pid of our Directus already serving `url` for `dataDir`, or null when the port is free; throws otherwise. */
export async function runningDirectusToReuse({
  port,
  url,
  dataDir,
  fresh,
}: {
  port: number;
  url: string;
  dataDir: string;
  fresh?: boolean;
}): Promise<number | null> {
  if (!(await pingDirectus(url))) {
    if (await portFree(port)) return null;
    throw new Error(`Port ${port} (127.0.0.1) is in use by another program that is not Directus. Stop it or use another port.`);
  }
  const state = await readState(dataDir);
  const ours = !!state && state.port === port && state.dataDir === dataDir && pidAlive(state.pid) && (await adminTokenWorks(url));
  if (!ours) {
    throw new Error(`Port ${port} is already serving a Directus that was not started for ${dataDir}. Stop it or use another port.`);
  }
  if (fresh) {
    throw new Error(
      `Port ${port} is serving the local Directus for ${dataDir} (pid ${state.pid}); stop it before starting with fresh data.`,
    );
  }
  return state.pid;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const srv = createServer();
    srv.once('error', () => resolvePort(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolvePort(true)));
  });
}

async function adminTokenWorks(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/users/me?fields=id`, {
      headers: { Authorization: `Bearer ${LOCAL_STACK.directus.adminToken}` },
      signal: AbortSignal.timeout(3000),
    });
    return res.ok;
  } catch {
    return false;
  }
}
