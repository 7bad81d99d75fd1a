package com.streampulse.flink.engine;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * What one window of one source partition accumulates (window-aggregates.ts): per content, per
 * region and per device; doubles summed in the partition's offset order, as the TS does.
 */
public final class WindowAggregates implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final class ContentAgg implements Serializable {
    private static final long serialVersionUID = 1L;
    public String contentId, title, contentType;
    public int total, successful, failed, slow;
    public long bytes;
  }

  public static final class RegionAgg implements Serializable {
    private static final long serialVersionUID = 1L;
    public String region;
    public int total, successful, failed, slow;
    public double speedSum;
    public int[] speeds = new int[SpeedHistogram.BUCKETS];
  }

  public static final class DeviceAgg implements Serializable {
    private static final long serialVersionUID = 1L;
    public String deviceType;
    public int total, successful, failed, slow;
    public double speedSum, durationSum;
  }

  public long start;
  public long end;
  public LinkedHashMap<String, ContentAgg> content = new LinkedHashMap<>();
  public LinkedHashMap<String, RegionAgg> region = new LinkedHashMap<>();
  public LinkedHashMap<String, DeviceAgg> device = new LinkedHashMap<>();
  public long events;

  public WindowAggregates() {}

  public WindowAggregates(long start, long end) {
    this.start = start;
    this.end = end;
  }

  public void add(DownloadEvent e) {
    events++;
    ContentAgg c = content.get(e.contentId);
    if (c == null) {
      c = new ContentAgg();
      c.contentId = e.contentId;
      c.title = e.title;
      c.contentType = e.contentType;
      content.put(e.contentId, c);
    }
    c.total++;
    switch (e.status) {
      case "SUCCESS": c.successful++; break;
      case "FAILED": c.failed++; break;
      default: c.slow++;
    }
    c.bytes += e.bytesDownloaded;

    RegionAgg r = region.get(e.region);
    if (r == null) {
      r = new RegionAgg();
      r.region = e.region;
      region.put(e.region, r);
    }
    r.total++;
    switch (e.status) {
      case "SUCCESS": r.successful++; break;
      case "FAILED": r.failed++; break;
      default: r.slow++;
    }
    r.speedSum += e.speedMbps;
    r.speeds[SpeedHistogram.bucketOf(e.speedMbps)] += 1;

    DeviceAgg d = device.get(e.deviceType);
    if (d == null) {
      d = new DeviceAgg();
      d.deviceType = e.deviceType;
      device.put(e.deviceType, d);
    }
    d.total++;
    switch (e.status) {
      case "SUCCESS": d.successful++; break;
      case "FAILED": d.failed++; break;
      default: d.slow++;
    }
    d.speedSum += e.speedMbps;
    d.durationSum += (double) e.durationMs;
  }

  /** The region rows only (what the alert rules judge). */
  public void regionRows(int partition, List<Rows.Region> into) {
    for (RegionAgg a : region.values()) into.add(regionRow(a, partition));
  }

  /** Every row of this window (window-rows.ts appendRows). */
  public void rows(int partition, List<Rows.Row> into) {
    for (ContentAgg a : content.values()) {
      Rows.Content row = new Rows.Content();
      row.windowStart = start; row.windowEnd = end; row.partition = partition;
      row.contentId = a.contentId; row.title = a.title; row.contentType = a.contentType;
      row.downloads = a.total; row.successful = a.successful; row.failed = a.failed; row.slow = a.slow;
      row.bytes = a.bytes;
      into.add(row);
    }
    for (RegionAgg a : region.values()) into.add(regionRow(a, partition));
    for (DeviceAgg a : device.values()) {
      Rows.Device row = new Rows.Device();
      row.windowStart = start; row.windowEnd = end; row.partition = partition;
      row.deviceType = a.deviceType;
      row.downloads = a.total; row.successful = a.successful; row.failed = a.failed; row.slow = a.slow;
      row.successRate = (double) a.successful / a.total;
      row.avgSpeedMbps = a.speedSum / a.total;
      row.avgDurationMs = a.durationSum / a.total;
      row.speedSumMbps = a.speedSum;
      row.durationSumMs = a.durationSum;
      into.add(row);
    }
  }

  private Rows.Region regionRow(RegionAgg a, int partition) {
    Rows.Region row = new Rows.Region();
    row.windowStart = start; row.windowEnd = end; row.partition = partition;
    row.region = a.region;
    row.total = a.total; row.successful = a.successful; row.failed = a.failed; row.slow = a.slow;
    row.successRate = (double) a.successful / a.total;
    row.errorRate = (double) a.failed / a.total;
    row.avgSpeedMbps = a.speedSum / a.total;
    row.p95SpeedMbps = SpeedHistogram.quantile(a.speeds, a.total, 0.95);
    row.speedSumMbps = a.speedSum;
    return row;
  }
}
