package com.streampulse.flink.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class EventDecoderTest {
  static byte[] encoded() throws Exception {
    Schema schema = EventDecoder.schema();
    GenericRecord r = new GenericData.Record(schema);
    byte[] id = new byte[16];
    for (int i = 0; i < 16; i++) id[i] = (byte) (i * 17);
    r.put("eventId", new GenericData.Fixed(schema.getField("eventId").schema(), id));
    r.put("eventTime", 1_795_521_600_123L);
    r.put("userId", "u1");
    Schema contentSchema = schema.getField("content").schema();
    GenericRecord content = new GenericData.Record(contentSchema);
    content.put("contentId", "c-1");
    content.put("title", "A Title");
    content.put("type", new GenericData.EnumSymbol(contentSchema.getField("type").schema(), "MUSIC"));
    content.put("sizeBytes", 1000L);
    r.put("content", content);
    r.put("region", "EU-London");
    Schema deviceSchema = schema.getField("device").schema();
    GenericRecord device = new GenericData.Record(deviceSchema);
    device.put("type", new GenericData.EnumSymbol(deviceSchema.getField("type").schema(), "IPAD"));
    device.put("os", new GenericData.EnumSymbol(deviceSchema.getField("os").schema(), "IPADOS"));
    device.put("osVersion", "18.1");
    r.put("device", device);
    r.put("network", new GenericData.EnumSymbol(schema.getField("network").schema(), "WIFI"));
    r.put("status", new GenericData.EnumSymbol(schema.getField("status").schema(), "FAILED"));
    r.put("speedMbps", 12.5f);
    r.put("durationMs", 3000L);
    r.put("bytesDownloaded", 400L);
    r.put("errorCode", "E42");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(r, enc);
    enc.flush();
    return out.toByteArray();
  }

  @Test
  void decodesAnEvent() throws Exception {
    DownloadEvent e = new EventDecoder().decode(encoded(), 0, 0);
    assertEquals("00112233-4455-6677-8899-aabbccddeeff", e.eventId);
    assertEquals(1_795_521_600_123L, e.eventTime);
    assertEquals("c-1", e.contentId);
    assertEquals("MUSIC", e.contentType);
    assertEquals("IPAD", e.deviceType);
    assertEquals("FAILED", e.status);
    assertEquals(12.5, e.speedMbps);
    assertEquals(400L, e.bytesDownloaded);
  }

  @Test
  void undecodableRecordsBecomeFailuresWithTheTsMessages() throws Exception {
    EventDecoder decoder = new EventDecoder();
    EventDecoder.Failure empty = assertThrows(EventDecoder.Failure.class, () -> decoder.decode(new byte[0], 1, 7));
    assertEquals("undecodable event at partition 1, offset 7: empty value (a tombstone, or a record written without a value) (0 bytes)", empty.getMessage());
    EventDecoder.Failure shortOne = assertThrows(EventDecoder.Failure.class, () -> decoder.decode("poison 0".getBytes(), 0, 3));
    assertEquals("undecodable event at partition 0, offset 3: truncated record (8 bytes)", shortOne.getMessage());
    byte[] good = encoded();
    byte[] trailing = Arrays.copyOf(good, good.length + 2);
    EventDecoder.Failure extra = assertThrows(EventDecoder.Failure.class, () -> decoder.decode(trailing, 0, 4));
    assertEquals("undecodable event at partition 0, offset 4: 2 trailing bytes after the record (" + trailing.length + " bytes)", extra.getMessage());
    byte[] truncated = Arrays.copyOf(good, good.length - 3);
    EventDecoder.Failure cut = assertThrows(EventDecoder.Failure.class, () -> decoder.decode(truncated, 0, 5));
    assertEquals("undecodable event at partition 0, offset 5: truncated record (" + truncated.length + " bytes)", cut.getMessage());
    byte[] big = new byte[5000];
    Arrays.fill(big, (byte) 0xff);
    EventDecoder.Failure huge = assertThrows(EventDecoder.Failure.class, () -> decoder.decode(big, 2, 9));
    assertEquals(EventDecoder.DEAD_LETTER_RAW_MAX, huge.raw.length);
    assertEquals(5000, huge.rawLength);
    assertEquals(true, huge.getMessage().endsWith("(5000 bytes; the first 4096 kept)"));
    // and the decoder still decodes after failures
    assertEquals("EU-London", decoder.decode(good, 0, 6).region);
  }
}
