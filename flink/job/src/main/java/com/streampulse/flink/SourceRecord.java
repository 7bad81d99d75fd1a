package com.streampulse.flink;

import com.streampulse.flink.engine.DownloadEvent;

/** One Kafka record, decoded (event) or not (error, raw prefix, rawLength). A Flink POJO. */
public class SourceRecord {
  public int partition;
  public long offset;
  /** null when the record did not decode. */
  public DownloadEvent event;
  public String error;
  public byte[] raw;
  public long rawLength;

  public SourceRecord() {}
}
