package dev.delega.server.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EntityExtractorTest {
  private final EntityExtractor extractor = new EntityExtractor();

  private List<String> extract(String text) {
    return extractor.extract(TextAnalyzer.normalize(text)).stream()
        .map(e -> e.kind() + ":" + e.value())
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Renew the TLS cert for api.example.com            | NAME:tls; HOST:api.example.com
          Check disk usage on prod-db-1                     | ID:prod-db-1
          Ping 10.0.0.12 and 192.168.1.0/24                 | IP:10.0.0.12; IP:192.168.1.0/24
          Open https://Status.Example.com/incidents/42.     | URL:status.example.com/incidents/42
          Mail ops@acme.io about it                         | EMAIL:ops@acme.io
          Upgrade Kafka to v3.7                             | NAME:kafka; VERSION:3.7
          Roll back to 1.9.4-rc1                            | VERSION:1.9.4-rc1
          Pin the provider to version 5                     | VERSION:5
          Refund order #1234                                | NUMBER:1234
          Refund order 90412, the item was missing          | NUMBER:90412
          Close JIRA-482 and PROJ-7                         | ID:jira-482; ID:proj-7
          Pay the invoice for 2026-03                       | DATE:m3 y2026
          Standup on 2026-03-14                             | DATE:d14 m3 y2026
          Pay the Hetzner invoice for March                 | NAME:hetzner; DATE:m3
          Book the room for next Friday                     | DATE:rnext w5
          Summarize last week's interviews                  | DATE:rlast-week
          Send the Q3 2026 report                           | DATE:q3 y2026
          Back up the indices nightly                       | FREQUENCY:daily
          Back up the indices every week                    | FREQUENCY:weekly
          Clean up /var/log/nginx/                          | PATH:/var/log/nginx
          Edit src/main/resources/app.yaml                  | PATH:src/main/resources/app.yaml
          Fix the typo in README.md                         | PATH:README.md
          Fix flaky test test_refund_partial_amount         | SYMBOL:test_refund_partial_amount
          Add an index on events.created_at                 | SYMBOL:events.created_at
          Speed up parseHeader()                            | SYMBOL:parseheader()
          Raise the budget to $400                          | AMOUNT:400usd
          Raise the budget to $1.5k                         | AMOUNT:1500usd
          Set the sampling rate to 20%                      | AMOUNT:20%
          Keep logs for 30 days                             | AMOUNT:30d
          Deploy the gateway to production                  | ENVIRONMENT:production
          Rename the "Archived" column                      | LITERAL:archived
          Research Datadog, New Relic and Honeycomb         | NAME:datadog; NAME:new relic; NAME:honeycomb
          Schedule a call with Wayne Enterprises            | NAME:wayne enterprises
          BigQuery export is broken                         | NAME:bigquery
          Fix the login button on Safari                    | NAME:safari
          Upgrade Node.js on the agents                     | NAME:node.js
          FIX THE LOGIN BUTTON                              |
          Fix The Login Button On The Settings Page         |
          Water the office plants                           |
          Migrate to k8s and s3                             |
          """)
  void extractsTargets(String text, String expected) {
    List<String> want =
        expected == null
            ? List.of()
            : Arrays.stream(expected.split(";")).map(String::strip).toList();
    assertThat(extract(text)).containsExactlyInAnyOrderElementsOf(want);
  }

  @ParameterizedTest(name = "{0} | {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          api.example.com      | www.example.com      | false
          prod-db-1            | prod-db-2            | false
          prod-db-1            | prod-db-1.internal   | true
          v3.7                 | v3.8                 | false
          v3.7                 | 3.7.2                | true
          order #1234          | order #1235          | false
          order #1234          | order 1234           | true
          2026-03              | 2026-04              | false
          2026-03              | in March here        | true
          in March here        | in April here        | false
          /var/log             | /var/lib             | false
          $40                  | $400                 | false
          $40                  | 40 USD               | true
          502 errors           | 502s                 | true
          use Postgres         | use PostgreSQL       | true
          ask Wayne            | ask Wayne Enterprises| true
          ask Alice            | ask Bob              | false
          nightly              | daily                | true
          nightly              | weekly               | false
          """)
  void comparesValuesOfTheSameGroup(String a, String b, boolean compatible) {
    List<Entity> ea = extractor.extract(a);
    List<Entity> eb = extractor.extract(b);
    assertThat(ea).hasSize(1);
    assertThat(eb).hasSize(1);
    assertThat(ea.get(0).compatible(eb.get(0))).isEqualTo(compatible);
    assertThat(eb.get(0).compatible(ea.get(0))).isEqualTo(compatible);
  }
}
