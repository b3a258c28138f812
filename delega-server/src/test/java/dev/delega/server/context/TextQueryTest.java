package dev.delega.server.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.task.TaskSearch.TextQuery;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The search query language, written for FTS5 and for PostgreSQL's websearch_to_tsquery. */
class TextQueryTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("postgres", "(\"postgres\")", "\"postgres\""),
        Arguments.of("use postgres", "(\"use\" AND \"postgres\")", "\"use\" \"postgres\""),
        Arguments.of("the database", "(\"database\")", "\"database\""),
        Arguments.of("\"state of the art\"", "(\"state of the art\")", "\"state of the art\""),
        Arguments.of("postgres -mysql", "((\"postgres\") NOT \"mysql\")", "\"postgres\" -\"mysql\""),
        Arguments.of("postgres or sqlite", "(\"postgres\") OR (\"sqlite\")", "\"postgres\" or \"sqlite\""),
        Arguments.of("a b or c -d", "(\"b\") OR ((\"c\") NOT \"d\")", "\"b\" or \"c\" -\"d\""),
        Arguments.of("db_choice", "(\"db_choice\")", "\"db_choice\""),
        Arguments.of("config.yaml v1.2.3", "(\"config.yaml\" AND \"v1.2.3\")", "\"config.yaml\" \"v1.2.3\""),
        Arguments.of("NEAR(a b) AND * : ^", "(\"NEAR(a\" AND \"b)\")", "\"NEAR(a\" \"b)\""),
        Arguments.of("\"unterminated phrase", "(\"unterminated phrase\")", "\"unterminated phrase\""),
        Arguments.of("café", "(\"café\")", "\"café\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void writesBothDialects(String input, String fts5, String websearch) {
    TextQuery q = TextQuery.parse(input);

    assertThat(q.isEmpty()).isFalse();
    assertThat(q.fts5()).isEqualTo(fts5);
    assertThat(q.websearch()).isEqualTo(websearch);
  }

  @ParameterizedTest(name = "[{0}]")
  @MethodSource("emptyCases")
  void queriesWithoutAPositiveWordMatchNothing(String input) {
    assertThat(TextQuery.parse(input).isEmpty()).isTrue();
  }

  static Stream<String> emptyCases() {
    return Stream.of("", "   ", "the", "-postgres", "or", "\"\"", "*", "- -", "the -postgres", "\"the of\"");
  }
}
