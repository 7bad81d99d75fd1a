package com.streampulse.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streampulse.flink.engine.AlertRule;
import com.streampulse.flink.engine.EngineConfig;
import com.streampulse.flink.engine.Rows;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The job's config: `--config <base64 of UTF-8 JSON>` (the contract with the app; see README).
 * Never logged whole: it holds passwords.
 */
public final class JobConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public String jobName = "streampulse-engine";
  public String bootstrapServers;
  public String topic;
  public String groupId = "streampulse-flink";
  public Map<String, String> kafkaProperties = new LinkedHashMap<>();
  /** null: the group's committed offsets, else earliest. */
  public Map<Integer, Long> startingOffsets;
  public boolean bounded;
  public String jdbcUrl;
  public String user;
  public String password;
  /** PEM text of the PostgreSQL server's CA (sslmode verify-ca / verify-full), or null. */
  public String caPem;
  public EngineConfig engine = new EngineConfig();
  public long checkpointIntervalMs = 10_000;
  public int parallelism = 1;

  public static JobConfig fromArgs(String[] args) {
    for (int i = 0; i + 1 < args.length; i++) {
      if ("--config".equals(args[i])) return fromBase64(args[i + 1]);
    }
    throw new IllegalArgumentException("usage: StreamPulseJob --config <base64 of the JSON config>");
  }

  public static JobConfig fromBase64(String base64) {
    byte[] json;
    try {
      json = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--config is not base64: " + e.getMessage());
    }
    return fromJson(new String(json, StandardCharsets.UTF_8));
  }

  public static JobConfig fromJson(String json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException("--config is not JSON: " + e.getMessage());
    }
    JobConfig c = new JobConfig();
    c.jobName = text(root, "jobName", c.jobName);
    JsonNode kafka = required(root, "kafka");
    c.bootstrapServers = requiredText(kafka, "bootstrapServers", "kafka");
    c.topic = requiredText(kafka, "topic", "kafka");
    c.groupId = text(kafka, "groupId", c.groupId);
    JsonNode props = kafka.get("properties");
    if (props != null && props.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) c.kafkaProperties.put(e.getKey(), e.getValue().asText());
      }
    }
    JsonNode offsets = kafka.get("startingOffsets");
    if (offsets != null && offsets.isObject()) {
      c.startingOffsets = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = offsets.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) c.startingOffsets.put(Integer.parseInt(e.getKey()), e.getValue().asLong());
      }
    }
    c.bounded = kafka.path("bounded").asBoolean(false);
    JsonNode db = required(root, "database");
    c.jdbcUrl = requiredText(db, "jdbcUrl", "database");
    c.user = text(db, "user", null);
    c.password = text(db, "password", null);
    c.caPem = text(db, "caPem", null);

    JsonNode engine = root.get("engine");
    EngineConfig e = c.engine;
    if (engine != null && engine.isObject()) {
      e.windowSizeMs = engine.path("windowSizeMs").asLong(e.windowSizeMs);
      e.outOfOrdernessMs = engine.path("outOfOrdernessMs").asLong(e.outOfOrdernessMs);
      e.allowedLatenessMs = engine.path("allowedLatenessMs").asLong(e.allowedLatenessMs);
      e.idleTimeoutMs = engine.path("idleTimeoutMs").asLong(e.idleTimeoutMs);
      e.maxFutureMs = engine.path("maxFutureMs").asLong(e.maxFutureMs);
      JsonNode floor = engine.get("floorMs");
      e.floorMs = floor == null || floor.isNull() ? null : floor.asLong();
      JsonNode rules = engine.get("alertRules");
      if (rules != null && rules.isArray()) {
        for (JsonNode r : rules) {
          JsonNode critical = r.get("criticalThreshold");
          e.alertRules.add(new AlertRule(
              text(r, "id", null), text(r, "type", null), text(r, "metric", null),
              text(r, "direction", null), r.path("threshold").asDouble(),
              critical == null || critical.isNull() ? null : critical.asDouble(),
              r.path("consecutiveWindows").asInt(), r.path("minEvents").asInt()));
        }
      }
    }
    JsonNode context = root.get("alertContext");
    if (context != null && context.isObject()) {
      EngineConfig.AlertContext ctx = new EngineConfig.AlertContext();
      for (JsonNode r : context.path("regionRows")) ctx.regionRows.add(regionRow(r));
      for (JsonNode o : context.path("openAlerts")) {
        EngineConfig.OpenAlert open = new EngineConfig.OpenAlert();
        open.partition = o.path("partition").asInt();
        open.alert = alert(o.path("alert"));
        ctx.openAlerts.add(open);
      }
      e.alertContext = ctx;
    }
    c.checkpointIntervalMs = root.path("checkpointIntervalMs").asLong(c.checkpointIntervalMs);
    c.parallelism = root.path("parallelism").asInt(c.parallelism);
    if (c.parallelism < 1) throw new IllegalArgumentException("parallelism must be >= 1");
    if (c.checkpointIntervalMs < 10) throw new IllegalArgumentException("checkpointIntervalMs must be >= 10");
    e.validate();
    return c;
  }

  static Rows.Region regionRow(JsonNode r) {
    Rows.Region row = new Rows.Region();
    row.windowStart = r.path("windowStart").asLong();
    row.windowEnd = r.path("windowEnd").asLong();
    row.partition = r.path("partition").asInt();
    row.region = r.path("region").asText();
    row.total = r.path("total").asInt();
    row.successful = r.path("successful").asInt();
    row.failed = r.path("failed").asInt();
    row.slow = r.path("slow").asInt();
    row.successRate = r.path("successRate").asDouble();
    row.errorRate = r.path("errorRate").asDouble();
    row.avgSpeedMbps = r.path("avgSpeedMbps").asDouble();
    row.p95SpeedMbps = r.path("p95SpeedMbps").asDouble();
    row.speedSumMbps = r.path("speedSumMbps").asDouble();
    return row;
  }

  static Rows.Alert alert(JsonNode a) {
    Rows.Alert alert = new Rows.Alert();
    alert.ruleId = a.path("ruleId").asText();
    alert.type = a.path("type").asText();
    alert.severity = a.path("severity").asText();
    alert.message = a.path("message").asText();
    alert.region = a.path("region").asText();
    alert.metricValue = a.path("metricValue").asDouble();
    alert.thresholdValue = a.path("thresholdValue").asDouble();
    alert.episodeStart = a.path("episodeStart").asLong();
    alert.createdAt = a.path("createdAt").asLong();
    JsonNode resolved = a.get("resolvedAt");
    alert.resolvedAt = resolved == null || resolved.isNull() ? null : resolved.asLong();
    return alert;
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isObject()) throw new IllegalArgumentException("config." + field + " is missing");
    return value;
  }

  private static String requiredText(JsonNode node, String field, String parent) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || value.asText().isEmpty())
      throw new IllegalArgumentException("config." + parent + "." + field + " is missing");
    return value.asText();
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? fallback : value.asText();
  }
}
