/**
 * One entry of the phone form's country picker. The server builds the list
 * (lib/server/countries.ts); the client components only receive it, so the type lives on both sides.
 */
export type CountryOption = {
  /** ISO 3166-1 alpha-2, e.g. "GB". */
  code: string;
  /** "United Kingdom (+44)" */
  label: string;
};
