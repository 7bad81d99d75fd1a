package com.streampulse.flink.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** The engine part of the job's config (the TS EngineConfig, plus the handover's floor and alert context). */
public final class EngineConfig implements Serializable {
  private static final long serialVersionUID = 1L;
  public long windowSizeMs = 60_000;
  public long outOfOrdernessMs = 5_000;
  public long allowedLatenessMs = 60_000;
  public long idleTimeoutMs = 10_000;
  public long maxFutureMs = 300_000;
  /** Events before this event time are ignored entirely (null: none are). */
  public Long floorMs;
  public List<AlertRule> alertRules = new ArrayList<>();
  /** What the alert rules knew at the floor (a handover); null: nothing. */
  public AlertContext alertContext;

  public void validate() {
    if (windowSizeMs < 1) throw new IllegalArgumentException("engine.windowSizeMs must be >= 1");
    if (outOfOrdernessMs < 0) throw new IllegalArgumentException("engine.outOfOrdernessMs must be >= 0");
    if (allowedLatenessMs < 0) throw new IllegalArgumentException("engine.allowedLatenessMs must be >= 0");
    if (idleTimeoutMs < 1) throw new IllegalArgumentException("engine.idleTimeoutMs must be >= 1");
    if (maxFutureMs < 0) throw new IllegalArgumentException("engine.maxFutureMs must be >= 0");
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < alertRules.size(); i++) {
      alertRules.get(i).validate(i);
      if (!ids.add(alertRules.get(i).id))
        throw new IllegalArgumentException("alertRules[" + i + "].id: \"" + alertRules.get(i).id + "\" is used twice");
    }
  }

  /** AlertContext of alert-tracker.ts: region rows of the windows before the floor, the open alerts. */
  public static final class AlertContext implements Serializable {
    private static final long serialVersionUID = 1L;
    public List<Rows.Region> regionRows = new ArrayList<>();
    public List<OpenAlert> openAlerts = new ArrayList<>();
  }

  public static final class OpenAlert implements Serializable {
    private static final long serialVersionUID = 1L;
    public int partition;
    public Rows.Alert alert;
  }
}
