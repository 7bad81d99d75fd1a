package com.streampulse.flink.engine;

import static com.streampulse.flink.engine.TestEvents.MIN;
import static com.streampulse.flink.engine.TestEvents.T0;
import static com.streampulse.flink.engine.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Watermarks, firing, lateness, future events and the floor, as window-engine.ts has them. */
class PartitionEngineTest {
  @Test
  void aWindowIsFinalWhenTheWatermarkReachesItsEnd() {
    TestEvents.Harness h = new TestEvents.Harness(TestEvents.config());
    h.add(event(T0 + 10, "EU-London", "SUCCESS", 5));
    assertTrue(h.timers.contains(T0 + MIN), "a timer at the window's end (Flink fires it at watermark >= end)");
    h.add(event(T0 + MIN + 5_000 - 1, "EU-London", "SUCCESS", 5));
    assertEquals(T0 + MIN - 1, h.engine.ownWatermark(h.config));
    h.advance(T0 + MIN - 1);
    assertEquals(List.of(), h.of(Rows.Region.class), "end − 1: not final yet");
    h.add(event(T0 + MIN + 5_000, "EU-London", "SUCCESS", 5));
    h.advance(h.engine.ownWatermark(h.config));
    List<Rows.Region> rows = h.of(Rows.Region.class);
    assertEquals(1, rows.size());
    assertEquals(T0, rows.get(0).windowStart);
    assertEquals(T0 + MIN, rows.get(0).windowEnd);
  }

  @Test
  void lateEventsWithinTheLatenessRefireTheWindowWithFullValues() {
    TestEvents.Harness h = new TestEvents.Harness(TestEvents.config());
    h.add(event(T0 + 10, "EU-London", "SUCCESS", 5));
    h.add(event(T0 + 2 * MIN, "EU-London", "SUCCESS", 5));
    h.advance(h.engine.ownWatermark(h.config));
    assertEquals(1, h.of(Rows.Region.class).size());
    h.add(event(T0 + 20, "EU-London", "FAILED", 5));
    assertTrue(h.engine.dirty.contains(T0));
    h.advance(h.watermark + 1);
    List<Rows.Region> rows = h.of(Rows.Region.class);
    assertEquals(2, rows.size());
    assertEquals(2, rows.get(1).total);
    assertEquals(1, rows.get(1).failed);
  }

  @Test
  void eventsBeyondTheLatenessAreLateEvents() {
    TestEvents.Harness h = new TestEvents.Harness(TestEvents.config());
    h.add(event(T0 + 10, "EU-London", "SUCCESS", 5));
    // own watermark T0 + 2 min: end (T0 + 1 min) + lateness (1 min) <= it
    h.add(event(T0 + 2 * MIN + 5_000, "EU-London", "SUCCESS", 5));
    h.add(event(T0 + 30, "EU-Paris", "FAILED", 5));
    List<Rows.LateEvent> late = h.of(Rows.LateEvent.class);
    assertEquals(1, late.size());
    assertEquals("late", late.get(0).reason);
    assertEquals(2, late.get(0).offset);
    assertEquals(T0, late.get(0).windowStart);
    assertEquals(T0 + 2 * MIN, late.get(0).watermark);
    assertEquals(1, h.engine.lateEvents);
  }

  @Test
  void futureEventsAreSetAsideAndNeverMoveTheWatermark() {
    TestEvents.Harness h = new TestEvents.Harness(TestEvents.config());
    h.wallClock = T0;
    h.add(event(T0, "EU-London", "SUCCESS", 5));
    h.add(event(T0 + 5 * MIN + 1, "EU-London", "SUCCESS", 5));
    List<Rows.LateEvent> late = h.of(Rows.LateEvent.class);
    assertEquals(1, late.size());
    assertEquals("future", late.get(0).reason);
    assertEquals(T0 - 5_000, late.get(0).watermark);
    assertEquals(T0, h.engine.maxEventTime);
  }

  @Test
  void eventsBeforeTheFloorAreIgnored() {
    EngineConfig config = TestEvents.config();
    config.floorMs = T0 + MIN;
    TestEvents.Harness h = new TestEvents.Harness(config);
    h.add(event(T0 + 10, "EU-London", "SUCCESS", 5));
    assertEquals(PartitionEngine.NONE, h.engine.maxEventTime);
    assertTrue(h.engine.windows.isEmpty());
    h.add(event(T0 + MIN, "EU-London", "SUCCESS", 5));
    assertEquals(1, h.engine.windows.size());
  }

  @Test
  void theEndOfInputEmitsEveryWindow() {
    TestEvents.Harness h = new TestEvents.Harness(TestEvents.config());
    h.add(event(T0 + 10, "EU-London", "SUCCESS", 5));
    h.add(event(T0 + MIN + 10, "EU-London", "SUCCESS", 5));
    h.advance(PartitionEngine.END);
    assertEquals(2, h.of(Rows.Region.class).size());
    assertEquals(2, h.of(Rows.Content.class).size());
    assertEquals(2, h.of(Rows.Device.class).size());
  }

  @Test
  void theAlertContextContinuesAnEpisodeOpenAtTheFloor() {
    EngineConfig config = TestEvents.config(TestEvents.highErrorRate());
    config.floorMs = T0 + 3 * MIN;
    EngineConfig.AlertContext context = new EngineConfig.AlertContext();
    Rows.Alert open = new Rows.Alert();
    open.ruleId = "high-error-rate";
    open.type = "HIGH_ERROR_RATE";
    open.severity = "WARNING";
    open.message = "m";
    open.region = "EU-London";
    open.metricValue = 0.2;
    open.thresholdValue = 0.1;
    open.episodeStart = T0;
    open.createdAt = T0 + 3 * MIN;
    EngineConfig.OpenAlert openAlert = new EngineConfig.OpenAlert();
    openAlert.alert = open;
    context.openAlerts.add(openAlert);
    for (int i = 0; i < 3; i++) {
      Rows.Region row = new Rows.Region();
      row.windowStart = T0 + i * MIN;
      row.windowEnd = row.windowStart + MIN;
      row.region = "EU-London";
      row.total = 100;
      row.failed = 20;
      row.successful = 80;
      context.regionRows.add(row);
    }
    config.alertContext = context;
    TestEvents.Harness h = new TestEvents.Harness(config);
    // A healthy window after the floor resolves the open episode (no second one is opened).
    h.addAll(TestEvents.window(T0 + 3 * MIN, MIN, "EU-London", 100, 1, "FAILED"));
    h.advance(PartitionEngine.END);
    List<Rows.Alert> alerts = h.of(Rows.Alert.class);
    assertEquals(1, alerts.size());
    assertEquals(T0, alerts.get(0).episodeStart);
    assertEquals(T0 + 4 * MIN, alerts.get(0).resolvedAt);
  }
}
