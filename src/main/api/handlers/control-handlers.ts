/** `control:*`: the generator's live controls, applied in the generator worker. */
import type { ApiHandlers, Controls, InjectionView } from '../../../shared/api-contract';
import { ValidationError } from '../../../shared/validation-error';
import type { GeneratorControls } from '../../generator/generator-service';
import type { InjectionSpec } from '../../generator/failure-injection';
import type { HandlerContext } from './handler-context';

type ControlHandlers = Pick<
  ApiHandlers,
  | 'control:get'
  | 'control:setRate'
  | 'control:setOutcomeMix'
  | 'control:inject'
  | 'control:clearInjections'
  | 'control:generateHistory'
>;

export function controlHandlers(ctx: HandlerContext): ControlHandlers {
  const current = async (): Promise<Controls> =>
    toControlsView(await ctx.pipeline.control({ kind: 'controls' }));
  return {
    'control:get': current,
    'control:setRate': async ({ ratePerSecond }) => {
      await ctx.pipeline.control({ kind: 'setRate', ratePerSecond });
      return current();
    },
    'control:setOutcomeMix': async ({ failed, slow }) => {
      await ctx.pipeline.control({ kind: 'setOutcomeMix', mix: { failed, slow } });
      return current();
    },
    'control:inject': async ({ region, device, failed, slow, speedFactor, durationSeconds }) => {
      if ((region === undefined) === (device === undefined))
        throw new ValidationError('region', 'give exactly one of region or device');
      const spec: InjectionSpec = {
        target: region !== undefined ? { region } : { device: device! },
        ...(failed !== undefined ? { failed } : {}),
        ...(slow !== undefined ? { slow } : {}),
        ...(speedFactor !== undefined ? { speedFactor } : {}),
        durationMs: durationSeconds === undefined ? null : durationSeconds * 1000,
      };
      await ctx.pipeline.control({ kind: 'inject', spec });
      return current();
    },
    'control:generateHistory': ({ hours, ratePerSecond }) =>
      ctx.pipeline.generateHistory(hours, ratePerSecond),
    'control:clearInjections': async () => {
      await ctx.pipeline.control({ kind: 'clearInjections' });
      return current();
    },
  };
}

export function toControlsView(controls: GeneratorControls): Controls {
  return {
    ratePerSecond: controls.ratePerSecond,
    outcomeMix: controls.outcomeMix,
    late: controls.late,
    paused: controls.paused,
    injections: controls.injections.map((i): InjectionView => ({
      id: i.id,
      region: 'region' in i.target ? i.target.region : null,
      device: 'device' in i.target ? i.target.device : null,
      failed: i.failed ?? null,
      slow: i.slow ?? null,
      speedFactor: i.speedFactor ?? null,
      startsAt: new Date(i.startsAt).toISOString(),
      endsAt: i.endsAt === null ? null : new Date(i.endsAt).toISOString(),
    })),
  };
}
