/**
 * The engine factory of the composition root: the one place that knows both implementations of
 * the engine seam (stream-engine.ts).
 */
import { FlinkEngine, FlinkEngineError } from '../flink/flink-engine';
import { BuiltinEngine } from './builtin-engine';
import type { EngineFactory } from './stream-engine';

export const createEngine: EngineFactory = (kind, context) => {
  if (kind === 'builtin') return new BuiltinEngine(context);
  if (!context.flink?.restUrl)
    throw new FlinkEngineError(
      "the Flink engine needs the JobManager's REST URL: --flink-rest http://HOST:8081, or Settings → Engine",
    );
  return new FlinkEngine(context, context.flink);
};
