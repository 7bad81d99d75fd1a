package com.streampulse.flink.engine;

import java.io.Serializable;

/** One alert rule, the fields of the TS AlertRule (src/main/engine/alert-rules.ts). */
public final class AlertRule implements Serializable {
  private static final long serialVersionUID = 1L;
  public String id;
  public String type;
  /** errorRate, slowRate or downloads. */
  public String metric;
  /** above or below. */
  public String direction;
  public double threshold;
  /** null: never CRITICAL. */
  public Double criticalThreshold;
  public int consecutiveWindows;
  public int minEvents;

  public AlertRule() {}

  public AlertRule(String id, String type, String metric, String direction, double threshold,
      Double criticalThreshold, int consecutiveWindows, int minEvents) {
    this.id = id;
    this.type = type;
    this.metric = metric;
    this.direction = direction;
    this.threshold = threshold;
    this.criticalThreshold = criticalThreshold;
    this.consecutiveWindows = consecutiveWindows;
    this.minEvents = minEvents;
  }

  public double metricOf(Rows.Region row) {
    switch (metric) {
      case "errorRate": return (double) row.failed / row.total;
      case "slowRate": return (double) row.slow / row.total;
      case "downloads": return row.total;
      default: throw new IllegalArgumentException("unknown alert metric " + metric);
    }
  }

  public boolean breaches(double value) {
    return breaches(value, threshold);
  }

  public boolean breaches(double value, double threshold) {
    return "above".equals(direction) ? value > threshold : value < threshold;
  }

  public String severityOf(double peak) {
    return criticalThreshold != null && breaches(peak, criticalThreshold) ? "CRITICAL" : "WARNING";
  }

  public void validate(int i) {
    String field = "alertRules[" + i + "]";
    if (id == null || !id.matches("^[a-z0-9-]{1,64}$"))
      throw new IllegalArgumentException(field + ".id: use 1-64 lower-case letters, digits and dashes");
    if (type == null) throw new IllegalArgumentException(field + ".type is missing");
    if (!"errorRate".equals(metric) && !"slowRate".equals(metric) && !"downloads".equals(metric))
      throw new IllegalArgumentException(field + ".metric: one of errorRate, slowRate, downloads");
    if (!"above".equals(direction) && !"below".equals(direction))
      throw new IllegalArgumentException(field + ".direction: above or below");
    if (consecutiveWindows < 1) throw new IllegalArgumentException(field + ".consecutiveWindows must be >= 1");
  }
}
