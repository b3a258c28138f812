package dev.delega.server.recurrence;

import dev.delega.server.internal.FieldErrors;

import dev.delega.server.internal.DelegaException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A calendar recurrence in an IANA time zone: which local dates a recurring task falls on and at
 * what local time of day.
 *
 * <h2>Design note</h2>
 *
 * <p><b>Occurrences.</b> The first occurrence is {@link #startDate()} at {@link #timeOfDay()}. The
 * later ones are the anchor dates of the periods {@code 0, N, 2N, …} (N = {@link #interval()})
 * counted from the period that contains the start date, keeping only those after the start date.
 * Periods are days, weeks (Monday to Sunday, RFC 5545's default {@code WKST=MO}), calendar months
 * or calendar years. The anchor date of a period is: the day itself (daily); the day with {@link
 * #anchorWeekday()} in that week (weekly, Sunday = 0); day {@link #anchorDay()} of the month, or its
 * last day when the month is shorter (monthly: 31 → 30 → 28/29 → back to 31); {@link
 * #anchorMonth()}/{@link #anchorDay()} of the year, clamped the same way (yearly: Feb 29 → Feb 28 in
 * common years). Because periods are counted from the start and never from "now", every N-th
 * period stays on the same grid however late the scheduler runs.
 *
 * <p><b>Time zones.</b> Each occurrence is its local date at the local time of day in {@link
 * #timezone()}, resolved like {@link ZonedDateTime#of}: a 09:00 rule stays at 09:00 local across
 * daylight-saving changes; a local time that falls in a spring-forward gap moves forward by the
 * length of the gap (02:30 → 03:30); an ambiguous fall-back time uses the earlier offset (the first
 * 01:30). Instants are strictly increasing; if a zone skips a whole day so two dates resolve to the
 * same instant, it is returned once.
 *
 * <p><b>{@code next_due_at} given by a user</b> means the first occurrence, exactly: its local date
 * in the zone becomes {@link #startDate()}, its local time becomes {@link #timeOfDay()}, and
 * anchors that were not given default from that date. Later occurrences follow the rule from it,
 * so a {@code next_due_at} on a Wednesday with {@code anchor_weekday=1} yields that Wednesday and
 * then Mondays. Without {@code next_due_at}, the first occurrence is the first anchored date after
 * "now" at {@link #DEFAULT_TIME_OF_DAY} (see {@link #startingAfter}). An instant inside a
 * fall-back overlap at the later offset is the one case where the first occurrence is resolved an
 * hour earlier than given.
 *
 * <p><b>Storage.</b> Persist the resolved components of this record (type, interval, the anchors
 * that apply, zone, start date, time of day) and rebuild it with the canonical constructor; do not
 * rebuild it from the moving {@code next_due_at}, or a gap-shifted occurrence (03:30 for a 02:30
 * rule) would drift the time of day. Anchors that do not apply to the type are dropped to {@code
 * null}.
 *
 * <p><b>Errors.</b> The constructor and factories throw {@link DelegaException.ValidationFailed}
 * (422 {@code validation_failed}) whose message names the wire field and whose body carries it as
 * {@code field}.
 *
 * <p>Catch-up after downtime is {@link CatchUp#LATEST_ONLY}.
 *
 * @param type the period
 * @param interval every N periods, 1 to {@link #MAX_INTERVAL}
 * @param anchorDay day of month 1–31 for monthly and yearly rules, else {@code null}
 * @param anchorMonth month 1–12 for yearly rules, else {@code null}
 * @param anchorWeekday weekday 0–6 with Sunday = 0 for weekly rules, else {@code null}
 * @param timezone the IANA zone the local dates and time of day are in
 * @param startDate local date of the first occurrence; periods are counted from its period
 * @param timeOfDay local time of day of every occurrence
 */
public record RecurrenceRule(
    RuleType type,
    int interval,
    Integer anchorDay,
    Integer anchorMonth,
    Integer anchorWeekday,
    ZoneId timezone,
    LocalDate startDate,
    LocalTime timeOfDay) {

  /** The largest accepted {@code interval}. */
  public static final int MAX_INTERVAL = 1000;

  /** The local time of day used when a rule is created without {@code next_due_at}. */
  public static final LocalTime DEFAULT_TIME_OF_DAY = LocalTime.MIDNIGHT;

  /** Validates every field; see the type's design note for what each one means. */
  public RecurrenceRule {
    if (type == null) {
      throw FieldErrors.field("rule_type", "rule_type is required: daily, weekly, monthly or yearly");
    }
    if (interval < 1 || interval > MAX_INTERVAL) {
      throw FieldErrors.field(
          "interval", "interval must be between 1 and " + MAX_INTERVAL + ", got " + interval);
    }
    if (timezone == null) {
      throw FieldErrors.field("timezone", "timezone is required (an IANA zone such as Europe/Berlin)");
    }
    if (startDate == null) {
      throw FieldErrors.field("next_due_at", "the start date of the recurrence is required");
    }
    if (timeOfDay == null) {
      throw FieldErrors.field("next_due_at", "the time of day of the recurrence is required");
    }
    checkRange("anchor_day", anchorDay, 1, 31);
    checkRange("anchor_month", anchorMonth, 1, 12);
    checkRange("anchor_weekday", anchorWeekday, 0, 6);
    switch (type) {
      case DAILY -> {
        anchorDay = null;
        anchorMonth = null;
        anchorWeekday = null;
      }
      case WEEKLY -> {
        require("anchor_weekday", anchorWeekday, "weekly");
        anchorDay = null;
        anchorMonth = null;
      }
      case MONTHLY -> {
        require("anchor_day", anchorDay, "monthly");
        anchorMonth = null;
        anchorWeekday = null;
      }
      case YEARLY -> {
        require("anchor_day", anchorDay, "yearly");
        require("anchor_month", anchorMonth, "yearly");
        int longest = Month.of(anchorMonth).maxLength();
        if (anchorDay > longest) {
          throw FieldErrors.field(
              "anchor_day",
              "anchor_day "
                  + anchorDay
                  + " never exists in month "
                  + anchorMonth
                  + " (at most "
                  + longest
                  + ")");
        }
        anchorWeekday = null;
      }
    }
  }

  /**
   * A rule whose first occurrence is {@code firstDue} (the user's {@code next_due_at}); anchors left
   * {@code null} default from its local date, a {@code null} interval is 1.
   */
  public static RecurrenceRule of(
      RuleType type,
      Integer interval,
      Integer anchorDay,
      Integer anchorMonth,
      Integer anchorWeekday,
      ZoneId timezone,
      Instant firstDue) {
    if (timezone == null) {
      throw FieldErrors.field("timezone", "timezone is required (an IANA zone such as Europe/Berlin)");
    }
    if (firstDue == null) {
      throw FieldErrors.field("next_due_at", "next_due_at is required");
    }
    LocalDateTime local = LocalDateTime.ofInstant(firstDue, timezone);
    return withDefaults(
        type, interval, anchorDay, anchorMonth, anchorWeekday, timezone, local.toLocalDate(),
        local.toLocalTime());
  }

  /**
   * A rule created without {@code next_due_at}: anchors left {@code null} default from today's date
   * in the zone, and the first occurrence is the first anchored date at {@code timeOfDay} strictly
   * after {@code now} (the interval only spaces later occurrences).
   */
  public static RecurrenceRule startingAfter(
      RuleType type,
      Integer interval,
      Integer anchorDay,
      Integer anchorMonth,
      Integer anchorWeekday,
      ZoneId timezone,
      LocalTime timeOfDay,
      Instant now) {
    if (timezone == null) {
      throw FieldErrors.field("timezone", "timezone is required (an IANA zone such as Europe/Berlin)");
    }
    LocalDate today = LocalDate.ofInstant(now, timezone);
    RecurrenceRule probe =
        withDefaults(type, interval, anchorDay, anchorMonth, anchorWeekday, timezone, today,
            timeOfDay);
    for (long p = 0; ; p++) {
      LocalDate d = probe.anchorIn(today, p);
      if (probe.at(d).isAfter(now)) {
        return new RecurrenceRule(
            probe.type, probe.interval, probe.anchorDay, probe.anchorMonth, probe.anchorWeekday,
            timezone, d, probe.timeOfDay);
      }
    }
  }

  /**
   * Builds a rule from the wire fields of {@code create_recurring_task} / {@code POST
   * /recurrences}. {@code timezone} {@code null} means {@code defaultZone}. {@code nextDueAt} may be
   * an instant with an offset ({@code 2026-03-30T09:00:00Z}, {@code …+02:00}), a local date-time read
   * in the zone ({@code 2026-03-30T09:00}) or a date ({@code 2026-03-30}, at {@link
   * #DEFAULT_TIME_OF_DAY}); {@code null} means {@link #startingAfter} {@code now}. A {@code
   * next_due_at} in the past is accepted: the scheduler then catches up once.
   */
  public static RecurrenceRule fromRequest(
      String ruleType,
      Integer interval,
      String timezone,
      Integer anchorDay,
      Integer anchorMonth,
      Integer anchorWeekday,
      String nextDueAt,
      ZoneId defaultZone,
      Instant now) {
    RuleType type = RuleType.parse(ruleType);
    ZoneId zone = timezone == null ? defaultZone : parseZone(timezone);
    if (nextDueAt == null || nextDueAt.isBlank()) {
      return startingAfter(
          type, interval, anchorDay, anchorMonth, anchorWeekday, zone, DEFAULT_TIME_OF_DAY, now);
    }
    String s = nextDueAt.trim();
    try {
      OffsetDateTime at = OffsetDateTime.parse(s);
      return of(type, interval, anchorDay, anchorMonth, anchorWeekday, zone,
          checkYear(at.getYear(), s, at).toInstant());
    } catch (DateTimeParseException notOffset) {
      // try the local forms below
    }
    try {
      LocalDateTime local = LocalDateTime.parse(s);
      checkYear(local.getYear(), s, local);
      return withDefaults(type, interval, anchorDay, anchorMonth, anchorWeekday, zone,
          local.toLocalDate(), local.toLocalTime());
    } catch (DateTimeParseException notLocal) {
      // try a bare date
    }
    try {
      LocalDate date = LocalDate.parse(s);
      return withDefaults(type, interval, anchorDay, anchorMonth, anchorWeekday, zone,
          checkYear(date.getYear(), s, date), DEFAULT_TIME_OF_DAY);
    } catch (DateTimeParseException e) {
      throw FieldErrors.field(
          "next_due_at",
          "next_due_at must be an ISO-8601 timestamp such as 2026-03-30T09:00:00Z, got '" + s
              + "'");
    }
  }

  /** {@code value} when {@code year} is 1 to 9999 (what epoch millis and ISO-8601 output hold); else a 422. */
  private static <T> T checkYear(int year, String given, T value) {
    if (year < 1 || year > 9999) {
      throw FieldErrors.field(
          "next_due_at", "next_due_at must be between the years 0001 and 9999, got '" + given + "'");
    }
    return value;
  }

  /**
   * Parses an IANA zone id such as {@code Europe/Berlin} or {@code UTC}.
   *
   * @throws DelegaException.ValidationFailed naming {@code timezone}
   */
  public static ZoneId parseZone(String timezone) {
    if (timezone == null || timezone.isBlank()) {
      throw FieldErrors.field("timezone", "timezone must be an IANA zone such as Europe/Berlin");
    }
    try {
      return ZoneId.of(timezone.trim());
    } catch (DateTimeException e) {
      throw FieldErrors.field(
          "timezone",
          "timezone must be an IANA zone such as Europe/Berlin, got '" + timezone.trim() + "'");
    }
  }

  /** The first occurrence. */
  public Instant first() {
    return at(startDate);
  }

  /** The next occurrence strictly after {@code after}. */
  public Instant nextAfter(Instant after) {
    Instant first = first();
    if (first.isAfter(after)) {
      return first;
    }
    LocalDate afterDate = LocalDate.ofInstant(after, timezone);
    long p = Math.max(0, periodsBetween(startDate, afterDate));
    for (long k = Math.max(0, p / interval - 1); ; k++) {
      LocalDate d = anchorIn(startDate, k * interval);
      if (d.isAfter(startDate)) {
        Instant at = at(d);
        if (at.isAfter(after)) {
          return at;
        }
      }
    }
  }

  /** The latest occurrence at or before {@code t}, or empty when {@code t} precedes the first. */
  public Optional<Instant> latestAtOrBefore(Instant t) {
    Instant first = first();
    if (first.isAfter(t)) {
      return Optional.empty();
    }
    LocalDate tDate = LocalDate.ofInstant(t, timezone);
    long p = Math.max(0, periodsBetween(startDate, tDate));
    for (long k = p / interval + 1; k >= 0; k--) {
      LocalDate d = anchorIn(startDate, k * interval);
      if (d.isAfter(startDate)) {
        Instant at = at(d);
        if (!at.isAfter(t) && at.isAfter(first)) {
          return Optional.of(at);
        }
      }
    }
    return Optional.of(first);
  }

  /**
   * The occurrences in {@code (fromExclusive, toInclusive]}, oldest first, at most {@code max} of
   * them (the oldest {@code max}).
   */
  public List<Instant> occurrencesBetween(Instant fromExclusive, Instant toInclusive, int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must not be negative: " + max);
    }
    List<Instant> out = new ArrayList<>();
    Instant cursor = fromExclusive;
    while (out.size() < max) {
      Instant next = nextAfter(cursor);
      if (next.isAfter(toInclusive)) {
        break;
      }
      out.add(next);
      cursor = next;
    }
    return out;
  }

  /** The instant of a local date at this rule's time of day (gap: moved forward; overlap: earlier offset). */
  Instant at(LocalDate date) {
    return ZonedDateTime.of(date, timeOfDay, timezone).toInstant();
  }

  /** The anchor date of the period {@code periods} after the period that contains {@code base}. */
  LocalDate anchorIn(LocalDate base, long periods) {
    return switch (type) {
      case DAILY -> base.plusDays(periods);
      case WEEKLY ->
          base.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
              .plusWeeks(periods)
              .with(TemporalAdjusters.nextOrSame(dayOfWeek(anchorWeekday)));
      case MONTHLY -> clamp(YearMonth.from(base).plusMonths(periods), anchorDay);
      case YEARLY -> clamp(YearMonth.of(Math.toIntExact(base.getYear() + periods), anchorMonth),
          anchorDay);
    };
  }

  /** Whole periods from the period that contains {@code a} to the one that contains {@code b}. */
  long periodsBetween(LocalDate a, LocalDate b) {
    return switch (type) {
      case DAILY -> ChronoUnit.DAYS.between(a, b);
      case WEEKLY ->
          ChronoUnit.WEEKS.between(
              a.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)),
              b.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)));
      case MONTHLY -> ChronoUnit.MONTHS.between(YearMonth.from(a), YearMonth.from(b));
      case YEARLY -> (long) b.getYear() - a.getYear();
    };
  }

  /** Maps the wire weekday (Sunday = 0 … Saturday = 6) to a {@link DayOfWeek}. */
  public static DayOfWeek dayOfWeek(int wireWeekday) {
    return DayOfWeek.of(wireWeekday == 0 ? 7 : wireWeekday);
  }

  /** Maps a {@link DayOfWeek} to the wire weekday (Sunday = 0 … Saturday = 6). */
  public static int wireWeekday(DayOfWeek day) {
    return day.getValue() % 7;
  }

  private static LocalDate clamp(YearMonth month, int day) {
    return month.atDay(Math.min(day, month.lengthOfMonth()));
  }

  private static RecurrenceRule withDefaults(
      RuleType type,
      Integer interval,
      Integer anchorDay,
      Integer anchorMonth,
      Integer anchorWeekday,
      ZoneId timezone,
      LocalDate start,
      LocalTime timeOfDay) {
    if (type == null) {
      throw FieldErrors.field("rule_type", "rule_type is required: daily, weekly, monthly or yearly");
    }
    Integer day = anchorDay;
    Integer month = anchorMonth;
    Integer weekday = anchorWeekday;
    switch (type) {
      case DAILY -> {}
      case WEEKLY -> weekday = weekday != null ? weekday : wireWeekday(start.getDayOfWeek());
      case MONTHLY -> day = day != null ? day : start.getDayOfMonth();
      case YEARLY -> {
        day = day != null ? day : start.getDayOfMonth();
        month = month != null ? month : start.getMonthValue();
      }
    }
    return new RecurrenceRule(
        type, interval == null ? 1 : interval, day, month, weekday, timezone, start, timeOfDay);
  }

  private static void checkRange(String field, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      throw FieldErrors.field(
          field, field + " must be between " + min + " and " + max + ", got " + value);
    }
  }

  private static void require(String field, Integer value, String type) {
    if (value == null) {
      throw FieldErrors.field(field, field + " is required for " + type + " rules");
    }
  }
}
