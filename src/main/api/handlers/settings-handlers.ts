/** `settings:*`: read, validate-save-apply, and connection tests; the work is the SettingsPort's. */
import type { ApiHandlers } from '../../../shared/api-contract';
import type { HandlerContext } from './handler-context';

type SettingsHandlers = Pick<
  ApiHandlers,
  'settings:get' | 'settings:update' | 'settings:testKafka' | 'settings:testPostgres'
>;

export function settingsHandlers(ctx: HandlerContext): SettingsHandlers {
  return {
    'settings:get': () => ctx.settings.view(),
    'settings:update': (update) => ctx.settings.update(update),
    'settings:testKafka': ({ settings, secrets }) => ctx.settings.testKafka(settings, secrets),
    'settings:testPostgres': ({ settings, secrets }) =>
      ctx.settings.testPostgres(settings, secrets),
  };
}
