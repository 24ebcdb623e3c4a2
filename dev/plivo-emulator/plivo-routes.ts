// Plivo's URL space: which path and method is which operation, and what happens before the
// operation runs (404, injected faults, Basic auth, 405, body parsing), in Plivo's order.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context';
import { actOut, type Endpoint } from './faults';
import { HANDLERS } from './plivo-handlers';
import { basicCredentials, parseParams, readBody, sendJson, sendPlivoError } from './http-io';

type Resource = 'account' | 'sessions' | 'session';

interface RouteMatch {
  resource: Resource;
  authId: string;
  uuid: string | undefined;
}

// Trailing slash required, as on Plivo. "//" is folded first because the SDK's accounts.get()
// requests ".../Account/{id}//" (base URL + "/" + action "/").
const ROUTE = /^\/v1\/Account\/([^/]+)\/(?:Verify\/Session\/(?:([^/]+)\/)?)?$/;

export function matchPlivoRoute(pathname: string): RouteMatch | null {
  const folded = pathname.replace(/\/{2,}/g, '/');
  const m = ROUTE.exec(folded);
  if (!m?.[1]) return null;
  const authId = decodeURIComponent(m[1]);
  if (!folded.includes('/Verify/Session/')) return { resource: 'account', authId, uuid: undefined };
  const uuid = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
  return { resource: uuid === undefined ? 'sessions' : 'session', authId, uuid };
}

const METHODS: Record<Resource, Partial<Record<string, Endpoint>>> = {
  account: { GET: 'account' },
  sessions: { POST: 'create', GET: 'list' },
  session: { POST: 'validate', GET: 'get' },
};

export async function handlePlivo(
  ctx: EmulatorContext,
  route: RouteMatch,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const endpoint = METHODS[route.resource][req.method ?? 'GET'];

  // Faults come first: a failing load balancer answers before Plivo looks at credentials.
  const fault = endpoint ? ctx.faults.take(endpoint) : undefined;
  if (fault) {
    ctx.log(`fault ${fault.kind} on ${endpoint}`);
    if (await actOut(fault, res, ctx.delay)) return;
  }

  const credentials = basicCredentials(req.headers.authorization);
  if (
    !credentials ||
    credentials.username !== ctx.authId ||
    credentials.password !== ctx.authToken ||
    route.authId !== credentials.username
  ) {
    // Plivo's 401 is the one error without an api_id.
    return sendJson(res, 401, { error: 'authentication credentials were not provided' });
  }

  if (!endpoint) {
    const allow = Object.keys(METHODS[route.resource]).join(', ');
    return sendPlivoError(res, 405, 'method not allowed', { Allow: allow });
  }

  const params = parseParams(await readBody(req), req.headers['content-type']);
  if (params === null) return sendPlivoError(res, 400, 'request body is not valid JSON');

  ctx.sweepExpired();
  HANDLERS[endpoint](ctx, { params, query: url.searchParams, uuid: route.uuid, remoteAddress: plainIp(req.socket.remoteAddress) }, res);
}

/** "::ffff:127.0.0.1" -> "127.0.0.1": requestor_ip shows addresses the way people write them. */
function plainIp(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}
