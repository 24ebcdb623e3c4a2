// Defaults for the local stack (dev and tests). None of these is a secret: each one only opens
// services bound to 127.0.0.1 on a developer's machine, and production refuses to start with them.
export const LOCAL_STACK = {
  appUrl: 'http://localhost:3000',
  directus: {
    url: 'http://127.0.0.1:8055',
    adminEmail: 'admin@example.com',
    adminPassword: 'local-admin-password',
    adminToken: 'local-directus-admin-token',
    serviceEmail: 'sms-sign-in-service@example.com',
    serviceToken: 'local-directus-service-token',
    /** Id the seed gives the local "Member" role, so the sign-in extension can be told it before Directus starts. */
    memberRoleId: 'e38c3779-dffb-4cbf-8907-756924cb5123',
    /** The sms-sign-in extension's app key (X-SMS-Sign-In-Key) on the local Directus. */
    signInKey: 'local-sms-sign-in-app-key-not-a-secret-0000',
  },
  plivo: {
    apiUrl: 'http://127.0.0.1:4010',
    authId: 'MALOCALEMULATOR00001',
    authToken: 'local-plivo-auth-token-not-a-secret',
    appUuid: '00000000-0000-4000-8000-00000000a991',
  },
  sessionSecret: 'local-session-secret-not-for-production-use-0000',
  /** DIRECTUS_PASS_THROUGH of the local members area: its news list (components/member-pictures.tsx) and files. */
  passThrough: 'GET /items/member_news, GET /assets/*',
  demoMember: {
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: 'ada@example.com',
    phone: '+447400123456',
  },
} as const;
