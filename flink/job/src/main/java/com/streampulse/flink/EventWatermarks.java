package com.streampulse.flink;

import com.streampulse.flink.engine.EngineConfig;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * A partition's watermark as the built-in engine computes it: newest event time − outOfOrderness
 * (not Flink's BoundedOutOfOrderness, which emits one less). Events before the floor, records that
 * did not decode and future events (more than maxFuture ahead of the wall clock and the watermark)
 * never move it. Flink's KafkaSource runs one per partition (split) and takes the minimum.
 */
public final class EventWatermarks implements WatermarkGenerator<SourceRecord> {
  private final EngineConfig config;
  private long max = Long.MIN_VALUE;

  public EventWatermarks(EngineConfig config) {
    this.config = config;
  }

  @Override
  public void onEvent(SourceRecord record, long timestamp, WatermarkOutput output) {
    if (record.event == null) return;
    long time = record.event.eventTime;
    if (config.floorMs != null && time < config.floorMs) return;
    long own = max == Long.MIN_VALUE ? Long.MIN_VALUE : max - config.outOfOrdernessMs;
    if (time > Math.max(System.currentTimeMillis(), own) + config.maxFutureMs) return;
    if (time > max) max = time;
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    if (max != Long.MIN_VALUE) output.emitWatermark(new Watermark(max - config.outOfOrdernessMs));
  }
}
