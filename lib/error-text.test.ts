import { describe, expect, it } from 'vitest';

import type { ClientError } from '@/lib/api-client';
import { translatorFor } from '@/lib/i18n/translator.test-support';

import { attemptsLeftText, errorText } from './error-text';

const en = translatorFor('en');
const de = translatorFor('de');
const es = translatorFor('es');

describe('attemptsLeftText', () => {
  it('says how many tries remain', () => {
    expect(attemptsLeftText(2, en)).toBe('2 attempts left.');
    expect(attemptsLeftText(1, en)).toBe('1 attempt left.');
    expect(attemptsLeftText(0, en)).toBe('0 attempts left.');
    expect(attemptsLeftText(undefined, en)).toBe('');
  });

  it('uses each language plural forms', () => {
    expect(attemptsLeftText(1, de)).toBe('Noch 1 Versuch.');
    expect(attemptsLeftText(3, de)).toBe('Noch 3 Versuche.');
    expect(attemptsLeftText(1, es)).toBe('Le queda 1 intento.');
    expect(attemptsLeftText(4, es)).toBe('Le quedan 4 intentos.');
  });
});

describe('errorText', () => {
  it('adds attempts left to a wrong code and the wait to a rate limit', () => {
    expect(errorText({ code: 'invalid_code', message: 'Wrong.', attemptsLeft: 2 }, en)).toBe(
      'That code is not right. Check the message and try again. 2 attempts left.',
    );
    expect(errorText({ code: 'rate_limited', message: 'Slow down.', retryAfter: 30 }, en)).toBe(
      'Too many requests. Please wait a moment and try again. Try again in 30 s.',
    );
    expect(errorText({ code: 'code_expired' }, en)).toBe('That code has expired. Ask for a new one.');
  });

  it('says it in the page language, whatever language the server used', () => {
    expect(errorText({ code: 'invalid_code', message: 'That code is not right.', attemptsLeft: 1 }, de)).toBe(
      'Dieser Code stimmt nicht. Bitte prüfen Sie die Nachricht und versuchen Sie es erneut. Noch 1 Versuch.',
    );
    expect(errorText({ code: 'rate_limited', retryAfter: 65 }, es)).toBe(
      'Demasiadas solicitudes. Espere un momento e inténtelo de nuevo. Inténtelo de nuevo dentro de 1 min 5 s.',
    );
  });

  it('has a sentence for the failures only the browser sees', () => {
    expect(errorText({ code: 'network_error' }, en)).toBe('We could not reach the server. Check your connection and try again.');
    expect(errorText({ code: 'bad_response' }, de)).toBe('Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.');
  });

  it("keeps the server's sentence for a code this page does not know", () => {
    const unknown = { code: 'something_new', message: 'A newer server said this.' } as unknown as ClientError;
    expect(errorText(unknown, es)).toBe('A newer server said this.');
  });
});

describe('errorText for the proof-of-work check asked of a plain form post', () => {
  // A form post carries no solver: the page that answers says what to do, with and without JavaScript.
  const asked: ClientError = { code: 'bot_check_required' };

  it('without JavaScript, says the check needs it', () => {
    expect(errorText(asked, en, { scripted: false })).toBe(
      'Before we send a code, this browser must pass a quick check, which needs JavaScript. Turn it on, then send the code again.',
    );
    expect(errorText(asked, de, { scripted: false })).toMatch(/JavaScript/);
    expect(errorText(asked, es, { scripted: false })).toMatch(/JavaScript/);
  });

  it('once the page runs JavaScript, asks for the button again', () => {
    expect(errorText(asked, en, { scripted: true })).toBe(
      'Before we send a code, this browser must pass a quick check. Press the button again.',
    );
  });

  it('leaves the check asked by the API (a challenge to solve) to its own sentence', () => {
    expect(errorText({ ...asked, botCheck: { parameters: {} } } as ClientError, en)).toBe(
      'One moment: this browser is checked before we send a code.',
    );
  });
});
