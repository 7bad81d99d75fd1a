package com.streampulse.flink;

import java.sql.Connection;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * StreamPulse's windows and alerts on Flink: Kafka (Avro DownloadEvents) → the built-in engine's
 * per-partition logic in keyed state → PostgreSQL (the app's tables). See flink/job/README.md.
 *
 * <p>Run: {@code StreamPulseJob --config <base64 of the JSON config>}; submitted through a
 * JobManager's REST API, or in-process (a local MiniCluster) with the Flink jars on the classpath.
 */
public final class StreamPulseJob {
  private static final Logger LOG = LoggerFactory.getLogger(StreamPulseJob.class);

  private StreamPulseJob() {}

  public static void main(String[] args) throws Exception {
    JobConfig config = JobConfig.fromArgs(args);
    // Bad credentials or an unknown database fail the submission with the driver's message.
    try (Connection ignored = PostgresSink.connectOnce(config.jdbcUrl, config.user, config.password, config.caPem)) {
      LOG.info("PostgreSQL reachable at {}", redactUrl(config.jdbcUrl));
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("PostgreSQL: " + e.getMessage(), e);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration());
    build(env, config, partitionCount(config));
    env.execute(config.jobName);
  }

  /** Job-level settings: a restart strategy that gives up on a persistent failure (its reason shows). */
  static Configuration jobConfiguration() {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "failure-rate");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL, 10);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL, Duration.ofMinutes(5));
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY, Duration.ofSeconds(3));
    return conf;
  }

  static void build(StreamExecutionEnvironment env, JobConfig config, int partitions) {
    env.setParallelism(config.parallelism);
    env.enableCheckpointing(config.checkpointIntervalMs, CheckpointingMode.EXACTLY_ONCE);
    env.getConfig().enableObjectReuse();

    KafkaSourceBuilder<SourceRecord> builder = KafkaSource.<SourceRecord>builder()
        .setBootstrapServers(config.bootstrapServers)
        .setTopics(config.topic)
        .setGroupId(config.groupId)
        .setDeserializer(new DecodingDeserializer())
        .setStartingOffsets(startingOffsets(config));
    Properties props = new Properties();
    props.putAll(config.kafkaProperties);
    builder.setProperties(props);
    // Offsets live in Flink's checkpoints; committed to the group too, for lag monitoring.
    builder.setProperty("commit.offsets.on.checkpoint", "true");
    if (config.bounded) builder.setBounded(OffsetsInitializer.latest());
    KafkaSource<SourceRecord> source = builder.build();

    WatermarkStrategy<SourceRecord> watermarks = WatermarkStrategy
        .<SourceRecord>forGenerator(ctx -> new EventWatermarks(config.engine))
        .withTimestampAssigner((record, kafkaTimestamp) ->
            record.event != null ? record.event.eventTime : kafkaTimestamp)
        .withIdleness(Duration.ofMillis(config.engine.idleTimeoutMs));

    int sourceParallelism = Math.max(1, Math.min(config.parallelism, partitions));
    DataStream<SourceRecord> records = env.fromSource(source, watermarks, "kafka-" + config.topic)
        .uid("kafka-source")
        .setParallelism(sourceParallelism);
    records.keyBy(r -> r.partition)
        .process(new PartitionFunction(config.engine))
        .uid("partition-engine")
        .name("windows-and-alerts")
        .sinkTo(new PostgresSink(config.jdbcUrl, config.user, config.password, config.caPem))
        .uid("postgres-sink")
        .name("postgres");
  }

  static OffsetsInitializer startingOffsets(JobConfig config) {
    if (config.startingOffsets == null || config.startingOffsets.isEmpty())
      return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    Map<TopicPartition, Long> offsets = new HashMap<>();
    config.startingOffsets.forEach((p, o) -> offsets.put(new TopicPartition(config.topic, p), o));
    // Partitions not named: the group's committed offsets, else the earliest.
    return OffsetsInitializer.offsets(offsets, OffsetResetStrategy.EARLIEST);
  }

  /** The topic's partitions (for the source's parallelism); the config's parallelism if unknown. */
  static int partitionCount(JobConfig config) {
    Properties props = new Properties();
    props.putAll(config.kafkaProperties);
    props.put("bootstrap.servers", config.bootstrapServers);
    props.put("default.api.timeout.ms", "30000");
    props.put("request.timeout.ms", "30000");
    try (Admin admin = Admin.create(props)) {
      return admin.describeTopics(Collections.singleton(config.topic)).allTopicNames()
          .get(60, TimeUnit.SECONDS).get(config.topic).partitions().size();
    } catch (Exception e) {
      LOG.warn("could not count the partitions of {} ({}); the source runs at parallelism {}",
          config.topic, e.getMessage(), config.parallelism);
      return config.parallelism;
    }
  }

  static String redactUrl(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }
}
