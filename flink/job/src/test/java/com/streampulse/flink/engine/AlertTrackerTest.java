package com.streampulse.flink.engine;

import static com.streampulse.flink.engine.TestEvents.MIN;
import static com.streampulse.flink.engine.TestEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The TS alert-tracker.test.ts cases, through the partition engine as there. */
class AlertTrackerTest {
  static List<Rows.Alert> alertsFor(Double[] rates, String region, List<AlertRule> rules, int perWindow, String bad) {
    TestEvents.Harness h = new TestEvents.Harness(TestEvents.config(rules.toArray(new AlertRule[0])));
    for (int i = 0; i < rates.length; i++) {
      if (rates[i] == null) continue;
      h.addAll(TestEvents.window(T0 + i * MIN, MIN, region, perWindow, (int) Math.round(rates[i] * perWindow), bad));
      h.advance(h.engine.ownWatermark(h.config));
    }
    h.advance(PartitionEngine.END);
    return h.of(Rows.Alert.class);
  }

  static List<Rows.Alert> alertsFor(Double... rates) {
    return alertsFor(rates, "EU-London", List.of(TestEvents.highErrorRate()), 100, "FAILED");
  }

  @Test
  void opensOneAlertAfterThreeBadWindows() {
    List<Rows.Alert> alerts = alertsFor(0.05, 0.2, 0.15, 0.12, 0.05);
    Rows.Alert a = alerts.get(0);
    assertEquals("HIGH_ERROR_RATE", a.type);
    assertEquals("EU-London", a.region);
    assertEquals("WARNING", a.severity);
    assertEquals(T0 + MIN, a.episodeStart);
    assertEquals(T0 + 4 * MIN, a.createdAt);
    assertNull(a.resolvedAt);
    assertEquals(0.2, a.metricValue);
    assertEquals(0.1, a.thresholdValue);
    assertEquals("EU-London error rate above 10.0% for 3 consecutive windows since 12:01 UTC (peak 20.0%)", a.message);
    assertEquals(T0 + 5 * MIN, alerts.get(1).resolvedAt);
  }

  @Test
  void noneForTwoBadWindowsThenRecovery() {
    assertEquals(List.of(), alertsFor(0.2, 0.3, 0.05, 0.2, 0.3, 0.01));
  }

  @Test
  void aLongIncidentIsOneAlertResolvedWhenTheRateFalls() {
    List<Rows.Alert> alerts = alertsFor(0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.04, 0.03);
    assertEquals(1, alerts.stream().map(a -> a.episodeStart).collect(Collectors.toSet()).size());
    Rows.Alert last = alerts.get(alerts.size() - 1);
    assertEquals(T0, last.episodeStart);
    assertEquals(T0 + 9 * MIN, last.resolvedAt);
  }

  @Test
  void severityRisesToCriticalWithoutASecondAlert() {
    List<Rows.Alert> alerts = alertsFor(0.12, 0.12, 0.12, 0.4);
    assertEquals(2, alerts.size());
    assertEquals("WARNING", alerts.get(0).severity);
    assertEquals(0.12, alerts.get(0).metricValue);
    assertEquals("CRITICAL", alerts.get(1).severity);
    assertEquals(0.4, alerts.get(1).metricValue);
    assertEquals(alerts.get(0).episodeStart, alerts.get(1).episodeStart);
  }

  @Test
  void windowsBelowTheMinimumSampleSayNothing() {
    assertEquals(List.of(), alertsFor(new Double[] {0.5, 0.5, 0.5}, "EU-London", List.of(TestEvents.highErrorRate()), 10, "FAILED"));
  }

  @Test
  void aGapBreaksTheStreak() {
    assertEquals(List.of(), alertsFor(0.2, 0.2, null, 0.2));
  }

  @Test
  void aNewIncidentAfterResolutionIsANewEpisode() {
    List<Rows.Alert> alerts = alertsFor(0.2, 0.2, 0.2, 0.01, 0.2, 0.2, 0.2);
    assertEquals(Set.of(T0, T0 + 4 * MIN), alerts.stream().map(a -> a.episodeStart).collect(Collectors.toSet()));
  }

  @Test
  void rulesAreData() {
    AlertRule slow = new AlertRule("slow-downloads", "SLOW_DOWNLOADS", "slowRate", "above", 0.3, null, 2, 20);
    assertEquals(List.of(), alertsFor(new Double[] {0.5, 0.5, 0.5}, "EU-Paris", List.of(slow), 100, "FAILED"));
    List<Rows.Alert> alerts = alertsFor(new Double[] {0.5, 0.5, 0.5}, "EU-Paris", List.of(slow, TestEvents.highErrorRate()), 100, "SLOW");
    assertEquals(1, alerts.size());
    assertEquals("SLOW_DOWNLOADS", alerts.get(0).type);
    assertEquals(T0, alerts.get(0).episodeStart);
    assertEquals(T0 + 2 * MIN, alerts.get(0).createdAt);
    assertTrue(alerts.get(0).message.startsWith("EU-Paris slow-download rate above 30.0% for 2 consecutive windows"));
  }

  @Test
  void formatsAsJavaScriptDoes() {
    assertEquals("12.3", AlertTracker.toFixed1(12.345));
    assertEquals("0.1", AlertTracker.toFixed1(0.05)); // 0.05 is 0.05000000000000000277: up
    assertEquals("0.0", AlertTracker.toFixed1(0.0));
    assertEquals("0.9", AlertTracker.toFixed1(0.95)); // 0.94999999999999995559: down
    assertEquals("1.4", AlertTracker.toFixed1(1.45));
    assertEquals("-0.0", AlertTracker.toFixed1(-0.04));
    assertEquals("25.0", AlertTracker.toFixed1(0.25 * 100));
  }
}
