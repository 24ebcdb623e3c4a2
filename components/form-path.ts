/** Where the sign-in's forms post themselves before their JavaScript runs, or without it (docs/api.md). */
export const FORM_PATH = '/api/auth/form';
