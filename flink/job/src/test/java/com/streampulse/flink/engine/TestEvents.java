package com.streampulse.flink.engine;

import java.util.ArrayList;
import java.util.List;

/** Events and an engine harness for the tests (the TS tests' engine-test-events, in Java). */
final class TestEvents {
  static final long MIN = 60_000;
  /** 2026-11-24T12:00:00Z. */
  static final long T0 = 1_795_521_600_000L;

  private TestEvents() {}

  static DownloadEvent event(long time, String region, String status, double speed) {
    DownloadEvent e = new DownloadEvent();
    e.eventId = "00000000-0000-4000-8000-000000000000";
    e.eventTime = time;
    e.contentId = "c1";
    e.title = "Title";
    e.contentType = "MOVIE";
    e.region = region;
    e.deviceType = "IPHONE";
    e.status = status;
    e.speedMbps = speed;
    e.durationMs = 1000;
    e.bytesDownloaded = 100;
    return e;
  }

  /** `count` events in [start, start + span), `bad` of them with `badStatus`. */
  static List<DownloadEvent> window(long start, long span, String region, int count, int bad, String badStatus) {
    List<DownloadEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++)
      events.add(event(start + (span * i) / count, region, i < bad ? badStatus : "SUCCESS", 10 + i));
    return events;
  }

  /** A partition engine with what it emitted, and the watermark the caller moves. */
  static final class Harness implements PartitionEngine.Output {
    final EngineConfig config;
    final PartitionEngine engine;
    final List<Rows.Row> rows = new ArrayList<>();
    final List<Long> timers = new ArrayList<>();
    long offset;
    long watermark = PartitionEngine.NONE;
    long wallClock = T0 + 365L * 24 * 3600 * 1000;

    Harness(EngineConfig config) {
      this.config = config;
      this.engine = PartitionEngine.create(0, config);
    }

    void add(DownloadEvent e) {
      engine.process(config, offset++, e, wallClock, watermark, this);
    }

    void addAll(List<DownloadEvent> events) {
      for (DownloadEvent e : events) add(e);
    }

    /** The overall watermark moves to `w` (timers at or before it fire). */
    void advance(long w) {
      watermark = w;
      engine.emit(config, w, this);
    }

    <T> List<T> of(Class<T> type) {
      List<T> out = new ArrayList<>();
      for (Rows.Row r : rows) if (type.isInstance(r)) out.add(type.cast(r));
      return out;
    }

    @Override
    public void row(Rows.Row row) {
      rows.add(row);
    }

    @Override
    public void timer(long time) {
      timers.add(time);
    }
  }

  static EngineConfig config(AlertRule... rules) {
    EngineConfig c = new EngineConfig();
    c.alertRules = new ArrayList<>(List.of(rules));
    return c;
  }

  static AlertRule highErrorRate() {
    return new AlertRule("high-error-rate", "HIGH_ERROR_RATE", "errorRate", "above", 0.1, 0.25, 3, 20);
  }
}
