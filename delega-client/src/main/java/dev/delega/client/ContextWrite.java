package dev.delega.client;

/**
 * How a context write is guarded and attributed: {@code expectedVersion} (409 {@code
 * version_conflict} when the context moved on), the provenance {@code source} ({@code human_stated,
 * agent_inferred, agent_observed, imported}) and the lease token of a claimed task. Null parts are
 * not sent.
 *
 * @param expectedVersion the version the caller last read, or null
 * @param source the provenance source, or null
 * @param leaseToken the claim's lease token, or null
 */
public record ContextWrite(Long expectedVersion, String source, Long leaseToken) {
  /** No guard, no source, no lease. */
  public static ContextWrite none() {
    return new ContextWrite(null, null, null);
  }

  /** Fails with a version conflict unless the context is still at this version. */
  public static ContextWrite expecting(long version) {
    return new ContextWrite(version, null, null);
  }

  /** This write with an expected version. */
  public ContextWrite withExpectedVersion(long version) {
    return new ContextWrite(version, source, leaseToken);
  }

  /** This write attributed to a provenance source. */
  public ContextWrite withSource(String source) {
    return new ContextWrite(expectedVersion, source, leaseToken);
  }

  /** This write carrying a lease token. */
  public ContextWrite withLeaseToken(long leaseToken) {
    return new ContextWrite(expectedVersion, source, leaseToken);
  }
}
