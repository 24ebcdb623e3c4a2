// HTTP wiring: which route needs the app key, which the member's credential, where each is
// mounted in Directus's Express app, and one error handler that turns every failure into the
// error table's status and body (no stack traces).
import type { Express, NextFunction, Request, Response } from 'express';
import { appKeysMatch, APP_KEY_HEADER } from './app-key';
import { SignInError } from './errors';
import {
  parseFirstName,
  parseIssue,
  parseLookup,
  parseOrigin,
  parsePasskeyId,
  parsePasskeyName,
  parsePasskeyRegister,
  parsePasskeySignIn,
  readJsonBody,
} from './input';
import { currentMember, devices, endOneDevice, endOthers, setFirstName, type Caller } from './member-routes';
import { hasPhoneField } from './members';
import { listPasskeys, passkeySignIn, register, registerOptions, removePasskey, renamePasskey, signInOptions } from './passkeys';
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

let missingPhoneFieldLogged = false;

/**
 * An unexpected failure on a Directus the setup has not prepared (its directus_users has no phone
 * column, so every query by phone fails) becomes the named 503 phone_field_missing, and the log
 * names the field once; a check made only after a failure, so it costs the working path nothing.
 */
async function explainFailure(deps: Pick<SignInDeps, 'database' | 'logger'>, error: unknown): Promise<unknown> {
  if (error instanceof SignInError || error instanceof PlivoFailure) return error;
  const present = await hasPhoneField(deps.database).catch(() => true);
  if (present) {
    missingPhoneFieldLogged = false;
    return error;
  }
  if (!missingPhoneFieldLogged) {
    deps.logger.error(
      'sms-sign-in: directus_users has no phone field: run the setup (npm run directus:setup), which creates it; until then lookup, issue and me answer 503 phone_field_missing',
    );
    missingPhoneFieldLogged = true;
  }
  return new SignInError('phone_field_missing');
}

/**
 * Express 4 (which Directus uses) does not catch rejected promises, and a synchronous throw would
 * reach Directus's own handler as a 500: every handler goes through this.
 */
function route(deps: Pick<SignInDeps, 'database' | 'logger'>, handler: Handler) {
  return (req: Request, res: Response) => {
    Promise.resolve(req)
      .then(handler)
      .then(
        (body) => send(res, 200, body),
        async (error: unknown) => sendError(deps, req, res, await explainFailure(deps, error)),
      );
  };
}

const callerOf = (req: Request): Caller | undefined => (req as Request & { accountability?: Caller }).accountability;

/** Every route lives under {DIRECTUS_URL}/sms-sign-in/. */
const PREFIX = '/sms-sign-in';

/**
 * The app's two routes, mounted ahead of Directus's own middleware (`middlewares.before`): they
 * answer to the app key, not to a Directus token, and use nothing that middleware prepares. Behind
 * it each call paid for the request log, the token check and a deep copy of the whole schema
 * (Directus copies its frozen schema for every request), about half a lookup's CPU (figures in
 * docs/benchmarks.md). Their body is read here, after the key is checked.
 */
export function mountAppKeyRoutes(app: Express, deps: SignInDeps, ready: Promise<void>): void {
  const requireAppKey = (req: Request, res: Response, next: NextFunction) => {
    if (appKeysMatch(deps.config, req.get(APP_KEY_HEADER))) return next();
    const error = new SignInError('invalid_app_key');
    send(res, error.status, error.toBody());
  };
  app.post(
    `${PREFIX}/lookup`,
    requireAppKey,
    route(deps, async (req) => lookup(deps, parseLookup(await readJsonBody(req)))),
  );
  app.post(
    `${PREFIX}/issue`,
    requireAppKey,
    route(deps, async (req) => {
      const input = parseIssue(await readJsonBody(req));
      await ready;
      return issue(deps, input, parseOrigin(req.get('origin')));
    }),
  );
  app.post(
    `${PREFIX}/passkeys/sign-in/options`,
    requireAppKey,
    route(deps, async () => {
      await ready;
      return signInOptions(deps);
    }),
  );
  app.post(
    `${PREFIX}/passkeys/sign-in`,
    requireAppKey,
    route(deps, async (req) => {
      const input = parsePasskeySignIn(await readJsonBody(req));
      await ready;
      return passkeySignIn(deps, input, parseOrigin(req.get('origin')));
    }),
  );
}

/**
 * The member's routes, where endpoints go (`routes.custom.before`): behind Directus's middleware,
 * which has checked the member's token (and its session row) and parsed the body.
 */
export function mountMemberRoutes(app: Express, deps: SignInDeps): void {
  app.get(
    `${PREFIX}/me`,
    route(deps, async (req) => ({ member: await currentMember(deps, callerOf(req)) })),
  );
  app.post(
    `${PREFIX}/me/first-name`,
    route(deps, async (req) => ({ member: await setFirstName(deps, callerOf(req), parseFirstName(req.body)) })),
  );
  app.get(
    `${PREFIX}/devices`,
    route(deps, (req) => devices(deps, callerOf(req))),
  );
  app.post(
    `${PREFIX}/devices/end-others`,
    route(deps, (req) => endOthers(deps, callerOf(req))),
  );
  app.delete(
    `${PREFIX}/devices/:id`,
    route(deps, (req) => endOneDevice(deps, callerOf(req), String(req.params.id))),
  );
  app.get(
    `${PREFIX}/passkeys`,
    route(deps, (req) => listPasskeys(deps, callerOf(req))),
  );
  app.post(
    `${PREFIX}/passkeys/register/options`,
    route(deps, (req) => registerOptions(deps, callerOf(req))),
  );
  app.post(
    `${PREFIX}/passkeys/register`,
    route(deps, (req) => register(deps, callerOf(req), parsePasskeyRegister(req.body))),
  );
  app.patch(
    `${PREFIX}/passkeys/:id`,
    route(deps, (req) => renamePasskey(deps, callerOf(req), parsePasskeyId(String(req.params.id)), parsePasskeyName(req.body))),
  );
  app.delete(
    `${PREFIX}/passkeys/:id`,
    route(deps, (req) => removePasskey(deps, callerOf(req), parsePasskeyId(String(req.params.id)))),
  );
}

/** What a misconfigured extension does instead: every path under the prefix, 503, nothing else runs. */
export function mountNotConfigured(app: Express): void {
  const error = new SignInError('not_configured');
  app.use(PREFIX, (_req, res) => send(res, error.status, error.toBody()));
}
