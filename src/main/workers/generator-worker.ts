/**
 * The generator worker: the GeneratorService and the event log's single writer, off the main
 * thread. Controls arrive as requests (src/main/protocol/commands.ts); status goes out twice a
 * second.
 */
import { workerData } from 'node:worker_threads';
import { GeneratorService } from '../generator/generator-service';
import type { EventLog } from '../log/event-log';
import { openEventLog } from '../log/open-event-log';
import { createLogger } from '../logger';
import type { GeneratorCommand, GeneratorReplies, GeneratorWorkerData } from '../protocol/commands';
import type { GeneratorStatus } from '../protocol/statuses';
import { serveWorker } from './worker-runtime';

serveWorker<GeneratorCommand, GeneratorReplies, GeneratorStatus>(async () => {
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
    handlers: {
      setRate: (command) => service.setRate(command.ratePerSecond),
      setOutcomeMix: (command) => service.setOutcomeMix(command.mix),
      setLateDelivery: (command) => service.setLateDelivery(command.late),
      inject: (command) => service.inject(command.spec),
      clearInjections: () => service.clearInjections(),
      removeInjection: (command) => service.removeInjection(command.id),
      appendPoison: (command) => service.appendPoison(command.count),
      pause: () => service.pause(),
      resume: () => service.resume(),
      controls: () => service.controls(),
      detachLog: async () => {
        const detached = await service.detachLog();
        await detached.log.close();
        log = null;
        // Where the engine must read the old log to before it switches.
        return detached.ends;
      },
      attachLog: async (command) => {
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
      },
      resumeProducing: () => service.resumeProducing(),
      runStartOffsets: () => service.runStartOffsets(),
    },
    stop: async () => {
      await service.stop();
      await log?.close();
    },
  };
});
