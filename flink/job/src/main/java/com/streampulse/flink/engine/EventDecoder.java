package com.streampulse.flink.engine;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes a Kafka record's value (Avro binary, no framing) with the app's own schema
 * (src/main/events/download-event.avsc, copied into the jar at build time). A record that does not
 * decode becomes a {@link Failure} with the TS EventDecodeError's message and a bounded prefix.
 */
public final class EventDecoder {
  /** DEAD_LETTER_RAW_MAX of event-decode-error.ts. */
  public static final int DEAD_LETTER_RAW_MAX = 4096;
  public static final String SCHEMA_RESOURCE = "/streampulse/download-event.avsc";

  private final GenericDatumReader<GenericRecord> reader;
  private BinaryDecoder decoder;
  private GenericRecord reuse;

  public EventDecoder() {
    this.reader = new GenericDatumReader<>(schema());
  }

  public static Schema schema() {
    try (InputStream in = EventDecoder.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) throw new IllegalStateException(SCHEMA_RESOURCE + " is not in the jar");
      return new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A record that did not decode. */
  public static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    public final byte[] raw;
    public final long rawLength;

    Failure(String reason, byte[] value, int partition, long offset) {
      super(message(reason, value == null ? 0 : value.length, partition, offset));
      int length = value == null ? 0 : value.length;
      this.raw = value == null ? new byte[0] : Arrays.copyOf(value, Math.min(length, DEAD_LETTER_RAW_MAX));
      this.rawLength = length;
    }

    static String message(String reason, int length, int partition, long offset) {
      String kept = length > DEAD_LETTER_RAW_MAX ? "; the first " + DEAD_LETTER_RAW_MAX + " kept" : "";
      return "undecodable event at partition " + partition + ", offset " + offset + ": " + reason
          + " (" + length + " bytes" + kept + ")";
    }
  }

  public DownloadEvent decode(byte[] value, int partition, long offset) throws Failure {
    if (value == null || value.length == 0)
      throw new Failure("empty value (a tombstone, or a record written without a value)", value, partition, offset);
    GenericRecord r;
    boolean atEnd;
    int consumed;
    try {
      decoder = DecoderFactory.get().binaryDecoder(value, decoder);
      r = reader.read(reuse, decoder);
      reuse = r;
      atEnd = decoder.isEnd();
      consumed = atEnd ? value.length : value.length - decoder.inputStream().available();
    } catch (EOFException e) {
      throw new Failure("truncated record", value, partition, offset);
    } catch (IOException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new Failure(reason, value, partition, offset);
    }
    if (!atEnd)
      throw new Failure((value.length - consumed) + " trailing bytes after the record", value, partition, offset);
    return toEvent(r);
  }

  private static DownloadEvent toEvent(GenericRecord r) {
    DownloadEvent e = new DownloadEvent();
    e.eventId = formatEventId(((GenericData.Fixed) r.get("eventId")).bytes());
    e.eventTime = (Long) r.get("eventTime");
    GenericRecord content = (GenericRecord) r.get("content");
    e.contentId = content.get("contentId").toString();
    e.title = content.get("title").toString();
    e.contentType = content.get("type").toString();
    e.region = r.get("region").toString();
    e.deviceType = ((GenericRecord) r.get("device")).get("type").toString();
    e.status = r.get("status").toString();
    e.speedMbps = (double) (Float) r.get("speedMbps");
    e.durationMs = (Long) r.get("durationMs");
    e.bytesDownloaded = (Long) r.get("bytesDownloaded");
    return e;
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** formatEventId of download-event.ts: 8-4-4-4-12 lower-case hex. */
  public static String formatEventId(byte[] id) {
    StringBuilder s = new StringBuilder(36);
    for (int i = 0; i < id.length; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) s.append('-');
      s.append(HEX[(id[i] >> 4) & 15]).append(HEX[id[i] & 15]);
    }
    return s.toString();
  }
}
