package com.streampulse.flink;

import com.streampulse.flink.engine.EventDecoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Kafka record → SourceRecord: Avro-decoded, or a dead letter to be; never throws. */
public final class DecodingDeserializer implements KafkaRecordDeserializationSchema<SourceRecord> {
  private static final long serialVersionUID = 1L;
  private transient EventDecoder decoder;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) {
    if (decoder == null) decoder = new EventDecoder();
    SourceRecord r = new SourceRecord();
    r.partition = record.partition();
    r.offset = record.offset();
    try {
      r.event = decoder.decode(record.value(), r.partition, r.offset);
    } catch (EventDecoder.Failure f) {
      r.error = f.getMessage();
      r.raw = f.raw;
      r.rawLength = f.rawLength;
    }
    out.collect(r);
  }

  @Override
  public TypeInformation<SourceRecord> getProducedType() {
    return TypeInformation.of(SourceRecord.class);
  }
}
