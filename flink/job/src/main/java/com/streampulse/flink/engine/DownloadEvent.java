package com.streampulse.flink.engine;

/** The fields of a decoded DownloadEvent the engine uses (a Flink POJO: public fields). */
public class DownloadEvent {
  /** The UUID, formatted as the TS formatEventId does. */
  public String eventId;
  public long eventTime;
  public String contentId;
  public String title;
  public String contentType;
  public String region;
  public String deviceType;
  /** SUCCESS, FAILED or SLOW. */
  public String status;
  /** Avro float widened to double, as avsc gives it to JavaScript. */
  public double speedMbps;
  public long durationMs;
  public long bytesDownloaded;

  public DownloadEvent() {}
}
