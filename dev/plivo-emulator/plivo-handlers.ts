// The Plivo API operations: create (send/resend), validate, get, list, and the account "get"
// that clients use as a credentials probe. Routing, auth and faults happen before these run.
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from './context';
import type { Endpoint } from './faults';
import { sendJson, sendPlivoError, stringParam, type Params } from './http-io';
import { parseCreate } from './create-params';
import { filterSessions, pageLinks, parseListQuery } from './list-query';
import { sessionJson } from './session-json';
import { announceAttempt, announceSessionEnd } from './delivery';
import { matchRule, REFUSALS, SMS_FAILURES } from './recipient-rules';
// The app's masking, so a log line hides the same digits (and the length) wherever it is written.
import { maskPhone } from '../../lib/phone';
import { newUuid } from './wire-format';

export interface PlivoRequest {
  params: Params;
  query: URLSearchParams;
  /** session_uuid from the path, for validate and get. */
  uuid: string | undefined;
  remoteAddress: string;
}

type Handler = (ctx: EmulatorContext, req: PlivoRequest, res: ServerResponse) => void;

const create: Handler = (ctx, req, res) => {
  const parsed = parseCreate(req.params);
  if (!parsed.ok) return sendPlivoError(res, 400, parsed.error);
  const { request } = parsed;
  // The emulated account has one Verify app; naming another one is a configuration mistake the
  // app should see now rather than in production.
  if (request.appUuid !== undefined && request.appUuid !== ctx.appUuid) {
    return sendPlivoError(res, 400, 'app_uuid does not match any Verify application on this account');
  }
  const rule = matchRule(ctx.recipients, request.recipient);
  if (rule?.refuse) {
    ctx.log(`create for ${maskPhone(request.recipient)} refused by rule: ${rule.refuse}`);
    return sendPlivoError(res, REFUSALS[rule.refuse].status, REFUSALS[rule.refuse].error);
  }
  const now = ctx.clock.now();
  const outcome = ctx.store.sendCode(
    {
      ...request,
      appUuid: ctx.appUuid,
      alias: ctx.alias,
      requestorIp: req.remoteAddress,
      maxAttempts: rule?.maxAttempts,
      smsFailure: rule?.failSms && SMS_FAILURES[rule.failSms],
    },
    now,
  );
  if (!outcome.ok) {
    ctx.log(`create for ${maskPhone(request.recipient)} refused: ${outcome.error}`);
    return sendPlivoError(res, outcome.status, outcome.error);
  }
  const { session, attempt, isNew } = outcome;
  ctx.log(
    `${isNew ? 'session' : 'resend'} ${session.uuid} to ${maskPhone(session.recipient)} ` +
      `via ${attempt.channel} (attempt ${session.attempts.length})`,
  );
  announceAttempt(ctx.callbacks, session, attempt, now);
  sendJson(res, 200, { api_id: newUuid(), message: 'Session initiated', session_uuid: session.uuid });
};

const validate: Handler = (ctx, req, res) => {
  // Plivo's docs say `otp`; older docs and some clients send `OTP`. Numbers are accepted as-is.
  const otp = stringParam(req.params, 'otp', 'OTP');
  if (otp === undefined || otp === '') return sendPlivoError(res, 400, 'otp is required');
  const outcome = ctx.store.validate(req.uuid ?? '', otp, ctx.clock.now());
  if (!outcome.ok) {
    ctx.log(`validate ${req.uuid}: ${outcome.error}`);
    return sendPlivoError(res, outcome.status, outcome.error);
  }
  ctx.log(`session ${outcome.session.uuid} verified`);
  announceSessionEnd(ctx.callbacks, outcome.session, 'verified');
  // session_uuid as in the node/go/dotnet fixtures (the docs omit it; the SDK drops it either way).
  sendJson(res, 200, { api_id: newUuid(), message: 'session validated successfully.', session_uuid: outcome.session.uuid });
};

const get: Handler = (ctx, req, res) => {
  const session = ctx.store.get(req.uuid ?? '');
  if (!session) return sendPlivoError(res, 404, 'not found');
  sendJson(res, 200, { api_id: newUuid(), ...sessionJson(session, ctx.clock.now()) });
};

const list: Handler = (ctx, req, res) => {
  const parsed = parseListQuery(req.query);
  if (!parsed.ok) return sendPlivoError(res, 400, parsed.error);
  const { query } = parsed;
  const now = ctx.clock.now();
  const matching = filterSessions(ctx.store.newestFirst(), query, now);
  const page = matching.slice(query.offset, query.offset + query.limit);
  sendJson(res, 200, {
    api_id: newUuid(),
    meta: { limit: query.limit, offset: query.offset, ...pageLinks(ctx.authId, req.query, query, matching.length) },
    sessions: page.map((s) => sessionJson(s, now)),
  });
};

/** Shaped like Plivo's account object (the fields the SDK's GetAccountDetails reads, and auth_id). */
const account: Handler = (ctx, _req, res) => {
  sendJson(res, 200, {
    account_type: 'standard',
    address: '',
    api_id: newUuid(),
    auth_id: ctx.authId,
    auto_recharge: false,
    billing_mode: 'prepaid',
    cash_credits: '100.00000',
    city: '',
    name: 'Plivo Verify emulator',
    resource_uri: `/v1/Account/${ctx.authId}/`,
    state: '',
    timezone: 'Etc/UTC',
  });
};

export const HANDLERS: Record<Endpoint, Handler> = { create, validate, get, list, account };
