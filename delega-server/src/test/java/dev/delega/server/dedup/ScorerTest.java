package dev.delega.server.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScorerTest {
  private static SimilarityIndex hybrid;
  private static SimilarityIndex lexical;

  @BeforeAll
  static void load() {
    hybrid = SimilarityIndex.create(DedupMode.HYBRID);
    lexical = SimilarityIndex.create(DedupMode.LEXICAL);
  }

  @AfterAll
  static void close() {
    hybrid.close();
    lexical.close();
  }

  @Test
  void modelLoads() {
    assertThat(hybrid.mode()).isEqualTo(DedupMode.HYBRID);
  }

  @ParameterizedTest(name = "{0} | {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Renew the TLS certificate for api.example.com | Renew the TLS certificate for www.example.com
          Check disk usage on prod-db-1                 | Check disk usage on prod-db-2
          Upgrade Kafka to v3.7                         | Upgrade Kafka to v3.8
          Refund order #1234                            | Refund order #1235
          Pay the hosting invoice for 2026-03           | Pay the hosting invoice for 2026-04
          Pay the hosting invoice for March             | Pay the hosting invoice for April
          Clean up /var/log on the build host           | Clean up /var/lib on the build host
          Approve the $40 refund for Alice              | Approve the $400 refund for Alice
          Ask Alice to review the budget                | Ask Bob to review the budget
          Fix the broken login button on Safari         | Fix the broken login button on Firefox
          Back up the Elasticsearch indices nightly     | Back up the Elasticsearch indices weekly
          Fix flaky test test_refund_partial_amount     | Fix flaky test test_refund_full_amount
          Add an index on events.created_at             | Add an index on events.user_id
          Ping 10.0.0.12 from the bastion               | Ping 10.0.0.13 from the bastion
          Deploy the gateway to staging                 | Deploy the gateway to production
          Rename the "Archived" column to "Done"        | Rename the "Archived" column to "Closed"
          Add keyboard shortcuts to the editor          | Add keyboard shortcuts to the file browser
          Investigate p99 latency on the search API     | Investigate p99 latency on the checkout API
          Write onboarding docs for the data team       | Write onboarding docs for the sales team
          Enable dark mode in the mobile app            | Disable dark mode in the mobile app
          Import contacts from CSV                      | Export contacts to CSV
          Create a status page                          | Translate the app into Spanish
          """)
  void differentTargetsScoreBelowTheThreshold(String a, String b) {
    assertThat(hybrid.score(a, b)).isLessThan(SimilarityIndex.DEFAULT_THRESHOLD);
    assertThat(lexical.score(a, b)).isLessThan(SimilarityIndex.DEFAULT_THRESHOLD);
  }

  @ParameterizedTest(name = "{0} | {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Renew the TLS certificate for api.example.com | api.example.com TLS cert expires soon, renew it   | both
          Upgrade Kafka to v3.7                         | Kafka: upgrade to version 3.7                      | both
          Refund order #1234                            | Please refund order 1234                           | both
          Pay the hosting invoice for 2026-03           | Pay the hosting bill for March 2026                | both
          Clean up /var/log on the build host           | Free up space in /var/log on the build host        | both
          Approve the $40 refund for Alice              | Alice's $40 refund needs approval                  | both
          Deploy gateway 2.3.0 to production            | Ship version 2.3.0 of the gateway to prod          | both
          Fix the broken login button on Safari         | Login button doesn't work in Safari                | both
          Remove stale Docker images from the CI runners | Clean up old Docker images on the CI runners      | both
          check disk usage on prod-db-1                 | how much free disk is left on prod-db-1?           | hybrid
          Write a blog post about our migration to Postgres | Blog post: how we migrated to PostgreSQL       | hybrid
          """)
  void paraphrasesWithTheSameTargetsScoreHigh(String a, String b, String modes) {
    assertThat(hybrid.score(a, b)).isGreaterThanOrEqualTo(SimilarityIndex.DEFAULT_THRESHOLD);
    if (modes.equals("both")) {
      assertThat(lexical.score(a, b)).isGreaterThanOrEqualTo(SimilarityIndex.DEFAULT_THRESHOLD);
    }
  }

  @Test
  void entityConflictOutweighsNearIdenticalWording() {
    PairScorer.Breakdown b =
        hybrid.explain(
            "Renew the TLS certificate for api.example.com",
            "Renew the TLS certificate for www.example.com");
    assertThat(b.semantic()).isGreaterThan(0.8);
    assertThat(b.lexical()).isGreaterThan(0.6);
    assertThat(b.entityFactor()).isEqualTo(PairScorer.CONFLICT_FACTOR);
  }

  @Test
  void aTargetNamedOnOneSideOnlyCostsALittle() {
    PairScorer.Breakdown b =
        lexical.explain("Restart the web server", "Restart the web server on web-03");
    assertThat(b.entityFactor()).isEqualTo(PairScorer.ONE_SIDED_FACTOR);
  }

  @Test
  void scoresAreRoundedToThreeDecimals() {
    double s = hybrid.score("Rotate the Twilio API key", "Rotate Twilio API credentials");
    assertThat(s * 1000).isEqualTo(Math.rint(s * 1000));
    assertThat(s).isBetween(0.0, 1.0);
  }
}
