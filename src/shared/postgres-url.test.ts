import { describe, expect, it } from 'vitest';
import {
  maskPassword,
  parsePostgresUrl,
  PostgresUrlError,
  splitPasswordFromUrl,
  urlWithPassword,
} from './postgres-url';

describe('maskPassword', () => {
  it('masks the password in the user part and in a password parameter', () => {
    expect(maskPassword('postgres://u:p%40ss@db.example:6543/sp')).toBe(
      'postgres://u:***@db.example:6543/sp',
    );
    expect(maskPassword('postgresql://u:pw@h/db?sslmode=require&password=pw2')).toBe(
      'postgresql://u:***@h/db?sslmode=require&password=***',
    );
    expect(maskPassword('postgres://localhost/db')).toBe('postgres://localhost/db');
    expect(maskPassword('host=h password=secret')).toBe('host=h password=***');
  });
});

describe('parsePostgresUrl', () => {
  it('takes a URL apart: host, port, user, password (user part or parameter), database', () => {
    expect(
      parsePostgresUrl(' postgres://u%40x:p%2Fw@[::1]:6543/sp?sslmode=require '),
    ).toMatchObject({ host: '::1', port: 6543, user: 'u@x', password: 'p/w', database: 'sp' });
    const parsed = parsePostgresUrl('postgresql://h/db?password=pw2&application_name=x');
    expect(parsed).toMatchObject({ host: 'h', port: 5432, user: undefined, password: 'pw2' });
    expect([...parsed.params]).toEqual([
      ['password', 'pw2'],
      ['application_name', 'x'],
    ]);
  });

  it('refuses what a connection cannot use, never quoting the password', () => {
    const refusals: Array<[string, RegExp]> = [
      [
        'mysql://u:secret@h/db',
        /must look like postgres:\/\/USER:PASSWORD@HOST:PORT\/DATABASE, got "mysql:\/\/u:\*\*\*@h\/db"/,
      ],
      ['postgres://u:secret@h:99999/db', /got an invalid URL/],
      ['postgres://u:secret@h/db#x', /without a #fragment/],
      ['postgres://u:secret@h/db?ssl=true', /use sslmode=require/],
      ['postgres://u:secret@h/db?sslcert=a', /client certificates \(sslcert\) are not supported/],
      ['postgres://u:secret@h/db?foo=1', /does not support: "foo"/],
      ['postgres://u:secret@h/db?sslmode=require&sslmode=disable', /"sslmode" twice/],
      ['postgres://u:secret@h/a%2Fb', /may not contain "\/"/],
      ['postgres://u:%zz@h/db', /password in the database URL has a bad %-escape/],
    ];
    for (const [url, message] of refusals) {
      const error = (() => {
        try {
          parsePostgresUrl(url);
        } catch (e) {
          return e as Error;
        }
        return null;
      })();
      expect(error, url).toBeInstanceOf(PostgresUrlError);
      expect(error!.message, url).toMatch(message);
      expect(error!.message, url).not.toContain('secret');
    }
  });

  it('puts a password back where split took it out', () => {
    const url = 'postgres://u:p%40ss@h/db?sslmode=require&password=other';
    const { url: bare, password } = splitPasswordFromUrl(url);
    expect(bare).toBe('postgres://u@h/db?sslmode=require');
    expect(password).toBe('p@ss');
    expect(parsePostgresUrl(urlWithPassword(bare, password)).password).toBe('p@ss');
  });
});
