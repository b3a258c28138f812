package dev.delega.server.dedup;

/**
 * A unit embedding stored as one signed byte per dimension (388 bytes for 384 dimensions instead of
 * 1,536), with the inverse norm of the quantized vector so that cosine similarity is exact on the
 * stored bytes and symmetric.
 *
 * @param values the components scaled to [-127, 127]
 * @param inverseNorm one over the Euclidean norm of {@code values}
 */
record QuantizedVector(byte[] values, float inverseNorm) {

  static QuantizedVector of(float[] v) {
    float max = 0f;
    for (float x : v) {
      max = Math.max(max, Math.abs(x));
    }
    byte[] q = new byte[v.length];
    long norm2 = 0;
    if (max > 0f) {
      for (int i = 0; i < v.length; i++) {
        int b = Math.round(v[i] / max * 127f);
        q[i] = (byte) b;
        norm2 += (long) b * b;
      }
    }
    return new QuantizedVector(q, norm2 == 0 ? 0f : (float) (1.0 / Math.sqrt(norm2)));
  }

  /** Cosine similarity in [-1, 1]; 0 when either vector is zero or the dimensions differ. */
  double cosine(QuantizedVector o) {
    if (values.length != o.values.length) {
      return 0;
    }
    long dot = 0;
    byte[] a = values;
    byte[] b = o.values;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    double c = dot * ((double) inverseNorm * (double) o.inverseNorm); // commutative: symmetric
    return Math.max(-1.0, Math.min(1.0, c));
  }
}
