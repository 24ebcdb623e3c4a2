import { redirect } from 'next/navigation';

import { HOME_PATH } from '@/lib/server/sign-in/policy';

export default function Home() {
  redirect(HOME_PATH);
}
