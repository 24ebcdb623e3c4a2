// HTTP wiring: which route needs the app key, which the member's credential, and one error
// handler that turns every failure into the error table's status and body (no stack traces).
import type { NextFunction, Request, Response, Router } from 'express';
import { appKeyMatches, APP_KEY_HEADER } from './app-key';
import { SignInError } from './errors';
import { parseFirstName, parseIssue, parseLookup, parseOrigin } from './input';
import { currentMember, devices, endOneDevice, endOthers, setFirstName, type Caller } from './member-routes';
import { PlivoFailure } from './plivo-client';
import { issue, lookup, type SignInDeps } from './sign-in';

type Handler = (req: Request) => Promise<unknown>;

function send(res: Response, status: number, body: unknown): void {
  res.status(status).set('Cache-Control', 'no-store').json(body);
}

function sendError(deps: Pick<SignInDeps, 'logger'>, req: Request, res: Response, error: unknown): void {
  if (error instanceof PlivoFailure) deps.logger.warn(`sms-sign-in: Plivo: ${error.detail}`);
  if (error instanceof SignInError) return send(res, error.status, error.toBody());
  // Unexpected (database down, a Directus bug…): the name only, as knex messages can quote values.
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  deps.logger.error(`sms-sign-in: ${req.method} ${req.path} failed unexpectedly (${name}${typeof code === 'string' ? ` ${code}` : ''})`);
  const internal = new SignInError('internal_error');
  send(res, internal.status, internal.toBody());
}

/**
 * Express 4 (which Directus uses) does not catch rejected promises, and a synchronous throw would
 * reach Directus's own handler as a 500: every handler goes through this.
 */
function route(deps: Pick<SignInDeps, 'logger'>, handler: Handler) {
  return (req: Request, res: Response) => {
    Promise.resolve(req).then(handler).then(
      (body) => send(res, 200, body),
      (error: unknown) => sendError(deps, req, res, error),
    );
  };
}

const callerOf = (req: Request): Caller | undefined => (req as Request & { accountability?: Caller }).accountability;

export function mountRoutes(router: Router, deps: SignInDeps, ready: Promise<void>): void {
  const requireAppKey = (req: Request, res: Response, next: NextFunction) => {
    if (appKeyMatches(deps.config.appKey, req.get(APP_KEY_HEADER))) return next();
    const error = new SignInError('invalid_app_key');
    send(res, error.status, error.toBody());
  };
  router.post('/lookup', requireAppKey, route(deps, (req) => lookup(deps, parseLookup(req.body))));
  router.post(
    '/issue',
    requireAppKey,
    route(deps, async (req) => {
      const input = parseIssue(req.body);
      await ready;
      return issue(deps, input, parseOrigin(req.get('origin')));
    }),
  );
  router.get('/me', route(deps, async (req) => ({ member: await currentMember(deps, callerOf(req)) })));
  router.post('/me/first-name', route(deps, async (req) => ({ member: await setFirstName(deps, callerOf(req), parseFirstName(req.body)) })));
  router.get('/devices', route(deps, (req) => devices(deps, callerOf(req))));
  router.post('/devices/end-others', route(deps, (req) => endOthers(deps, callerOf(req))));
  router.delete('/devices/:id', route(deps, (req) => endOneDevice(deps, callerOf(req), String(req.params.id))));
}

/** What a misconfigured extension does instead: the same paths, all 503, nothing else runs. */
export function mountNotConfigured(router: Router): void {
  const error = new SignInError('not_configured');
  router.use((_req, res) => send(res, error.status, error.toBody()));
}
