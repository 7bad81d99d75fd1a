/**
 * The password part of a PostgreSQL URL: taken out (it goes to the secret store, never to the
 * settings file or the renderer) and put back (to connect). Pure.
 */

/**
 * Takes the password out of a PostgreSQL URL (from `USER:PASSWORD@` or a `password=` parameter),
 * leaving the rest of the text as it was. The password is percent-decoded; null when there is none.
 */
export function splitPasswordFromUrl(url: string): { url: string; password: string | null } {
  let password: string | null = null;
  let rest = url;
  const userinfo = /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i.exec(rest);
  if (userinfo) {
    const [whole, scheme = '', info = ''] = userinfo;
    const colon = info.indexOf(':');
    if (colon >= 0) {
      const user = info.slice(0, colon);
      const encoded = info.slice(colon + 1);
      if (encoded !== '') password = decodePart(encoded);
      rest = `${scheme}${user === '' ? '' : `${user}@`}${rest.slice(whole.length)}`;
    }
  }
  const queryStart = rest.indexOf('?');
  if (queryStart >= 0) {
    const hashStart = rest.indexOf('#', queryStart);
    const end = hashStart >= 0 ? hashStart : rest.length;
    const params = rest.slice(queryStart + 1, end).split('&');
    const kept = params.filter((param) => {
      if (!/^password=/i.test(param)) return true;
      const value = decodePart(param.slice('password='.length));
      if (password === null && value !== '') password = value;
      return false;
    });
    if (kept.length !== params.length) {
      const query = kept.filter((p) => p !== '').join('&');
      rest = `${rest.slice(0, queryStart)}${query ? `?${query}` : ''}${rest.slice(end)}`;
    }
  }
  return { url: rest, password };
}

/** The URL with `password` as its user's password (replacing any in it); the URL as is for null. */
export function urlWithPassword(url: string, password: string | null | undefined): string {
  const { url: bare } = splitPasswordFromUrl(url);
  if (password === null || password === undefined || password === '') return bare;
  const match = /^([a-z][a-z0-9+.-]*:\/\/)(?:([^@/?#]*)@)?/i.exec(bare);
  if (!match) return bare;
  const [whole, scheme = '', user = ''] = match;
  return `${scheme}${user}:${encodeURIComponent(password)}@${bare.slice(whole.length)}`;
}

function decodePart(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
