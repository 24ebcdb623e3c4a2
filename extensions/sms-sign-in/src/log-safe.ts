// What may appear in the Directus log about a person or a Plivo session: never the full number,
// never a token; a Plivo session uuid only by its first block (enough to find it in Plivo's console).

/**
 * "+447400123456" -> "+44******456"; the stars are fixed so the length is not given away.
 * A copy of lib/phone.ts maskPhone (same output): the extension is bundled on its own for Directus
 * and cannot import from the app.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length < 8 ? '******' : `+${digits.slice(0, 2)}******${digits.slice(-3)}`;
}

export function shortUuid(uuid: string): string {
  return `${uuid.slice(0, 8)}…`;
}
