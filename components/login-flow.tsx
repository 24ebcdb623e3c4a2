'use client';

import dynamic from 'next/dynamic';
import { useState } from 'react';

import type { ClientError } from '@/lib/api-client';
import type { CodeSentResponse } from '@/lib/api-contract';
import type { CountryOption } from '@/lib/country-option';

import { PhoneForm, type PhoneValues } from './phone-form';

/** What the server found for this page: a code on its way (after a plain form post), and how the last post went. */
export type LoginStart = {
  phone: PhoneValues;
  /** The code step to open with, or null for the phone step. */
  sent: CodeSentResponse | null;
  resent: boolean;
  error: ClientError | null;
};

type Props = {
  countries: CountryOption[];
  start: LoginStart;
  /** Already checked on the server to be a same-origin path, or null. */
  next: string | null;
  /** Digits in a code (the server's OTP_CODE_LENGTH). */
  codeLength: number;
  /** Offer passkeys beside the phone form (the `session` strategy). */
  passkeys: boolean;
};

// The code step (its countdown, delivery status, code field) is not in the first load: it is
// fetched when the person starts on the phone step, and rendered on the server when the page
// opens with it.
const loadCodeForm = () => import('./code-form');
const CodeForm = dynamic(() => loadCodeForm().then((module) => module.CodeForm));

type Sent = { response: CodeSentResponse; resendAt: number; round: number };

function sentAt(response: CodeSentResponse, round: number): Sent {
  return { response, resendAt: Date.now() + response.resendAfter * 1000, round };
}

/** Step 1 (phone number) and step 2 (code); the number is kept when going back. */
export function LoginFlow({ countries, start, next, codeLength, passkeys }: Props) {
  const [values, setValues] = useState<PhoneValues>(start.phone);
  const [sent, setSent] = useState<Sent | null>(() => start.sent && sentAt(start.sent, 1));
  // The page's own error and resend note belong to the step it opened with, not to later ones.
  const [opening, setOpening] = useState(true);
  const [cameBack, setCameBack] = useState(false);

  // A new round remounts the code form: empty field, fresh countdown, focus on the field.
  const codeSent = (response: CodeSentResponse) => {
    setOpening(false);
    setSent((previous) => sentAt(response, (previous?.round ?? 0) + 1));
  };

  if (!sent) {
    return (
      <PhoneForm
        countries={countries}
        defaultValues={values}
        initialError={opening ? start.error : null}
        next={next}
        focusPhone={cameBack}
        passkeys={passkeys}
        onFocus={() => void loadCodeForm()}
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
      resent={opening && start.resent}
      initialError={opening ? start.error : null}
      codeLength={codeLength}
      onRestarted={codeSent}
      onChangeNumber={() => {
        setOpening(false);
        setCameBack(true);
        setSent(null);
      }}
    />
  );
}
