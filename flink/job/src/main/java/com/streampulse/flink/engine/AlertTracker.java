package com.streampulse.flink.engine;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * src/main/engine/alert-tracker.ts, line for line: a region's final windows in, alert episodes out
 * (N consecutive breaching windows with enough events open one alert; its peak and severity are
 * updated; the first healthy window resolves it).
 */
public final class AlertTracker {
  private AlertTracker() {}

  /** One rule's tracker for one region of one partition (Flink keyed state holds it). */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    public String ruleId;
    public String region;
    public int streak;
    public long streakStart;
    public double peak;
    /** null: no window judged yet. */
    public Long lastWindowStart;
    public Long lastWindowEnd;
    public Rows.Alert open;

    public State() {}

    public State(String ruleId, String region) {
      this.ruleId = ruleId;
      this.region = region;
    }
  }

  /** Feeds one final window's row; returns the alert to write when it opens, changes or resolves. */
  public static Rows.Alert evaluateWindow(AlertRule rule, State state, Rows.Region row, long windowSizeMs) {
    if (state.lastWindowStart != null && row.windowStart <= state.lastWindowStart) return null;
    Long lastEnd = state.lastWindowEnd != null
        ? state.lastWindowEnd
        : (state.lastWindowStart == null ? null : state.lastWindowStart + windowSizeMs);
    boolean contiguous = lastEnd != null && lastEnd == row.windowStart;
    state.lastWindowStart = row.windowStart;
    state.lastWindowEnd = row.windowEnd;
    if (!contiguous) state.streak = 0;
    if (row.total < rule.minEvents) {
      state.streak = 0;
      return null;
    }
    double value = rule.metricOf(row);
    boolean above = "above".equals(rule.direction);

    if (!rule.breaches(value)) {
      state.streak = 0;
      if (state.open == null) return null;
      Rows.Alert resolved = state.open.copy();
      resolved.resolvedAt = row.windowEnd;
      state.open = null;
      return resolved;
    }

    if (state.open != null) {
      double peak = worse(above, state.open.metricValue, value);
      String severity = rule.severityOf(peak);
      if (peak == state.open.metricValue && severity.equals(state.open.severity)) return null;
      Rows.Alert changed = state.open.copy();
      changed.metricValue = peak;
      changed.severity = severity;
      changed.message = messageFor(rule, row.region, peak, state.open.episodeStart);
      state.open = changed;
      return changed.copy();
    }

    if (state.streak == 0) {
      state.streakStart = row.windowStart;
      state.peak = value;
    } else {
      state.peak = worse(above, state.peak, value);
    }
    state.streak++;
    if (state.streak < rule.consecutiveWindows) return null;
    Rows.Alert open = new Rows.Alert();
    open.ruleId = rule.id;
    open.type = rule.type;
    open.severity = rule.severityOf(state.peak);
    open.message = messageFor(rule, row.region, state.peak, state.streakStart);
    open.region = row.region;
    open.metricValue = state.peak;
    open.thresholdValue = rule.threshold;
    open.episodeStart = state.streakStart;
    open.createdAt = row.windowEnd;
    open.resolvedAt = null;
    state.open = open;
    state.streak = 0;
    return open.copy();
  }

  /** JavaScript's Math.max/Math.min (NaN wins; -0 < +0). */
  private static double worse(boolean above, double a, double b) {
    return above ? Math.max(a, b) : Math.min(a, b);
  }

  private static final DateTimeFormatter HH_MM =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  public static String messageFor(AlertRule rule, String region, double peak, long since) {
    String metric;
    switch (rule.metric) {
      case "errorRate": metric = "error rate"; break;
      case "slowRate": metric = "slow-download rate"; break;
      default: metric = "downloads per window";
    }
    return region + " " + metric + " " + rule.direction + " " + format(rule, rule.threshold)
        + " for " + rule.consecutiveWindows + " consecutive windows since "
        + HH_MM.format(Instant.ofEpochMilli(since)) + " UTC (peak " + format(rule, peak) + ")";
  }

  private static String format(AlertRule rule, double v) {
    if ("downloads".equals(rule.metric)) return Long.toString(jsRound(v));
    return toFixed1(v * 100) + "%";
  }

  /** JavaScript's Math.round: the nearest integer, halves up. */
  static long jsRound(double v) {
    return (long) Math.floor(v + 0.5);
  }

  /** JavaScript's Number.prototype.toFixed(1): the exact value, halves away from zero. */
  static String toFixed1(double v) {
    if (Double.isNaN(v)) return "NaN";
    BigDecimal exact = new BigDecimal(Math.abs(v)).setScale(1, RoundingMode.HALF_UP);
    // As JavaScript: the sign of a negative number is kept even when it rounds to zero ("-0.0").
    return v < 0 ? "-" + exact.toPlainString() : exact.toPlainString();
  }
}
