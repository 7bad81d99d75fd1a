/**
 * The generator worker: the GeneratorService and the event log's single writer, off the main
 * thread. Controls arrive as requests; status goes out twice a second.
 */
import { workerData } from 'node:worker_threads';
import type { OutcomeMix } from '../../shared/domain';
import type { LateDelivery } from '../generator/download-event-generator';
import type { InjectionSpec } from '../generator/failure-injection';
import { GeneratorService, type GeneratorStatus } from '../generator/generator-service';
import type { EventLog } from '../log/event-log';
import { openEventLog, type LogBackend } from '../log/open-event-log';
import { createLogger } from '../logger';
import { serveWorker } from './worker-runtime';

export interface GeneratorWorkerData {
  readonly log: LogBackend;
  readonly seed: string;
  readonly ratePerSecond: number;
  readonly late?: LateDelivery;
}

export type GeneratorCommand =
  | { readonly kind: 'setRate'; readonly ratePerSecond: number }
  | { readonly kind: 'setOutcomeMix'; readonly mix: OutcomeMix }
  | { readonly kind: 'setLateDelivery'; readonly late: LateDelivery }
  | { readonly kind: 'inject'; readonly spec: InjectionSpec }
  | { readonly kind: 'clearInjections' }
  | { readonly kind: 'removeInjection'; readonly id: string }
  | { readonly kind: 'appendPoison'; readonly count: number }
  | { readonly kind: 'pause' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'controls' }
  // Switching logs: stop writing and close the current log; open another and say where it ends;
  // then produce again. The pipeline runs the engine's switch between the last two.
  | { readonly kind: 'detachLog' }
  | { readonly kind: 'attachLog'; readonly log: LogBackend }
  | { readonly kind: 'resumeProducing' }
  | { readonly kind: 'runStartOffsets' };

serveWorker<GeneratorCommand, GeneratorStatus>(async () => {
  const data = workerData as GeneratorWorkerData;
  const logger = createLogger({ component: 'generator' });
  // The log's single writer; for Kafka, a producer only (no consumer joins the engine's group).
  let log: EventLog | null = await openEventLog(data.log, { produceOnly: true, logger });
  const service = new GeneratorService({
    log,
    seed: data.seed,
    ratePerSecond: data.ratePerSecond,
    logger,
  });
  if (data.late) service.setLateDelivery(data.late);
  await service.start();
  return {
    status: () => service.status(),
    handle: (command) => {
      switch (command.kind) {
        case 'setRate':
          return service.setRate(command.ratePerSecond);
        case 'setOutcomeMix':
          return service.setOutcomeMix(command.mix);
        case 'setLateDelivery':
          return service.setLateDelivery(command.late);
        case 'inject':
          return service.inject(command.spec);
        case 'clearInjections':
          return service.clearInjections();
        case 'removeInjection':
          return service.removeInjection(command.id);
        case 'appendPoison':
          return service.appendPoison(command.count);
        case 'pause':
          return service.pause();
        case 'resume':
          return service.resume();
        case 'controls':
          return service.controls();
        case 'detachLog':
          return (async () => {
            const detached = await service.detachLog();
            await detached.log.close();
            log = null;
            // Where the engine must read the old log to before it switches.
            return detached.ends;
          })();
        case 'attachLog':
          return (async () => {
            if (log) throw new Error('detach the current log first');
            const next = await openEventLog(command.log, { produceOnly: true, logger });
            try {
              const offsets = await service.attachLog(next);
              log = next;
              return offsets;
            } catch (err) {
              await next.close();
              throw err;
            }
          })();
        case 'resumeProducing':
          return service.resumeProducing();
        case 'runStartOffsets':
          return service.runStartOffsets();
      }
    },
    stop: async () => {
      await service.stop();
      await log?.close();
    },
  };
});
