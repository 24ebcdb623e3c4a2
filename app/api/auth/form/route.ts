import { ApiError } from '@/lib/server/errors';
import { LOGOUT, RESEND, SIGN_OUT_OTHERS, START, VERIFY } from '@/lib/server/auth-steps';
import { formStep, handleAuthForm } from '@/lib/server/http';
import { rememberLocale } from '@/lib/server/language';
import { isLocale } from '@/lib/i18n/locales';
import { safeNextPath } from '@/lib/safe-next-path';

/**
 * The pages' plain form posts (docs/api.md): what /login, /account and the language switcher post
 * before their JavaScript runs, or without it. The button pressed names the step (`intent`); each answers with
 * the page to show next.
 */
export function POST(request: Request) {
  return handleAuthForm(request, (form) => {
    const field = (name: string) => form.get(name) ?? undefined;
    const next = safeNextPath(field('next'));
    const login = (query: Record<string, string> = {}) => {
      const params = new URLSearchParams(query);
      if (next) params.set('next', next);
      return params.size > 0 ? `/login?${params}` : '/login';
    };
    const intent = field('intent');
    const phone = { phone: field('phone'), country: field('country') };
    switch (intent) {
      case 'start':
        return formStep({ step: START, input: phone, done: () => login(), failed: login({ step: 'phone' }) });
      case 'restart':
        // "Get a new code": the number the code step holds, sent again from the start.
        return formStep({ step: START, input: phone, done: () => login(), failed: login() });
      case 'verify':
        return formStep({
          step: VERIFY,
          input: { code: field('code') },
          done: (body) => next ?? safeNextPath(body.redirectTo) ?? '/account',
          failed: login(),
        });
      case 'sms':
      case 'voice':
        return formStep({ step: RESEND, input: { channel: intent }, done: () => login({ resent: '1' }), failed: login() });
      case 'change-number':
        // The number is kept: the page fills it in again from the code on its way.
        return async () => login({ step: 'phone' });
      case 'sign-out':
        return formStep({ step: LOGOUT, input: {}, done: () => '/login', failed: '/account' });
      case 'sign-out-others':
        return formStep({ step: SIGN_OUT_OTHERS, input: {}, done: () => '/account', failed: '/account' });
      case 'language': {
        // The header's language switcher: back to the page it was on, in the chosen language.
        const locale = field('locale');
        if (!isLocale(locale)) throw new ApiError('invalid_request');
        return async () => {
          await rememberLocale(locale);
          return safeNextPath(field('back')) ?? '/';
        };
      }
      default:
        throw new ApiError('invalid_request');
    }
  });
}
