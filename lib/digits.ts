const DECIMAL_DIGIT = /\p{Nd}/u;

/**
 * Every Unicode decimal digit as its ASCII digit, so a code typed on an Arabic, Persian, Hindi or
 * fullwidth keyboard ("١٢٣", "۱۲۳", "१२३", "１２３") is the code it looks like. Everything else is
 * left as it is.
 */
export function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (digit) => String(digitValue(digit.codePointAt(0)!)));
}

// Unicode gives each script's digits a run of ten code points from zero to nine; where runs touch
// (the mathematical digits) each still starts at a zero, so a digit's value is its distance from
// the start of its run, modulo ten.
function digitValue(codePoint: number): number {
  let start = codePoint;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (codePoint - start) % 10;
}

/** A code as typed or pasted, ASCII digits only: "123 456", "G-123456" or "١٢٣٤٥٦" becomes "123456". */
export function sanitizeCode(raw: string, maxLength = 8): string {
  return asciiDigits(raw).replace(/\D/g, '').slice(0, maxLength);
}
