'use client';

import { useEffect, useRef } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';

import { sanitizeCode } from '@/lib/digits';

/**
 * Room in the field beyond the code for the separators that inserted text carries ("123 456",
 * "1234-5678"): the browser would cut them off before the change handler, which keeps digits only.
 */
const SEPARATOR_ROOM = 2;

type Props = {
  id: string;
  /** Digits in a code: the field holds this many, and typing or pasting them all submits the form. */
  codeLength: number;
  /** The form's registration of the field (name, ref, onBlur); changes arrive cleaned through onCode. */
  field: UseFormRegisterReturn;
  invalid: boolean;
  describedBy: string;
  /** Each delivery of the code (a resend): a code submitted automatically before may be again. */
  round: number;
  /** The field's new value, digits only. */
  onCode: (code: string) => void;
  /** A complete code: submit it, unless a request is under way (then false, and it is not counted as submitted). */
  onComplete: () => boolean;
};

/**
 * The code field: keeps ASCII digits only, whether typed, autofilled or pasted with separators,
 * and submits the form once when the code is complete (never twice for the same code).
 */
export function CodeInput({ id, codeLength, field, invalid, describedBy, round, onCode, onComplete }: Props) {
  const lastAutoSubmitted = useRef({ round, code: '' });
  // What was typed before React hydrated the field (a slow phone), read before the form's
  // registration puts its default value in, and then taken as if typed now.
  const typedEarly = useRef<{ input: HTMLInputElement; value: string } | null>(null);
  const hydrated = useRef(false);

  const accept = (input: HTMLInputElement, raw: string) => {
    const clean = sanitizeCode(raw, codeLength);
    if (clean !== input.value) input.value = clean;
    onCode(clean);
    const last = lastAutoSubmitted.current;
    const submittedBefore = last.round === round && last.code === clean;
    if (clean.length === codeLength && !submittedBefore && onComplete()) lastAutoSubmitted.current = { round, code: clean };
  };

  useEffect(() => {
    hydrated.current = true;
    const early = typedEarly.current;
    if (early) accept(early.input, early.value);
    // Once, on hydration: later input arrives through the handlers.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <input
      id={id}
      className="code-input"
      type="text"
      autoComplete="one-time-code"
      inputMode="numeric"
      pattern="[0-9]*"
      maxLength={codeLength + SEPARATOR_ROOM}
      spellCheck={false}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      {...field}
      ref={(input) => {
        if (!hydrated.current && input?.value) typedEarly.current = { input, value: input.value };
        field.ref(input);
      }}
      onChange={(event) => accept(event.currentTarget, event.currentTarget.value)}
      onPaste={(event) => {
        // maxLength would cut "123 - 456" before onChange sees it: clean the clipboard text first.
        const text = event.clipboardData.getData('text');
        if (!/\d/.test(text)) return;
        event.preventDefault();
        accept(event.currentTarget, text);
      }}
    />
  );
}
