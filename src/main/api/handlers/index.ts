/** The handler table: every `domain:verb` of the contract, from the per-domain slices. */
import type { ApiHandlers } from '../../../shared/api-contract';
import { alertHandlers } from './alert-handlers';
import { controlHandlers } from './control-handlers';
import { drillHandlers } from './drill-handlers';
import type { HandlerContext } from './handler-context';
import { pipelineHandlers } from './pipeline-handlers';
import { settingsHandlers } from './settings-handlers';
import { statsHandlers } from './stats-handlers';

export function createHandlers(ctx: HandlerContext): ApiHandlers {
  return {
    ...statsHandlers(ctx),
    ...alertHandlers(ctx),
    ...controlHandlers(ctx),
    ...pipelineHandlers(ctx),
    ...settingsHandlers(ctx),
    ...drillHandlers(ctx),
  };
}

export type { DrillsPort, HandlerContext, PipelinePort, SettingsPort } from './handler-context';
