// The app's own pages that the sign-in sends people to, for the server and the browser alike.

/** Where a signed-in person lands. */
export const HOME_PATH = '/account';
/** Where a person without a first name gives one before going on. */
export const WELCOME_PATH = '/welcome';
