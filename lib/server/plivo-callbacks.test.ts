import plivo from 'plivo';
import { describe, expect, it } from 'vitest';

import { newNonce, signatureV2 } from '@/dev/plivo-emulator/callback-signature';
import { parseEnv } from './env';
import { deliveryCallbackUrl, deliveryReportsEnabled, deliveryStateOf, signedByPlivo } from './plivo-callbacks';

const TOKEN = 'auth-token-of-the-account';
const URL_OF_DELIVERY = 'https://app.example.com/api/plivo/status/5b6b4b8e-0000-4000-8000-000000000001';

describe('the V2 signature of a status callback', () => {
  it('accepts what Plivo signs (the emulator and the SDK agree) and nothing else', () => {
    const nonce = newNonce();
    const signature = signatureV2(URL_OF_DELIVERY, nonce, TOKEN);
    expect(plivo.validateSignature(URL_OF_DELIVERY, nonce, signature, TOKEN)).toBe(true);
    expect(signedByPlivo(URL_OF_DELIVERY, nonce, signature, TOKEN)).toBe(true);
    expect(signedByPlivo(`${URL_OF_DELIVERY}?ignored=query`, nonce, signature, TOKEN)).toBe(true);
    expect(signedByPlivo(URL_OF_DELIVERY, nonce, signature, 'another-token')).toBe(false);
    expect(signedByPlivo(URL_OF_DELIVERY, `${nonce}1`, signature, TOKEN)).toBe(false);
    expect(signedByPlivo(URL_OF_DELIVERY.replace(/1$/, '2'), nonce, signature, TOKEN)).toBe(false);
    expect(signedByPlivo(URL_OF_DELIVERY, nonce, '', TOKEN)).toBe(false);
    expect(signedByPlivo(URL_OF_DELIVERY, nonce, 'not base64 at all!', TOKEN)).toBe(false);
  });
});

describe('the callback URL', () => {
  const env = (vars: Record<string, string>) => parseEnv({ NODE_ENV: 'test', ...vars });

  it('is APP_URL and the delivery name', () => {
    expect(deliveryCallbackUrl(env({ APP_URL: 'https://app.example.com/' }), 'abc')).toBe('https://app.example.com/api/plivo/status/abc');
  });

  it('is only sent where Plivo can call it: a public APP_URL, or the local emulator', () => {
    const realPlivo = { PLIVO_AUTH_ID: 'MA123', PLIVO_AUTH_TOKEN: 'token' };
    expect(deliveryReportsEnabled(env({ ...realPlivo, APP_URL: 'https://app.example.com' }))).toBe(true);
    for (const local of [
      'http://localhost:3000',
      'http://127.0.0.1:3000',
      'http://[::1]:3000',
      'http://192.168.1.20',
      'http://10.0.0.5',
      'http://app.localhost',
    ]) {
      expect(deliveryReportsEnabled(env({ ...realPlivo, APP_URL: local })), local).toBe(false);
    }
    expect(deliveryReportsEnabled(env({ APP_URL: 'http://localhost:3000' }))).toBe(true); // the emulator
  });

  it('is never sent with PLIVO_DELIVERY_REPORTS=off', () => {
    expect(
      deliveryReportsEnabled(
        env({ APP_URL: 'https://app.example.com', PLIVO_AUTH_ID: 'MA123', PLIVO_AUTH_TOKEN: 'token', PLIVO_DELIVERY_REPORTS: 'off' }),
      ),
    ).toBe(false);
    expect(deliveryReportsEnabled(env({ APP_URL: 'http://localhost:3000', PLIVO_DELIVERY_REPORTS: 'off' }))).toBe(false);
  });
});

describe('what a callback says about its delivery', () => {
  const state = (fields: Record<string, string>) =>
    deliveryStateOf(new URLSearchParams({ SessionStatus: 'in-progress', ChannelErrorCode: '', ...fields }));

  it.each([
    ['queued', '', { state: 'sending' }],
    ['sent', '', { state: 'sent' }],
    ['ringing', '', { state: 'sent' }],
    ['in-progress', '', { state: 'sent' }],
    ['delivered', '', { state: 'delivered' }],
    ['completed', '', { state: 'delivered' }],
    ['failed', '450', { state: 'failed', reason: 'country_blocked' }],
    ['failed', '451', { state: 'failed', reason: 'fraud_threshold' }],
    ['failed', '452', { state: 'failed', reason: 'fraud_shield' }],
    ['undelivered', '452', { state: 'failed', reason: 'fraud_shield' }],
    ['failed', '', { state: 'failed', reason: 'undelivered' }],
    ['undelivered', '30005', { state: 'failed', reason: 'undelivered' }],
  ])('%s with code "%s" is %o', (ChannelStatus, ChannelErrorCode, expected) => {
    expect(state({ ChannelStatus, ChannelErrorCode })).toEqual(expected);
  });

  it('says nothing for session events and unknown statuses', () => {
    expect(state({ ChannelStatus: 'delivered', SessionStatus: 'verified' })).toBeUndefined();
    expect(state({ ChannelStatus: 'delivered', SessionStatus: 'expired' })).toBeUndefined();
    expect(state({ ChannelStatus: 'teleported' })).toBeUndefined();
  });
});
