package com.streampulse.flink.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The built-in engine's per-partition logic (window-engine.ts, partition-state.ts), for one Kafka
 * partition: the Flink job keys its stream by partition and keeps one of these in keyed state.
 * Pure: no Flink types. Lateness, future events and alert judging depend only on this partition's
 * records in offset order (its own watermark), as in the TS engine; emission follows the overall
 * (Flink) watermark that the caller passes to {@link #emit}.
 */
public final class PartitionEngine implements Serializable {
  private static final long serialVersionUID = 1L;
  /** -Infinity. */
  public static final long NONE = Long.MIN_VALUE;
  /** +Infinity (Flink's end-of-input watermark). */
  public static final long END = Long.MAX_VALUE;

  /** Where rows go, and the event-time timers the caller must set. */
  public interface Output {
    void row(Rows.Row row);

    /** Call {@link #emit} once the overall watermark reaches `time`. */
    void timer(long time);
  }

  public int partition;
  /** Newest event time seen (NONE: none yet). */
  public long maxEventTime = NONE;
  public TreeMap<Long, WindowAggregates> windows = new TreeMap<>();
  /** Final windows changed since their rows were last emitted. */
  public TreeSet<Long> dirty = new TreeSet<>();
  public LinkedHashMap<String, AlertTracker.State> trackers = new LinkedHashMap<>();
  public long judgedThrough = NONE;
  public long alertCheckAt = NONE;
  /** The overall watermark of the last emit. */
  public long emittedWatermark = NONE;
  public long lateEvents;
  public long futureEvents;

  public PartitionEngine() {}

  /** A new partition's state, primed with the handover's alert context (primeAlerts in the TS). */
  public static PartitionEngine create(int partition, EngineConfig config) {
    PartitionEngine engine = new PartitionEngine();
    engine.partition = partition;
    if (config.alertContext != null) engine.primeAlerts(config);
    return engine;
  }

  private void primeAlerts(EngineConfig config) {
    EngineConfig.AlertContext context = config.alertContext;
    long floor = config.floorMs == null ? NONE : config.floorMs;
    Map<String, Long> openFrom = new HashMap<>();
    for (EngineConfig.OpenAlert open : context.openAlerts) {
      if (open.partition != partition || open.alert == null) continue;
      AlertTracker.State tracker = new AlertTracker.State(open.alert.ruleId, open.alert.region);
      tracker.open = open.alert.copy();
      trackers.put(open.alert.ruleId + "|" + open.alert.region, tracker);
      openFrom.put(open.alert.ruleId + "|" + open.alert.region, open.alert.episodeStart);
    }
    Output ignored = new Output() {
      public void row(Rows.Row row) {}
      public void timer(long time) {}
    };
    for (Rows.Region row : context.regionRows) {
      if (row.partition != partition || row.windowEnd > floor) continue;
      evaluateAlerts(config, row, ignored, rule -> {
        Long from = openFrom.get(rule.id + "|" + row.region);
        return from == null || row.windowStart >= from;
      });
    }
  }

  public long ownWatermark(EngineConfig config) {
    return maxEventTime == NONE ? NONE : maxEventTime - config.outOfOrdernessMs;
  }

  public static long startOf(long time, long sizeMs) {
    return Math.floorDiv(time, sizeMs) * sizeMs;
  }

  /**
   * One decoded record, in offset order. `wallClock`: the real time (for the future bound);
   * `overallWatermark`: Flink's current watermark (windows at or before it were emitted already).
   */
  public void process(EngineConfig config, long offset, DownloadEvent event, long wallClock,
      long overallWatermark, Output out) {
    long time = event.eventTime;
    if (config.floorMs != null && time < config.floorMs) return;
    long size = config.windowSizeMs;
    long own = ownWatermark(config);
    long futureLimit = Math.max(wallClock, own) + config.maxFutureMs;
    if (time > futureLimit) {
      futureEvents++;
      out.row(lateEvent(offset, event, startOf(time, size), own, "future"));
      return;
    }
    if (time > maxEventTime) {
      maxEventTime = time;
      own = time - config.outOfOrdernessMs;
      if (own >= alertCheckAt) judgeWindows(config, own, out);
    }
    long start = startOf(time, size);
    long end = start + size;
    if (end + config.allowedLatenessMs <= own) {
      lateEvents++;
      out.row(lateEvent(offset, event, start, own, "late"));
      return;
    }
    WindowAggregates window = windows.get(start);
    if (window == null) {
      window = new WindowAggregates(start, end);
      windows.put(start, window);
      out.timer(end);
      out.timer(end + config.allowedLatenessMs);
    }
    window.add(event);
    if (end <= overallWatermark) {
      // A late firing: the window's rows are written again, with full values, at the next watermark.
      dirty.add(start);
      if (overallWatermark < END) out.timer(overallWatermark + 1);
    }
  }

  private Rows.LateEvent lateEvent(long offset, DownloadEvent event, long windowStart, long watermark,
      String reason) {
    Rows.LateEvent late = new Rows.LateEvent();
    late.partition = partition;
    late.offset = offset;
    late.eventId = event.eventId;
    late.eventTime = event.eventTime;
    late.windowStart = windowStart;
    late.region = event.region;
    late.status = event.status;
    late.watermark = watermark;
    late.reason = reason;
    return late;
  }

  /** The alert rules judge each window once, when this partition's own watermark passes its end. */
  void judgeWindows(EngineConfig config, long ownWatermark, Output out) {
    List<Rows.Region> regionRows = new ArrayList<>();
    for (WindowAggregates window : windows.values()) {
      if (window.start <= judgedThrough || window.end > ownWatermark) continue;
      regionRows.clear();
      window.regionRows(partition, regionRows);
      for (Rows.Region row : regionRows) evaluateAlerts(config, row, out, rule -> true);
      judgedThrough = window.start;
    }
    long size = config.windowSizeMs;
    alertCheckAt = ownWatermark == END ? END : startOf(ownWatermark, size) + size;
  }

  private void evaluateAlerts(EngineConfig config, Rows.Region row, Output out, Predicate<AlertRule> judges) {
    for (AlertRule rule : config.alertRules) {
      if (!judges.test(rule)) continue;
      String key = rule.id + "|" + row.region;
      AlertTracker.State tracker = trackers.get(key);
      if (tracker == null) {
        tracker = new AlertTracker.State(rule.id, row.region);
        trackers.put(key, tracker);
      }
      Rows.Alert change = AlertTracker.evaluateWindow(rule, tracker, row, config.windowSizeMs);
      if (change != null) out.row(change);
    }
  }

  /**
   * The overall watermark reached `watermark`: emits the windows that became final and the final
   * windows changed since (late firings); forgets windows past the allowed lateness. At the end of
   * input (END) every window is judged and emitted, as the TS engine's flush does.
   */
  public void emit(EngineConfig config, long watermark, Output out) {
    if (watermark <= emittedWatermark) return;
    if (watermark == END) judgeWindows(config, END, out);
    long previous = emittedWatermark;
    // Never forget a window an event of this partition could still reach (its own watermark).
    long evictAt = Math.min(watermark, ownWatermark(config));
    List<Rows.Row> rows = new ArrayList<>();
    Iterator<Map.Entry<Long, WindowAggregates>> it = windows.entrySet().iterator();
    while (it.hasNext()) {
      WindowAggregates window = it.next().getValue();
      if (window.end > watermark) break;
      boolean newlyFinal = window.end > previous;
      if (newlyFinal || dirty.contains(window.start)) {
        window.rows(partition, rows);
        dirty.remove(window.start);
      }
      if (evictAt != NONE && window.end + config.allowedLatenessMs <= evictAt) it.remove();
    }
    for (Rows.Row row : rows) out.row(row);
    emittedWatermark = watermark;
  }
}
