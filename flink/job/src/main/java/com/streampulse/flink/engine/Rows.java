package com.streampulse.flink.engine;

import java.io.Serializable;

/**
 * What the engine emits, one class per table: window rows (window-rows.ts), alert records
 * (alert-tracker.ts), late/future events and dead letters. Times are epoch milliseconds;
 * Long.MIN_VALUE stands for -Infinity (a watermark before any event).
 */
public final class Rows {
  private Rows() {}

  /** Any row; `key()` is its table's primary/unique key, for de-duplicating a sink's buffer. */
  public interface Row extends Serializable {
    String key();
  }

  public static final class Content implements Row {
    public long windowStart, windowEnd;
    public int partition;
    public String contentId, title, contentType;
    public int downloads, successful, failed, slow;
    public long bytes;

    public String key() { return windowStart + "|" + contentId + "|" + partition; }
  }

  public static final class Region implements Row {
    public long windowStart, windowEnd;
    public int partition;
    public String region;
    public int total, successful, failed, slow;
    public double successRate, errorRate, avgSpeedMbps, p95SpeedMbps, speedSumMbps;

    public String key() { return windowStart + "|" + region + "|" + partition; }
  }

  public static final class Device implements Row {
    public long windowStart, windowEnd;
    public int partition;
    public String deviceType;
    public int downloads, successful, failed, slow;
    public double successRate, avgSpeedMbps, avgDurationMs, speedSumMbps, durationSumMs;

    public String key() { return windowStart + "|" + deviceType + "|" + partition; }
  }

  /** An alert as the store keeps it; (ruleId, region, episodeStart) identifies it. */
  public static final class Alert implements Row {
    public String ruleId, type, severity, message, region;
    public double metricValue, thresholdValue;
    public long episodeStart, createdAt;
    /** null while open. */
    public Long resolvedAt;

    public Alert copy() {
      Alert a = new Alert();
      a.ruleId = ruleId; a.type = type; a.severity = severity; a.message = message; a.region = region;
      a.metricValue = metricValue; a.thresholdValue = thresholdValue;
      a.episodeStart = episodeStart; a.createdAt = createdAt; a.resolvedAt = resolvedAt;
      return a;
    }

    public String key() { return ruleId + "|" + region + "|" + episodeStart; }
  }

  public static final class LateEvent implements Row {
    public int partition;
    public long offset;
    public String eventId;
    public long eventTime, windowStart;
    public String region, status;
    public long watermark;
    /** late or future. */
    public String reason;

    public String key() { return partition + "|" + offset; }
  }

  public static final class DeadLetter implements Row {
    public int partition;
    public long offset;
    public String error;
    public byte[] raw;
    public long rawLength;

    public String key() { return partition + "|" + offset; }
  }
}
