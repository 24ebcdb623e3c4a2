'use client';

import { useState } from 'react';

import type { CodeSentResponse } from '@/lib/api-contract';
import { CodeForm } from './code-form';
import type { CountryOption } from '@/lib/country-option';

import { PhoneForm, type PhoneValues } from './phone-form';

type Props = {
  countries: CountryOption[];
  defaultCountry: string;
  /** Already checked on the server to be a same-origin path, or null. */
  next: string | null;
  /** Digits in a code (the server's OTP_CODE_LENGTH). */
  codeLength: number;
};

type Sent = { response: CodeSentResponse; resendAt: number; round: number };

/** Step 1 (phone number) and step 2 (code); the number is kept when going back. */
export function LoginFlow({ countries, defaultCountry, next, codeLength }: Props) {
  const [values, setValues] = useState<PhoneValues>({ country: defaultCountry, phone: '' });
  const [sent, setSent] = useState<Sent | null>(null);
  const [cameBack, setCameBack] = useState(false);

  const codeSent = (response: CodeSentResponse) =>
    setSent((previous) => ({
      response,
      resendAt: Date.now() + response.resendAfter * 1000,
      // A new round remounts the code form: empty field, fresh countdown, focus on the field.
      round: (previous?.round ?? 0) + 1,
    }));

  if (!sent) {
    return (
      <PhoneForm
        countries={countries}
        defaultValues={values}
        focusPhone={cameBack}
        onSent={(response, submitted) => {
          setValues(submitted);
          codeSent(response);
        }}
      />
    );
  }

  return (
    <CodeForm
      key={sent.round}
      sent={sent.response}
      resendAt={sent.resendAt}
      phoneValues={values}
      next={next}
      codeLength={codeLength}
      onRestarted={codeSent}
      onChangeNumber={() => {
        setCameBack(true);
        setSent(null);
      }}
    />
  );
}
