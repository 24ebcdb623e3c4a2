import { describe, expect, it } from 'vitest';

import { parseEnv } from '../env';
import { testNumbersWarning } from './test-numbers';

const env = (vars: Record<string, string>) => parseEnv({ NODE_ENV: 'test', ...vars });
const refusal = (vars: Record<string, string>) => {
  try {
    env(vars);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected parseEnv to refuse');
};

describe('TEST_PHONE_NUMBERS', () => {
  it('is off by default', () => {
    expect(env({}).TEST_PHONE_NUMBERS.size).toBe(0);
  });

  it('gives each code a budget of 100 wrong codes unless told otherwise', () => {
    expect(env({}).TEST_PHONE_NUMBERS_MAX_WRONG_CODES).toBe(100);
    expect(env({ TEST_PHONE_NUMBERS_MAX_WRONG_CODES: '20' }).TEST_PHONE_NUMBERS_MAX_WRONG_CODES).toBe(20);
    expect(refusal({ TEST_PHONE_NUMBERS_MAX_WRONG_CODES: '0' })).toMatch(/TEST_PHONE_NUMBERS_MAX_WRONG_CODES: /);
  });

  it('reads number=code pairs, spaces around them allowed', () => {
    const numbers = env({ TEST_PHONE_NUMBERS: ' +12025550123=424242, +447400123457 = 135790 ,' }).TEST_PHONE_NUMBERS;
    expect([...numbers]).toEqual([
      ['+12025550123', '424242'],
      ['+447400123457', '135790'],
    ]);
  });

  it('wants codes of OTP_CODE_LENGTH digits', () => {
    expect(env({ TEST_PHONE_NUMBERS: '+12025550123=42424242', OTP_CODE_LENGTH: '8' }).TEST_PHONE_NUMBERS.get('+12025550123')).toBe(
      '42424242',
    );
    expect(refusal({ TEST_PHONE_NUMBERS: '+12025550123=4242' })).toMatch(
      /TEST_PHONE_NUMBERS: the code of \+12\*{6}123 must have OTP_CODE_LENGTH \(6\) digits/,
    );
  });

  it.each([
    ['a number that is not E.164', '12025550123=424242', /TEST_PHONE_NUMBERS: "\+12\*{6}123" is not a valid phone number in E\.164 form/],
    ['a national number', '02025550123=424242', /TEST_PHONE_NUMBERS: .* is not a valid phone number/],
    [
      'a number libphonenumber does not accept (fictional 555-01xx)',
      '+15555550100=424242',
      /TEST_PHONE_NUMBERS: "\+15\*{6}100" is not a valid phone number/,
    ],
    ['a code that is not digits', '+12025550123=42a424', /TEST_PHONE_NUMBERS: the code of \+12\*{6}123 must be digits only/],
    ['a missing code', '+12025550123', /TEST_PHONE_NUMBERS: "\+12\*{6}123": write each as \+number=code/],
    ['a number listed twice', '+12025550123=424242,+12025550123=135790', /TEST_PHONE_NUMBERS: \+12\*{6}123 is listed twice/],
  ])('refuses %s, naming the variable and never the whole number', (_label, value, message) => {
    const text = refusal({ TEST_PHONE_NUMBERS: value });
    expect(text).toMatch(message);
    expect(text).not.toContain('2025550123');
  });

  it('warns with the numbers masked', () => {
    const warning = testNumbersWarning(env({ TEST_PHONE_NUMBERS: '+12025550123=424242,+447400123457=135790' }).TEST_PHONE_NUMBERS);
    expect(warning).toMatch(/^TEST_PHONE_NUMBERS: \+12\*{6}123, \+44\*{6}457 /);
    expect(warning).not.toMatch(/2025550123|7400123457|424242/);
  });
});
