'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';

import type { MemberNews } from '@/lib/members';

type Picture = Pick<MemberNews, 'id' | 'title'> & { image: string };
type State = { kind: 'loading' } | { kind: 'loaded'; pictures: Picture[] } | { kind: 'signed_out' } | { kind: 'failed' };

const PICTURES = '/api/directus/items/member_news?fields=id,title,image&sort=sort&filter[image][_nnull]=true';

/**
 * The client side of the members area: it reads Directus through the pass-through
 * (/api/directus/…), where the server adds the person's credential. The browser never holds
 * one; it sends only its session cookie to this site.
 */
export function MemberPictures() {
  const t = useTranslations('members');
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    fetch(PICTURES, { signal: controller.signal, headers: { Accept: 'application/json' } })
      .then(async (response): Promise<State> => {
        if (response.status === 401) return { kind: 'signed_out' };
        if (!response.ok) return { kind: 'failed' };
        const { data } = (await response.json()) as { data: Picture[] };
        return { kind: 'loaded', pictures: data };
      })
      .then(setState, () => {
        if (!controller.signal.aborted) setState({ kind: 'failed' });
      });
    return () => controller.abort();
  }, []);

  return (
    <section aria-labelledby="member-pictures" aria-busy={state.kind === 'loading'}>
      <h2 id="member-pictures">{t('pictures')}</h2>
      {state.kind === 'loading' ? <p className="muted">{t('loadingPictures')}</p> : null}
      {state.kind === 'failed' ? <p role="status">{t('picturesFailed')}</p> : null}
      {state.kind === 'signed_out' ? (
        <p role="status">
          {t('signedOut')} <a href="/login?next=/members">{t('signInAgain')}</a>
        </p>
      ) : null}
      {state.kind === 'loaded'
        ? state.pictures.map((picture) => (
            <figure key={picture.id} className="picture">
              {/* eslint-disable-next-line @next/next/no-img-element -- streamed by the pass-through; next/image would fetch it without the person's cookie */}
              <img src={`/api/directus/assets/${encodeURIComponent(picture.image)}`} alt={picture.title} width={240} height={120} />
              <figcaption>{picture.title}</figcaption>
            </figure>
          ))
        : null}
    </section>
  );
}
