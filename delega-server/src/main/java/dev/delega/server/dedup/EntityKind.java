package dev.delega.server.dedup;

/**
 * What kind of concrete target an extracted {@link Entity} names.
 *
 * <p>Kinds that can name the same thing share a {@link Group}; a task text that names a value in a
 * group that the other text does not name, while the other names a different value in the same
 * group, is about a different target.
 */
enum EntityKind {
  URL(Group.ADDRESS),
  EMAIL(Group.ADDRESS),
  IP(Group.ADDRESS),
  HOST(Group.ADDRESS),
  /**
   * A token mixing letters and digits: {@code prod-db-1}, {@code build-agent-7}, {@code p99},
   * {@code JIRA-42}.
   */
  ID(Group.ADDRESS),
  /**
   * A code symbol: {@code test_refund_full_amount}, {@code events.created_at}, {@code
   * parseHeader()}.
   */
  SYMBOL(Group.SYMBOL),
  PATH(Group.PATH),
  VERSION(Group.VERSION),
  NUMBER(Group.QUANTITY),
  AMOUNT(Group.QUANTITY),
  DATE(Group.DATE),
  FREQUENCY(Group.FREQUENCY),
  /** A deployment environment: production, staging, sandbox. */
  ENVIRONMENT(Group.ENVIRONMENT),
  /** Text in double quotes or backticks: a label, message or value quoted verbatim. */
  LITERAL(Group.LITERAL),
  /** A proper name: a person, company, product, browser, language. */
  NAME(Group.NAME);

  /** Kinds whose values are compared against each other. */
  enum Group {
    ADDRESS,
    SYMBOL,
    PATH,
    VERSION,
    QUANTITY,
    DATE,
    FREQUENCY,
    ENVIRONMENT,
    LITERAL,
    NAME
  }

  private final Group group;

  EntityKind(Group group) {
    this.group = group;
  }

  Group group() {
    return group;
  }

  /**
   * Whether this kind is written in words (March, Friday, Kafka) that also count as ordinary words.
   */
  boolean wordLike() {
    return this == NAME
        || this == DATE
        || this == FREQUENCY
        || this == ENVIRONMENT
        || this == LITERAL;
  }
}
