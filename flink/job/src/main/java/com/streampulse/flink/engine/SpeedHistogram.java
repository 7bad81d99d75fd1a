package com.streampulse.flink.engine;

/**
 * The built-in engine's p95 (src/main/engine/speed-histogram.ts), bucket for bucket: log-scale
 * buckets growing by 2% from 0.01 Mbit/s, 700 of them, nearest-rank quantile, a bucket's geometric
 * middle as its value. StrictMath.log (fdlibm) gives V8's buckets; the bucket values come from a
 * table V8 computed (scripts/speed-bucket-values.mjs), as V8's pow differs from Java's in the last bit.
 */
public final class SpeedHistogram {
  private static final double MIN_SPEED = 0.01;
  private static final double GROWTH = 1.02;
  private static final double LOG_GROWTH = StrictMath.log(GROWTH);
  private static final double LOG_MIN = StrictMath.log(MIN_SPEED);
  public static final int BUCKETS = 700;

  private SpeedHistogram() {}

  public static int bucketOf(double speed) {
    if (!(speed > MIN_SPEED)) return 0;
    double index = Math.floor((StrictMath.log(speed) - LOG_MIN) / LOG_GROWTH);
    return index < BUCKETS ? (int) index : BUCKETS - 1;
  }

  private static final double[] VALUES = loadValues();

  private static double[] loadValues() {
    String resource = "/streampulse/speed-bucket-values.txt";
    try (java.io.InputStream in = SpeedHistogram.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " is not in the jar");
      String[] lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim().split("\n");
      if (lines.length != BUCKETS)
        throw new IllegalStateException(resource + " has " + lines.length + " values, not " + BUCKETS);
      double[] values = new double[BUCKETS];
      for (int i = 0; i < BUCKETS; i++) values[i] = Double.parseDouble(lines[i].trim());
      return values;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The representative speed of a bucket: its geometric middle (V8's 0.01 * 1.02 ** (i + 0.5)). */
  public static double bucketValue(int index) {
    return VALUES[index];
  }

  /** The same, computed in Java (within two ulps of the table; for tests). */
  static double computedBucketValue(int index) {
    return MIN_SPEED * StrictMath.pow(GROWTH, index + 0.5);
  }

  /** The q-quantile (0..1) by the nearest-rank method over the buckets; 0 when empty. */
  public static double quantile(int[] histogram, long count, double q) {
    if (count == 0) return 0;
    double rank = Math.max(1, Math.ceil(q * count));
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen >= rank) return bucketValue(i);
    }
    return bucketValue(histogram.length - 1);
  }
}
