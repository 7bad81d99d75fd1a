/** `alerts:ack`: a user acknowledges an alert; the engine never changes that flag. */
import type { ApiHandlers } from '../../../shared/api-contract';
import { NotFoundError } from '../../../shared/errors';
import type { HandlerContext } from './handler-context';
import { ALERT_COLUMNS } from './stats-queries';
import { toAlertView, type AlertRow } from './stats-handlers';

export function alertHandlers(ctx: HandlerContext): Pick<ApiHandlers, 'alerts:ack'> {
  return {
    'alerts:ack': async ({ id }) => {
      const { rows } = await ctx.pool.query<AlertRow>(
        `UPDATE alerts SET acknowledged = true, acknowledged_at = COALESCE(acknowledged_at, now())
         WHERE id = $1 RETURNING ${ALERT_COLUMNS}`,
        [id],
      );
      if (!rows[0]) throw new NotFoundError(`there is no alert ${id}`);
      return toAlertView(rows[0]);
    },
  };
}
