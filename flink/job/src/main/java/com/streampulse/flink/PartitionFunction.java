package com.streampulse.flink;

import com.streampulse.flink.engine.EngineConfig;
import com.streampulse.flink.engine.PartitionEngine;
import com.streampulse.flink.engine.Rows;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The engine, keyed by Kafka partition: one {@link PartitionEngine} per partition in keyed state
 * (checkpointed with the source's offsets). Records arrive in offset order (one source split per
 * partition, one channel to this operator), so every per-partition decision is the TS engine's.
 */
public final class PartitionFunction extends KeyedProcessFunction<Integer, SourceRecord, Rows.Row> {
  private static final long serialVersionUID = 1L;
  private final EngineConfig config;
  private transient ValueState<PartitionEngine> state;

  public PartitionFunction(EngineConfig config) {
    this.config = config;
  }

  @Override
  public void open(OpenContext openContext) {
    state = getRuntimeContext().getState(
        new ValueStateDescriptor<>("partition-engine", TypeInformation.of(PartitionEngine.class)));
  }

  @Override
  public void processElement(SourceRecord record, Context ctx, Collector<Rows.Row> out) throws Exception {
    if (record.event == null) {
      Rows.DeadLetter letter = new Rows.DeadLetter();
      letter.partition = record.partition;
      letter.offset = record.offset;
      letter.error = record.error;
      letter.raw = record.raw;
      letter.rawLength = record.rawLength;
      out.collect(letter);
      return;
    }
    PartitionEngine engine = state.value();
    if (engine == null) engine = PartitionEngine.create(record.partition, config);
    TimerService timers = ctx.timerService();
    engine.process(config, record.offset, record.event, System.currentTimeMillis(),
        timers.currentWatermark(), output(out, timers));
    state.update(engine);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Rows.Row> out) throws Exception {
    PartitionEngine engine = state.value();
    if (engine == null) return;
    TimerService timers = ctx.timerService();
    engine.emit(config, timers.currentWatermark(), output(out, timers));
    state.update(engine);
  }

  private static PartitionEngine.Output output(Collector<Rows.Row> out, TimerService timers) {
    return new PartitionEngine.Output() {
      @Override
      public void row(Rows.Row row) {
        out.collect(row);
      }

      @Override
      public void timer(long time) {
        timers.registerEventTimeTimer(time);
      }
    };
  }
}
