package com.streampulse.flink.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpeedHistogramTest {
  @Test
  void bucketsAsTheTsHasThem() {
    assertEquals(0, SpeedHistogram.bucketOf(0));
    assertEquals(0, SpeedHistogram.bucketOf(0.01));
    assertEquals(0, SpeedHistogram.bucketOf(Double.NaN));
    assertEquals(SpeedHistogram.BUCKETS - 1, SpeedHistogram.bucketOf(1e9));
    // 1 Mbit/s: floor(ln(100) / ln(1.02)) = 232
    assertEquals(232, SpeedHistogram.bucketOf(1.0));
  }

  @Test
  void theValueTableIsV8sWithinTwoUlpsOfJava() {
    for (int i = 0; i < SpeedHistogram.BUCKETS; i++) {
      double table = SpeedHistogram.bucketValue(i);
      double java = SpeedHistogram.computedBucketValue(i);
      assertTrue(Math.abs(table - java) <= 2 * Math.ulp(java), "bucket " + i);
    }
    // one of the buckets where V8's pow and fdlibm's differ (seen in a comparison run)
    assertEquals(419.3651355699554, SpeedHistogram.bucketValue(SpeedHistogram.bucketOf(419.0)));
  }

  @Test
  void quantileIsNearestRank() {
    int[] h = new int[SpeedHistogram.BUCKETS];
    assertEquals(0, SpeedHistogram.quantile(h, 0, 0.95));
    for (int i = 0; i < 100; i++) h[i] += 1;
    // rank ceil(0.95 * 100) = 95: the 95th bucket (index 94)
    assertEquals(SpeedHistogram.bucketValue(94), SpeedHistogram.quantile(h, 100, 0.95));
    int[] one = new int[SpeedHistogram.BUCKETS];
    one[10] = 1;
    assertEquals(SpeedHistogram.bucketValue(10), SpeedHistogram.quantile(one, 1, 0.95));
  }
}
