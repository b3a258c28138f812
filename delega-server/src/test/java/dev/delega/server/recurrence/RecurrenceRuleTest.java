package dev.delega.server.recurrence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.server.internal.DelegaException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecurrenceRuleTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId UTC = ZoneOffset.UTC;

  private static RecurrenceRule rule(
      RuleType type, int interval, Integer day, Integer month, Integer weekday, ZoneId zone,
      String startDate, String time) {
    return new RecurrenceRule(
        type, interval, day, month, weekday, zone, LocalDate.parse(startDate), LocalTime.parse(time));
  }

  private static List<Instant> firstN(RecurrenceRule rule, int n) {
    return rule.occurrencesBetween(rule.first().minusNanos(1), Instant.MAX.minusSeconds(1), n);
  }

  private static List<Instant> instants(String... iso) {
    return Arrays.stream(iso).map(Instant::parse).toList();
  }

  static Stream<Arguments> sequences() {
    return Stream.of(
        Arguments.of(
            "Berlin 09:00 daily across spring-forward (2026-03-29)",
            rule(RuleType.DAILY, 1, null, null, null, BERLIN, "2026-03-27", "09:00"),
            instants("2026-03-27T08:00:00Z", "2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z",
                "2026-03-30T07:00:00Z")),
        Arguments.of(
            "Berlin 09:00 daily across fall-back (2026-10-25)",
            rule(RuleType.DAILY, 1, null, null, null, BERLIN, "2026-10-24", "09:00"),
            instants("2026-10-24T07:00:00Z", "2026-10-25T08:00:00Z", "2026-10-26T08:00:00Z")),
        Arguments.of(
            "Berlin 02:30 daily: the gap moves it forward by the gap, once",
            rule(RuleType.DAILY, 1, null, null, null, BERLIN, "2026-03-28", "02:30"),
            instants("2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z")),
        Arguments.of(
            "Berlin 02:30 daily: the ambiguous time uses the earlier offset (CEST)",
            rule(RuleType.DAILY, 1, null, null, null, BERLIN, "2026-10-24", "02:30"),
            instants("2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z")),
        Arguments.of(
            "New York 09:00 weekly on Sunday across spring-forward (2026-03-08)",
            rule(RuleType.WEEKLY, 1, null, null, 0, NEW_YORK, "2026-03-01", "09:00"),
            instants("2026-03-01T14:00:00Z", "2026-03-08T13:00:00Z", "2026-03-15T13:00:00Z")),
        Arguments.of(
            "New York 01:30 weekly on Sunday across fall-back (2026-11-01), earlier offset",
            rule(RuleType.WEEKLY, 1, null, null, 0, NEW_YORK, "2026-10-25", "01:30"),
            instants("2026-10-25T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-08T06:30:00Z")),
        Arguments.of(
            "New York 02:15 daily: nonexistent 02:15 becomes 03:15 EDT",
            rule(RuleType.DAILY, 1, null, null, null, NEW_YORK, "2026-03-07", "02:15"),
            instants("2026-03-07T07:15:00Z", "2026-03-08T07:15:00Z", "2026-03-09T06:15:00Z")),
        Arguments.of(
            "New York 18:00 daily across fall-back keeps local time",
            rule(RuleType.DAILY, 1, null, null, null, NEW_YORK, "2026-10-31", "18:00"),
            instants("2026-10-31T22:00:00Z", "2026-11-01T23:00:00Z", "2026-11-02T23:00:00Z")),
        Arguments.of(
            "monthly on the 31st: Jan 31 -> Feb 28 -> Mar 31 -> Apr 30 -> May 31",
            rule(RuleType.MONTHLY, 1, 31, null, null, UTC, "2026-01-31", "09:00"),
            instants("2026-01-31T09:00:00Z", "2026-02-28T09:00:00Z", "2026-03-31T09:00:00Z",
                "2026-04-30T09:00:00Z", "2026-05-31T09:00:00Z")),
        Arguments.of(
            "monthly on the 31st in a leap year: Feb 29",
            rule(RuleType.MONTHLY, 1, 31, null, null, UTC, "2028-01-31", "09:00"),
            instants("2028-01-31T09:00:00Z", "2028-02-29T09:00:00Z", "2028-03-31T09:00:00Z")),
        Arguments.of(
            "monthly on the 31st: Aug 31 -> Sep 30 -> Oct 31",
            rule(RuleType.MONTHLY, 1, 31, null, null, UTC, "2026-08-31", "09:00"),
            instants("2026-08-31T09:00:00Z", "2026-09-30T09:00:00Z", "2026-10-31T09:00:00Z")),
        Arguments.of(
            "monthly on the 30th, interval 2: Dec 30 -> Feb 28 -> Apr 30",
            rule(RuleType.MONTHLY, 2, 30, null, null, UTC, "2025-12-30", "00:00"),
            instants("2025-12-30T00:00:00Z", "2026-02-28T00:00:00Z", "2026-04-30T00:00:00Z")),
        Arguments.of(
            "yearly Feb 29: Feb 28 in common years, Feb 29 again in 2028",
            rule(RuleType.YEARLY, 1, 29, 2, null, UTC, "2024-02-29", "10:00"),
            instants("2024-02-29T10:00:00Z", "2025-02-28T10:00:00Z", "2026-02-28T10:00:00Z",
                "2027-02-28T10:00:00Z", "2028-02-29T10:00:00Z")),
        Arguments.of(
            "yearly interval 4 on Feb 29",
            rule(RuleType.YEARLY, 4, 29, 2, null, UTC, "2024-02-29", "10:00"),
            instants("2024-02-29T10:00:00Z", "2028-02-29T10:00:00Z", "2032-02-29T10:00:00Z")),
        Arguments.of(
            "weekly interval 2 on Monday",
            rule(RuleType.WEEKLY, 2, null, null, 1, UTC, "2026-01-05", "10:00"),
            instants("2026-01-05T10:00:00Z", "2026-01-19T10:00:00Z", "2026-02-02T10:00:00Z",
                "2026-02-16T10:00:00Z")),
        Arguments.of(
            "weekly interval 2 on Monday, first occurrence a Wednesday (next_due_at off-anchor)",
            rule(RuleType.WEEKLY, 2, null, null, 1, UTC, "2026-01-07", "10:00"),
            instants("2026-01-07T10:00:00Z", "2026-01-19T10:00:00Z", "2026-02-02T10:00:00Z")),
        Arguments.of(
            "weekly on Sunday (0) starting on a Monday: same week's Sunday comes next",
            rule(RuleType.WEEKLY, 1, null, null, 0, UTC, "2026-01-05", "08:00"),
            instants("2026-01-05T08:00:00Z", "2026-01-11T08:00:00Z", "2026-01-18T08:00:00Z")),
        Arguments.of(
            "daily interval 3",
            rule(RuleType.DAILY, 3, null, null, null, UTC, "2026-01-01", "08:00"),
            instants("2026-01-01T08:00:00Z", "2026-01-04T08:00:00Z", "2026-01-07T08:00:00Z",
                "2026-01-10T08:00:00Z")),
        Arguments.of(
            "monthly on the 31st starting mid-month: this month's 31st is next",
            rule(RuleType.MONTHLY, 1, 31, null, null, UTC, "2026-01-15", "09:00"),
            instants("2026-01-15T09:00:00Z", "2026-01-31T09:00:00Z", "2026-02-28T09:00:00Z")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sequences")
  void occurrences(String name, RecurrenceRule rule, List<Instant> expected) {
    assertThat(firstN(rule, expected.size())).containsExactlyElementsOf(expected);
    // nextAfter is strict and consistent with the list
    for (int i = 0; i + 1 < expected.size(); i++) {
      assertThat(rule.nextAfter(expected.get(i))).isEqualTo(expected.get(i + 1));
      assertThat(rule.nextAfter(expected.get(i + 1).minusSeconds(1))).isEqualTo(expected.get(i + 1));
      assertThat(rule.latestAtOrBefore(expected.get(i + 1).minusNanos(1))).contains(expected.get(i));
      assertThat(rule.latestAtOrBefore(expected.get(i + 1))).contains(expected.get(i + 1));
    }
  }

  static Stream<Arguments> nextAfterFarFromStart() {
    return Stream.of(
        // daily every 3 days from Jan 1: Jan 1 + 60 days = Mar 2 is on the grid
        Arguments.of(rule(RuleType.DAILY, 3, null, null, null, UTC, "2026-01-01", "08:00"),
            "2026-03-01T12:00:00Z", "2026-03-02T08:00:00Z"),
        Arguments.of(rule(RuleType.DAILY, 3, null, null, null, UTC, "2026-01-01", "08:00"),
            "2026-03-02T08:00:00Z", "2026-03-05T08:00:00Z"),
        // every 2 months on the 15th from Jan 15: Mar 15, May 15
        Arguments.of(rule(RuleType.MONTHLY, 2, 15, null, null, UTC, "2026-01-15", "09:00"),
            "2026-04-01T00:00:00Z", "2026-05-15T09:00:00Z"),
        // every 2 weeks on Monday from 2026-01-05: Jan 5 + 10 weeks = Mar 16
        Arguments.of(rule(RuleType.WEEKLY, 2, null, null, 1, UTC, "2026-01-05", "10:00"),
            "2026-03-10T00:00:00Z", "2026-03-16T10:00:00Z"),
        // before the first occurrence: the first
        Arguments.of(rule(RuleType.WEEKLY, 2, null, null, 1, UTC, "2026-01-07", "10:00"),
            "2020-01-01T00:00:00Z", "2026-01-07T10:00:00Z"),
        // years later, Berlin winter/summer
        Arguments.of(rule(RuleType.DAILY, 1, null, null, null, BERLIN, "2026-01-01", "09:00"),
            "2031-07-04T12:00:00Z", "2031-07-05T07:00:00Z"));
  }

  @ParameterizedTest
  @MethodSource("nextAfterFarFromStart")
  void intervalsCountFromTheStartNotFromNow(RecurrenceRule rule, String after, String expected) {
    assertThat(rule.nextAfter(Instant.parse(after))).isEqualTo(Instant.parse(expected));
  }

  @Test
  void latestBeforeFirstIsEmpty() {
    RecurrenceRule r = rule(RuleType.DAILY, 1, null, null, null, UTC, "2026-01-01", "08:00");
    assertThat(r.latestAtOrBefore(Instant.parse("2026-01-01T07:59:59Z"))).isEmpty();
    assertThat(r.latestAtOrBefore(Instant.parse("2026-01-01T08:00:00Z")))
        .contains(Instant.parse("2026-01-01T08:00:00Z"));
  }

  @Test
  void occurrencesBetweenIsHalfOpenAndCapped() {
    RecurrenceRule r = rule(RuleType.DAILY, 1, null, null, null, UTC, "2026-01-01", "08:00");
    assertThat(r.occurrencesBetween(Instant.parse("2026-01-01T08:00:00Z"),
            Instant.parse("2026-01-04T08:00:00Z"), 10))
        .containsExactlyElementsOf(instants("2026-01-02T08:00:00Z", "2026-01-03T08:00:00Z",
            "2026-01-04T08:00:00Z"));
    assertThat(r.occurrencesBetween(Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"), 2))
        .containsExactlyElementsOf(instants("2026-01-01T08:00:00Z", "2026-01-02T08:00:00Z"));
    assertThat(r.occurrencesBetween(Instant.parse("2026-01-01T09:00:00Z"),
            Instant.parse("2026-01-02T07:00:00Z"), 5))
        .isEmpty();
  }

  // ---- catch-up ----

  @Test
  void catchUpAfterTenDayOutageSpawnsOnceForTheLatest() {
    RecurrenceRule r = RecurrenceRule.of(RuleType.DAILY, 1, null, null, null, BERLIN,
        Instant.parse("2026-01-01T08:00:00Z"));
    Instant now = Instant.parse("2026-01-11T12:00:00Z");

    CatchUp.Spawn spawn =
        CatchUp.LATEST_ONLY.plan(r, Instant.parse("2026-01-01T08:00:00Z"), now).orElseThrow();

    assertThat(spawn.occurrence()).isEqualTo(Instant.parse("2026-01-11T08:00:00Z"));
    assertThat(spawn.skipped()).isEqualTo(10);
    assertThat(spawn.nextDueAt()).isEqualTo(Instant.parse("2026-01-12T08:00:00Z"));
  }

  static Stream<Arguments> catchUpCases() {
    RecurrenceRule daily = rule(RuleType.DAILY, 1, null, null, null, UTC, "2026-01-01", "08:00");
    RecurrenceRule weekly2 = rule(RuleType.WEEKLY, 2, null, null, 1, UTC, "2026-01-05", "10:00");
    return Stream.of(
        // not due yet
        Arguments.of(daily, "2026-01-02T08:00:00Z", "2026-01-02T07:59:59Z", null, 0, null),
        // due exactly now, nothing missed
        Arguments.of(daily, "2026-01-02T08:00:00Z", "2026-01-02T08:00:00Z",
            "2026-01-02T08:00:00Z", 0, "2026-01-03T08:00:00Z"),
        // due an hour ago, nothing missed
        Arguments.of(daily, "2026-01-02T08:00:00Z", "2026-01-02T09:00:00Z",
            "2026-01-02T08:00:00Z", 0, "2026-01-03T08:00:00Z"),
        // down 5 weeks on a fortnightly rule: Jan 19, Feb 2 due; Feb 16 not yet
        Arguments.of(weekly2, "2026-01-19T10:00:00Z", "2026-02-09T00:00:00Z",
            "2026-02-02T10:00:00Z", 1, "2026-02-16T10:00:00Z"),
        // a stored next_due_at off the grid is still due
        Arguments.of(daily, "2026-01-02T12:00:00Z", "2026-01-02T13:00:00Z",
            "2026-01-02T12:00:00Z", 0, "2026-01-03T08:00:00Z"),
        // off the grid and then missed: off-grid one plus Jan 3, Jan 4 skipped, Jan 5 spawned
        Arguments.of(daily, "2026-01-02T12:00:00Z", "2026-01-05T09:00:00Z",
            "2026-01-05T08:00:00Z", 3, "2026-01-06T08:00:00Z"));
  }

  @ParameterizedTest
  @MethodSource("catchUpCases")
  void catchUp(RecurrenceRule rule, String nextDue, String now, String spawn, int skipped,
      String newNext) {
    var plan = CatchUp.LATEST_ONLY.plan(rule, Instant.parse(nextDue), Instant.parse(now));
    if (spawn == null) {
      assertThat(plan).isEmpty();
      return;
    }
    assertThat(plan).contains(
        new CatchUp.Spawn(Instant.parse(spawn), skipped, Instant.parse(newNext)));
  }

  @Test
  void catchUpCountSaturates() {
    RecurrenceRule daily = rule(RuleType.DAILY, 1, null, null, null, UTC, "1990-01-01", "08:00");
    var plan = CatchUp.LATEST_ONLY.plan(daily, Instant.parse("1990-01-01T08:00:00Z"),
        Instant.parse("2026-06-01T00:00:00Z")).orElseThrow();
    assertThat(plan.occurrence()).isEqualTo(Instant.parse("2026-05-31T08:00:00Z"));
    assertThat(plan.skipped()).isEqualTo(CatchUp.MAX_COUNTED_SKIPS);
  }

  // ---- factories ----

  @Test
  void nextDueAtIsTheFirstOccurrenceAndAnchorsDefaultFromIt() {
    RecurrenceRule r = RecurrenceRule.of(RuleType.YEARLY, null, null, null, null, BERLIN,
        Instant.parse("2024-02-29T08:00:00Z"));
    assertThat(r.anchorDay()).isEqualTo(29);
    assertThat(r.anchorMonth()).isEqualTo(2);
    assertThat(r.interval()).isEqualTo(1);
    assertThat(r.timeOfDay()).isEqualTo(LocalTime.of(9, 0));
    assertThat(r.first()).isEqualTo(Instant.parse("2024-02-29T08:00:00Z"));
    assertThat(r.nextAfter(r.first())).isEqualTo(Instant.parse("2025-02-28T08:00:00Z"));

    RecurrenceRule w = RecurrenceRule.of(RuleType.WEEKLY, 1, null, null, null, NEW_YORK,
        Instant.parse("2026-01-07T15:00:00Z")); // Wednesday 10:00 EST
    assertThat(w.anchorWeekday()).isEqualTo(3);
    assertThat(w.nextAfter(w.first())).isEqualTo(Instant.parse("2026-01-14T15:00:00Z"));
  }

  @Test
  void anchorsThatDoNotApplyAreDropped() {
    RecurrenceRule r = new RecurrenceRule(RuleType.MONTHLY, 1, 5, 7, 3, UTC,
        LocalDate.parse("2026-01-05"), LocalTime.NOON);
    assertThat(r.anchorDay()).isEqualTo(5);
    assertThat(r.anchorMonth()).isNull();
    assertThat(r.anchorWeekday()).isNull();
  }

  static Stream<Arguments> startingAfterCases() {
    return Stream.of(
        // Wednesday noon, weekly on Monday -> next Monday midnight
        Arguments.of(RuleType.WEEKLY, null, null, 1, UTC, "00:00", "2026-01-07T12:00:00Z",
            "2026-01-12T00:00:00Z"),
        // weekly without anchor: today's weekday; today's midnight passed -> a week later
        Arguments.of(RuleType.WEEKLY, null, null, null, UTC, "00:00", "2026-01-07T12:00:00Z",
            "2026-01-14T00:00:00Z"),
        // daily at 18:00 Berlin, created at 10:00 local -> today 18:00
        Arguments.of(RuleType.DAILY, null, null, null, BERLIN, "18:00", "2026-01-07T09:00:00Z",
            "2026-01-07T17:00:00Z"),
        // monthly on the 31st created Feb 10 -> Feb 28
        Arguments.of(RuleType.MONTHLY, 31, null, null, UTC, "00:00", "2026-02-10T00:00:00Z",
            "2026-02-28T00:00:00Z"),
        // yearly on Feb 29 created in March 2026 -> 2027-02-28
        Arguments.of(RuleType.YEARLY, 29, 2, null, UTC, "09:00", "2026-03-01T00:00:00Z",
            "2027-02-28T09:00:00Z"));
  }

  @ParameterizedTest
  @MethodSource("startingAfterCases")
  void startingAfterFindsTheFirstAnchoredDateAfterNow(RuleType type, Integer day, Integer month,
      Integer weekday, ZoneId zone, String time, String now, String expected) {
    RecurrenceRule r = RecurrenceRule.startingAfter(type, 1, day, month, weekday, zone,
        LocalTime.parse(time), Instant.parse(now));
    assertThat(r.first()).isEqualTo(Instant.parse(expected));
  }

  static Stream<Arguments> requestForms() {
    Instant now = Instant.parse("2026-01-07T12:00:00Z");
    return Stream.of(
        Arguments.of("2026-03-30T09:00:00Z", "Europe/Berlin", now, "2026-03-30T09:00:00Z", "11:00"),
        Arguments.of("2026-03-30T09:00:00+02:00", "Europe/Berlin", now, "2026-03-30T07:00:00Z",
            "09:00"),
        Arguments.of("2026-03-30T09:00", "Europe/Berlin", now, "2026-03-30T07:00:00Z", "09:00"),
        Arguments.of("2026-03-30", "America/New_York", now, "2026-03-30T04:00:00Z", "00:00"),
        Arguments.of(null, "UTC", now, "2026-01-08T00:00:00Z", "00:00"),
        Arguments.of(null, null, now, "2026-01-08T00:00:00Z", "00:00"));
  }

  @ParameterizedTest
  @MethodSource("requestForms")
  void fromRequestReadsEveryNextDueAtForm(String nextDueAt, String tz, Instant now, String first,
      String time) {
    RecurrenceRule r = RecurrenceRule.fromRequest("Daily", null, tz, null, null, null, nextDueAt,
        UTC, now);
    assertThat(r.first()).isEqualTo(Instant.parse(first));
    assertThat(r.timeOfDay()).isEqualTo(LocalTime.parse(time));
  }

  // ---- validation ----

  static Stream<Arguments> invalid() {
    Instant now = Instant.parse("2026-01-07T12:00:00Z");
    return Stream.of(
        Arguments.of("rule_type", (Runnable) () -> RecurrenceRule.fromRequest("hourly", null,
            null, null, null, null, null, UTC, now)),
        Arguments.of("rule_type", (Runnable) () -> RecurrenceRule.fromRequest(null, null,
            null, null, null, null, null, UTC, now)),
        Arguments.of("interval", (Runnable) () -> RecurrenceRule.fromRequest("daily", 0,
            null, null, null, null, null, UTC, now)),
        Arguments.of("interval", (Runnable) () -> RecurrenceRule.fromRequest("daily", 1001,
            null, null, null, null, null, UTC, now)),
        Arguments.of("timezone", (Runnable) () -> RecurrenceRule.fromRequest("daily", 1,
            "Mars/Olympus_Mons", null, null, null, null, UTC, now)),
        Arguments.of("timezone", (Runnable) () -> RecurrenceRule.fromRequest("daily", 1,
            " ", null, null, null, null, UTC, now)),
        Arguments.of("anchor_day", (Runnable) () -> RecurrenceRule.fromRequest("monthly", 1,
            null, 32, null, null, null, UTC, now)),
        Arguments.of("anchor_day", (Runnable) () -> RecurrenceRule.fromRequest("monthly", 1,
            null, 0, null, null, null, UTC, now)),
        Arguments.of("anchor_month", (Runnable) () -> RecurrenceRule.fromRequest("yearly", 1,
            null, 1, 13, null, null, UTC, now)),
        Arguments.of("anchor_month", (Runnable) () -> RecurrenceRule.fromRequest("yearly", 1,
            null, 1, 0, null, null, UTC, now)),
        Arguments.of("anchor_weekday", (Runnable) () -> RecurrenceRule.fromRequest("weekly", 1,
            null, null, null, 7, null, UTC, now)),
        Arguments.of("anchor_weekday", (Runnable) () -> RecurrenceRule.fromRequest("weekly", 1,
            null, null, null, -1, null, UTC, now)),
        Arguments.of("anchor_day", (Runnable) () -> RecurrenceRule.fromRequest("yearly", 1,
            null, 30, 2, null, null, UTC, now)),
        Arguments.of("anchor_day", (Runnable) () -> RecurrenceRule.fromRequest("yearly", 1,
            null, 31, 4, null, null, UTC, now)),
        Arguments.of("next_due_at", (Runnable) () -> RecurrenceRule.fromRequest("daily", 1,
            null, null, null, null, "tomorrow", UTC, now)),
        Arguments.of("anchor_weekday", (Runnable) () -> new RecurrenceRule(RuleType.WEEKLY, 1,
            null, null, null, UTC, LocalDate.parse("2026-01-01"), LocalTime.NOON)),
        Arguments.of("anchor_month", (Runnable) () -> new RecurrenceRule(RuleType.YEARLY, 1,
            5, null, null, UTC, LocalDate.parse("2026-01-01"), LocalTime.NOON)),
        Arguments.of("timezone", (Runnable) () -> new RecurrenceRule(RuleType.DAILY, 1,
            null, null, null, null, LocalDate.parse("2026-01-01"), LocalTime.NOON)));
  }

  @ParameterizedTest(name = "{0} #{index}")
  @MethodSource("invalid")
  void invalidFieldsAreNamed(String field, Runnable build) {
    assertThatThrownBy(build::run)
        .isInstanceOf(DelegaException.ValidationFailed.class)
        .hasMessageContaining(field)
        .satisfies(e -> assertThat(((DelegaException) e).extra()).containsEntry("field", field));
  }

  @Test
  void yearlyFeb29IsAValidAnchor() {
    RecurrenceRule r = RecurrenceRule.fromRequest("yearly", 1, "UTC", 29, 2, null, null, UTC,
        Instant.parse("2026-01-07T12:00:00Z"));
    assertThat(r.first()).isEqualTo(Instant.parse("2026-02-28T00:00:00Z"));
  }

  @Test
  void weekdayMapping() {
    assertThat(RecurrenceRule.dayOfWeek(0)).isEqualTo(DayOfWeek.SUNDAY);
    assertThat(RecurrenceRule.dayOfWeek(6)).isEqualTo(DayOfWeek.SATURDAY);
    for (DayOfWeek d : DayOfWeek.values()) {
      assertThat(RecurrenceRule.dayOfWeek(RecurrenceRule.wireWeekday(d))).isEqualTo(d);
    }
  }

  // ---- randomized consistency against an independent oracle ----

  @Test
  void agreesWithANaiveDayByDayOracle() {
    Random random = new Random(20260101L);
    List<ZoneId> zones = List.of(UTC, BERLIN, NEW_YORK, ZoneId.of("Australia/Lord_Howe"),
        ZoneId.of("America/Santiago"), ZoneId.of("Asia/Kolkata"));
    for (int round = 0; round < 300; round++) {
      RuleType type = RuleType.values()[random.nextInt(4)];
      int interval = 1 + random.nextInt(4);
      int month = 1 + random.nextInt(12);
      int day = 1 + random.nextInt(Month.of(month).maxLength());
      int weekday = random.nextInt(7);
      ZoneId zone = zones.get(random.nextInt(zones.size()));
      LocalDate start = LocalDate.of(2023, 1, 1).plusDays(random.nextInt(800));
      LocalTime time = LocalTime.of(random.nextInt(24), random.nextInt(4) * 15);
      RecurrenceRule r = new RecurrenceRule(type, interval, day, month, weekday, zone, start, time);

      List<LocalDate> expected = new ArrayList<>();
      expected.add(start);
      LocalDate horizon = start.plusYears(type == RuleType.YEARLY ? 12 : 2);
      for (LocalDate d = start.plusDays(1); !d.isAfter(horizon); d = d.plusDays(1)) {
        if (onGrid(r, start, d)) {
          expected.add(d);
        }
      }
      Instant end = r.at(horizon);
      List<Instant> got = r.occurrencesBetween(r.first().minusNanos(1), end, 10_000);
      List<Instant> want = expected.stream().map(r::at).distinct()
          .filter(i -> !i.isAfter(end)).toList();
      assertThat(got).as("%s", r).containsExactlyElementsOf(want);
      for (int i = 1; i < got.size(); i++) {
        assertThat(got.get(i)).isAfter(got.get(i - 1));
      }
      // latestAtOrBefore / nextAfter agree at random instants
      for (int probe = 0; probe < 5; probe++) {
        Instant t = r.first().plusSeconds(random.nextLong(365L * 24 * 3600));
        Instant next = r.nextAfter(t);
        Instant latest = r.latestAtOrBefore(t).orElseThrow();
        assertThat(latest).isBeforeOrEqualTo(t);
        assertThat(next).isAfter(t);
        assertThat(r.nextAfter(latest)).isEqualTo(next);
      }
    }
  }

  private static boolean onGrid(RecurrenceRule r, LocalDate start, LocalDate d) {
    int n = r.interval();
    return switch (r.type()) {
      case DAILY -> ChronoUnit.DAYS.between(start, d) % n == 0;
      case WEEKLY -> {
        LocalDate w0 = start.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate w1 = d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        yield d.getDayOfWeek().getValue() % 7 == r.anchorWeekday()
            && ChronoUnit.DAYS.between(w0, w1) / 7 % n == 0;
      }
      case MONTHLY -> {
        YearMonth ym = YearMonth.from(d);
        yield d.getDayOfMonth() == Math.min(r.anchorDay(), ym.lengthOfMonth())
            && ChronoUnit.MONTHS.between(YearMonth.from(start), ym) % n == 0;
      }
      case YEARLY -> {
        YearMonth ym = YearMonth.from(d);
        yield d.getMonthValue() == r.anchorMonth()
            && d.getDayOfMonth() == Math.min(r.anchorDay(), ym.lengthOfMonth())
            && (d.getYear() - start.getYear()) % n == 0;
      }
    };
  }
}
