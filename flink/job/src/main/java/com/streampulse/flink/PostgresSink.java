package com.streampulse.flink;

import com.streampulse.flink.engine.Rows;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Rows into PostgreSQL: buffered (one entry per primary key, the newest full values), flushed on
 * every checkpoint (SinkWriter.flush, before the barrier goes on), at the end of input and when the
 * buffer is large, as one multi-row `INSERT … SELECT … FROM unnest(…) ON CONFLICT …` per table, all
 * in one transaction. After a restore, replayed records rewrite the same full values. Window rows
 * upsert every column but the insert-only ones (as upsert-rows.ts); alerts update severity, message,
 * metric_value and resolved_at only (never acknowledged); late events and dead letters DO NOTHING.
 */
public final class PostgresSink implements Sink<Rows.Row> {
  private static final long serialVersionUID = 1L;
  static final int MAX_BUFFERED = 50_000;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final String caPem;

  public PostgresSink(String jdbcUrl, String user, String password, String caPem) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.caPem = caPem;
  }

  @Override
  public SinkWriter<Rows.Row> createWriter(WriterInitContext context) throws IOException {
    try {
      return new Writer(connectOnce(jdbcUrl, user, password, caPem));
    } catch (SQLException e) {
      throw new IOException("PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** A connection, or the driver's own message (bad credentials fail the job, never retry quietly). */
  static Connection connectOnce(String jdbcUrl, String user, String password, String caPem)
      throws SQLException {
    Properties props = new Properties();
    if (user != null) props.setProperty("user", user);
    if (password != null) props.setProperty("password", password);
    // The server's CA travels as PEM text in the config; the driver reads it from a file.
    if (caPem != null && !caPem.isEmpty()) props.setProperty("sslrootcert", caFile(caPem));
    props.setProperty("ApplicationName", "streampulse-flink");
    props.setProperty("connectTimeout", "30");
    Connection c = new org.postgresql.Driver().connect(jdbcUrl, props);
    if (c == null) throw new SQLException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db)");
    c.setAutoCommit(false);
    return c;
  }

  /** The CA written once per JVM to a private temp file named by its hash. */
  private static synchronized String caFile(String caPem) throws SQLException {
    try {
      byte[] bytes = caPem.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      String hash =
          java.util.HexFormat.of()
              .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes))
              .substring(0, 16);
      java.nio.file.Path file =
          java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "streampulse-ca-" + hash + ".pem");
      if (!java.nio.file.Files.exists(file)) {
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile("streampulse-ca-", ".pem");
        java.nio.file.Files.write(tmp, bytes);
        java.nio.file.Files.move(
            tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      return file.toString();
    } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
      throw new SQLException("cannot write the PostgreSQL CA certificate to a file: " + e.getMessage(), e);
    }
  }

  static final class Writer implements SinkWriter<Rows.Row> {
    private final Connection connection;
    private final Map<String, Rows.Content> content = new LinkedHashMap<>();
    private final Map<String, Rows.Region> region = new LinkedHashMap<>();
    private final Map<String, Rows.Device> device = new LinkedHashMap<>();
    private final Map<String, Rows.Alert> alerts = new LinkedHashMap<>();
    private final Map<String, Rows.LateEvent> late = new LinkedHashMap<>();
    private final Map<String, Rows.DeadLetter> dead = new LinkedHashMap<>();
    private int buffered;

    Writer(Connection connection) {
      this.connection = connection;
    }

    @Override
    public void write(Rows.Row row, Context context) throws IOException {
      if (row instanceof Rows.Content) content.put(row.key(), (Rows.Content) row);
      else if (row instanceof Rows.Region) region.put(row.key(), (Rows.Region) row);
      else if (row instanceof Rows.Device) device.put(row.key(), (Rows.Device) row);
      else if (row instanceof Rows.Alert) alerts.put(row.key(), (Rows.Alert) row);
      else if (row instanceof Rows.LateEvent) late.putIfAbsent(row.key(), (Rows.LateEvent) row);
      else if (row instanceof Rows.DeadLetter) dead.putIfAbsent(row.key(), (Rows.DeadLetter) row);
      if (++buffered >= MAX_BUFFERED) flush(false);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      if (content.isEmpty() && region.isEmpty() && device.isEmpty() && alerts.isEmpty()
          && late.isEmpty() && dead.isEmpty()) {
        buffered = 0;
        return;
      }
      try {
        writeContent(content.values());
        writeRegion(region.values());
        writeDevice(device.values());
        writeAlerts(alerts.values());
        writeLate(late.values());
        writeDead(dead.values());
        connection.commit();
      } catch (SQLException e) {
        try {
          connection.rollback();
        } catch (SQLException ignored) {
          // the connection may be gone; the job fails and restores either way
        }
        throw new IOException("PostgreSQL: " + e.getMessage(), e);
      }
      content.clear();
      region.clear();
      device.clear();
      alerts.clear();
      late.clear();
      dead.clear();
      buffered = 0;
    }

    private static final String E = "timestamptz 'epoch'";
    private static final String MS = " * interval '1 millisecond'";

    private static String at(String column) {
      return E + " + " + column + MS;
    }

    private void writeContent(Collection<Rows.Content> rows) throws SQLException {
      if (rows.isEmpty()) return;
      String sql = "INSERT INTO content_stats (window_start, window_end, source_partition, content_id, title,"
          + " content_type, download_count, successful_downloads, failed_downloads, slow_downloads, bytes_downloaded)"
          + " SELECT " + at("ws") + ", " + at("we") + ", p, cid, title, ctype, n, s, f, sl, b"
          + " FROM unnest(?::int8[], ?::int8[], ?::int4[], ?::text[], ?::text[], ?::text[], ?::int4[], ?::int4[],"
          + " ?::int4[], ?::int4[], ?::int8[]) AS t(ws, we, p, cid, title, ctype, n, s, f, sl, b)"
          + " ON CONFLICT (window_start, content_id, source_partition) DO UPDATE SET title = EXCLUDED.title,"
          + " download_count = EXCLUDED.download_count, successful_downloads = EXCLUDED.successful_downloads,"
          + " failed_downloads = EXCLUDED.failed_downloads, slow_downloads = EXCLUDED.slow_downloads,"
          + " bytes_downloaded = EXCLUDED.bytes_downloaded, updated_at = now()";
      try (PreparedStatement st = connection.prepareStatement(sql)) {
        int i = 1;
        st.setArray(i++, array("int8", rows, r -> r.windowStart));
        st.setArray(i++, array("int8", rows, r -> r.windowEnd));
        st.setArray(i++, array("int4", rows, r -> r.partition));
        st.setArray(i++, array("text", rows, r -> r.contentId));
        st.setArray(i++, array("text", rows, r -> r.title));
        st.setArray(i++, array("text", rows, r -> r.contentType));
        st.setArray(i++, array("int4", rows, r -> r.downloads));
        st.setArray(i++, array("int4", rows, r -> r.successful));
        st.setArray(i++, array("int4", rows, r -> r.failed));
        st.setArray(i++, array("int4", rows, r -> r.slow));
        st.setArray(i++, array("int8", rows, r -> r.bytes));
        st.executeUpdate();
      }
    }

    private void writeRegion(Collection<Rows.Region> rows) throws SQLException {
      if (rows.isEmpty()) return;
      String sql = "INSERT INTO region_health (window_start, window_end, source_partition, region, total_downloads,"
          + " successful_downloads, failed_downloads, slow_downloads, success_rate, error_rate, avg_speed_mbps,"
          + " p95_speed_mbps, speed_sum_mbps)"
          + " SELECT " + at("ws") + ", " + at("we") + ", p, region, n, s, f, sl, sr, er, avg, p95, sum"
          + " FROM unnest(?::int8[], ?::int8[], ?::int4[], ?::text[], ?::int4[], ?::int4[], ?::int4[], ?::int4[],"
          + " ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[])"
          + " AS t(ws, we, p, region, n, s, f, sl, sr, er, avg, p95, sum)"
          + " ON CONFLICT (window_start, region, source_partition) DO UPDATE SET"
          + " total_downloads = EXCLUDED.total_downloads, successful_downloads = EXCLUDED.successful_downloads,"
          + " failed_downloads = EXCLUDED.failed_downloads, slow_downloads = EXCLUDED.slow_downloads,"
          + " success_rate = EXCLUDED.success_rate, error_rate = EXCLUDED.error_rate,"
          + " avg_speed_mbps = EXCLUDED.avg_speed_mbps, p95_speed_mbps = EXCLUDED.p95_speed_mbps,"
          + " speed_sum_mbps = EXCLUDED.speed_sum_mbps, updated_at = now()";
      try (PreparedStatement st = connection.prepareStatement(sql)) {
        int i = 1;
        st.setArray(i++, array("int8", rows, r -> r.windowStart));
        st.setArray(i++, array("int8", rows, r -> r.windowEnd));
        st.setArray(i++, array("int4", rows, r -> r.partition));
        st.setArray(i++, array("text", rows, r -> r.region));
        st.setArray(i++, array("int4", rows, r -> r.total));
        st.setArray(i++, array("int4", rows, r -> r.successful));
        st.setArray(i++, array("int4", rows, r -> r.failed));
        st.setArray(i++, array("int4", rows, r -> r.slow));
        st.setArray(i++, array("float8", rows, r -> r.successRate));
        st.setArray(i++, array("float8", rows, r -> r.errorRate));
        st.setArray(i++, array("float8", rows, r -> r.avgSpeedMbps));
        st.setArray(i++, array("float8", rows, r -> r.p95SpeedMbps));
        st.setArray(i++, array("float8", rows, r -> r.speedSumMbps));
        st.executeUpdate();
      }
    }

    private void writeDevice(Collection<Rows.Device> rows) throws SQLException {
      if (rows.isEmpty()) return;
      String sql = "INSERT INTO device_stats (window_start, window_end, source_partition, device_type, downloads,"
          + " successful_downloads, failed_downloads, slow_downloads, success_rate, avg_speed_mbps,"
          + " avg_duration_ms, speed_sum_mbps, duration_sum_ms)"
          + " SELECT " + at("ws") + ", " + at("we") + ", p, dt, n, s, f, sl, sr, avg, dur, sum, dsum"
          + " FROM unnest(?::int8[], ?::int8[], ?::int4[], ?::text[], ?::int4[], ?::int4[], ?::int4[], ?::int4[],"
          + " ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[])"
          + " AS t(ws, we, p, dt, n, s, f, sl, sr, avg, dur, sum, dsum)"
          + " ON CONFLICT (window_start, device_type, source_partition) DO UPDATE SET"
          + " downloads = EXCLUDED.downloads, successful_downloads = EXCLUDED.successful_downloads,"
          + " failed_downloads = EXCLUDED.failed_downloads, slow_downloads = EXCLUDED.slow_downloads,"
          + " success_rate = EXCLUDED.success_rate, avg_speed_mbps = EXCLUDED.avg_speed_mbps,"
          + " avg_duration_ms = EXCLUDED.avg_duration_ms, speed_sum_mbps = EXCLUDED.speed_sum_mbps,"
          + " duration_sum_ms = EXCLUDED.duration_sum_ms, updated_at = now()";
      try (PreparedStatement st = connection.prepareStatement(sql)) {
        int i = 1;
        st.setArray(i++, array("int8", rows, r -> r.windowStart));
        st.setArray(i++, array("int8", rows, r -> r.windowEnd));
        st.setArray(i++, array("int4", rows, r -> r.partition));
        st.setArray(i++, array("text", rows, r -> r.deviceType));
        st.setArray(i++, array("int4", rows, r -> r.downloads));
        st.setArray(i++, array("int4", rows, r -> r.successful));
        st.setArray(i++, array("int4", rows, r -> r.failed));
        st.setArray(i++, array("int4", rows, r -> r.slow));
        st.setArray(i++, array("float8", rows, r -> r.successRate));
        st.setArray(i++, array("float8", rows, r -> r.avgSpeedMbps));
        st.setArray(i++, array("float8", rows, r -> r.avgDurationMs));
        st.setArray(i++, array("float8", rows, r -> r.speedSumMbps));
        st.setArray(i++, array("float8", rows, r -> r.durationSumMs));
        st.executeUpdate();
      }
    }

    private void writeAlerts(Collection<Rows.Alert> rows) throws SQLException {
      if (rows.isEmpty()) return;
      String sql = "INSERT INTO alerts (rule_id, alert_type, severity, message, region, metric_value,"
          + " threshold_value, episode_start, created_at, resolved_at)"
          + " SELECT rid, typ, sev, msg, region, mv, tv, " + at("es") + ", " + at("ca") + ", " + at("ra")
          + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::float8[], ?::float8[],"
          + " ?::int8[], ?::int8[], ?::int8[]) AS t(rid, typ, sev, msg, region, mv, tv, es, ca, ra)"
          + " ON CONFLICT (rule_id, region, episode_start) DO UPDATE SET severity = EXCLUDED.severity,"
          + " message = EXCLUDED.message, metric_value = EXCLUDED.metric_value, resolved_at = EXCLUDED.resolved_at";
      try (PreparedStatement st = connection.prepareStatement(sql)) {
        int i = 1;
        st.setArray(i++, array("text", rows, r -> r.ruleId));
        st.setArray(i++, array("text", rows, r -> r.type));
        st.setArray(i++, array("text", rows, r -> r.severity));
        st.setArray(i++, array("text", rows, r -> r.message));
        st.setArray(i++, array("text", rows, r -> r.region));
        st.setArray(i++, array("float8", rows, r -> r.metricValue));
        st.setArray(i++, array("float8", rows, r -> r.thresholdValue));
        st.setArray(i++, array("int8", rows, r -> r.episodeStart));
        st.setArray(i++, array("int8", rows, r -> r.createdAt));
        st.setArray(i++, array("int8", rows, r -> r.resolvedAt));
        st.executeUpdate();
      }
    }

    private void writeLate(Collection<Rows.LateEvent> rows) throws SQLException {
      if (rows.isEmpty()) return;
      String sql = "INSERT INTO late_events (source_partition, source_offset, event_id, event_time, window_start,"
          + " region, status, watermark, reason)"
          + " SELECT p, o, id::uuid, " + at("et") + ", " + at("ws") + ", region, status,"
          + " CASE WHEN wm = " + Long.MIN_VALUE + " THEN '-infinity'::timestamptz ELSE " + at("wm") + " END, reason"
          + " FROM unnest(?::int4[], ?::int8[], ?::text[], ?::int8[], ?::int8[], ?::text[], ?::text[], ?::int8[],"
          + " ?::text[]) AS t(p, o, id, et, ws, region, status, wm, reason)"
          + " ON CONFLICT DO NOTHING";
      try (PreparedStatement st = connection.prepareStatement(sql)) {
        int i = 1;
        st.setArray(i++, array("int4", rows, r -> r.partition));
        st.setArray(i++, array("int8", rows, r -> r.offset));
        st.setArray(i++, array("text", rows, r -> r.eventId));
        st.setArray(i++, array("int8", rows, r -> r.eventTime));
        st.setArray(i++, array("int8", rows, r -> r.windowStart));
        st.setArray(i++, array("text", rows, r -> r.region));
        st.setArray(i++, array("text", rows, r -> r.status));
        st.setArray(i++, array("int8", rows, r -> r.watermark));
        st.setArray(i++, array("text", rows, r -> r.reason));
        st.executeUpdate();
      }
    }

    private void writeDead(Collection<Rows.DeadLetter> rows) throws SQLException {
      if (rows.isEmpty()) return;
      String sql = "INSERT INTO dead_letters (source_partition, source_offset, error, raw, raw_length)"
          + " SELECT * FROM unnest(?::int4[], ?::int8[], ?::text[], ?::bytea[], ?::int8[])"
          + " ON CONFLICT DO NOTHING";
      try (PreparedStatement st = connection.prepareStatement(sql)) {
        int i = 1;
        st.setArray(i++, array("int4", rows, r -> r.partition));
        st.setArray(i++, array("int8", rows, r -> r.offset));
        st.setArray(i++, array("text", rows, r -> r.error));
        List<byte[]> raws = new ArrayList<>();
        for (Rows.DeadLetter r : rows) raws.add(r.raw);
        st.setArray(i++, connection.createArrayOf("bytea", raws.toArray(new byte[0][])));
        st.setArray(i++, array("int8", rows, r -> r.rawLength));
        st.executeUpdate();
      }
    }

    private <R> Array array(String type, Collection<R> rows, Function<R, Object> value) throws SQLException {
      Object[] values;
      switch (type) {
        case "int4": values = new Integer[rows.size()]; break;
        case "int8": values = new Long[rows.size()]; break;
        case "float8": values = new Double[rows.size()]; break;
        default: values = new String[rows.size()];
      }
      int i = 0;
      for (R row : rows) values[i++] = value.apply(row);
      return connection.createArrayOf(type, values);
    }

    @Override
    public void close() throws Exception {
      connection.close();
    }
  }
}
