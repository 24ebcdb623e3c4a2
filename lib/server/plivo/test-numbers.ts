import 'server-only';

import { maskPhone, normalizePhone } from '@/lib/phone';

/** Numbers that sign in with a fixed code and are never sent anything (TEST_PHONE_NUMBERS): E.164 → code. */
export type TestNumbers = ReadonlyMap<string, string>;

/**
 * `+12025550123=424242,+447400123457=135790`. Each number must be E.164 as libphonenumber
 * writes it and valid by its full metadata (the fictional +1 555 01xx range is not), each code
 * digits only; lengths are checked against OTP_CODE_LENGTH by testNumberIssues.
 */
export function parseTestNumbers(value: string): TestNumbers {
  const numbers = new Map<string, string>();
  for (const pair of value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const [phone = '', code = '', ...rest] = pair.split('=').map((part) => part.trim());
    if (rest.length || !code) throw new Error(`"${maskPhone(phone)}": write each as +number=code`);
    if (normalizePhone(phone)?.e164 !== phone)
      throw new Error(`"${maskPhone(phone)}" is not a valid phone number in E.164 form (+ and digits)`);
    if (!/^\d+$/.test(code)) throw new Error(`the code of ${maskPhone(phone)} must be digits only`);
    if (numbers.has(phone)) throw new Error(`${maskPhone(phone)} is listed twice`);
    numbers.set(phone, code);
  }
  return numbers;
}

/** What makes a test number unusable with the rest of the configuration. */
export function testNumberIssues(numbers: TestNumbers, codeLength: number): string[] {
  return [...numbers]
    .filter(([, code]) => code.length !== codeLength)
    .map(([phone]) => `TEST_PHONE_NUMBERS: the code of ${maskPhone(phone)} must have OTP_CODE_LENGTH (${codeLength}) digits`);
}

/** The one boot warning: who can sign in without a phone. */
export function testNumbersWarning(numbers: TestNumbers): string {
  return `TEST_PHONE_NUMBERS: ${[...numbers.keys()].map(maskPhone).join(', ')} sign in with a fixed code and are never sent one; anyone who knows a code can sign in as its member.`;
}
