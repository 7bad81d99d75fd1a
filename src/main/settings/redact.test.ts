import { describe, expect, it } from 'vitest';
import { redact } from './redact';

describe('redact', () => {
  it('replaces every occurrence of each secret', () => {
    expect(redact('user alice pw hunter22, again hunter22', ['hunter22'])).toBe(
      'user alice pw ***, again ***',
    );
  });

  it('leaves secrets shorter than 4 characters, and empty or absent ones', () => {
    expect(redact('a pin 123 here', ['123', '', null, undefined])).toBe('a pin 123 here');
    expect(redact('code abcd', ['abcd'])).toBe('code ***');
  });

  it('hides the percent-encoded form, as in a URL', () => {
    expect(redact('postgres://app:p%40ss%2Fw@db/sp failed', ['p@ss/w'])).toBe(
      'postgres://app:***@db/sp failed',
    );
  });

  it('hides a secret that contains another one whole', () => {
    expect(redact('x secretlonger y secret', ['secret', 'secretlonger'])).toBe('x *** y ***');
  });

  it('treats regular expression characters literally', () => {
    expect(redact('pw is a.*b+c and abbbc', ['a.*b+c'])).toBe('pw is *** and abbbc');
  });
});
