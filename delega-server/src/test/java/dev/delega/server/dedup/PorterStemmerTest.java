package dev.delega.server.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PorterStemmerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // Examples from Porter (1980), one or more per step.
    "caresses, caress",
    "ponies, poni",
    "ties, ti",
    "caress, caress",
    "cats, cat",
    "feed, feed",
    "agreed, agre",
    "plastered, plaster",
    "bled, bled",
    "motoring, motor",
    "sing, sing",
    "conflated, conflat",
    "troubled, troubl",
    "sized, size",
    "hopping, hop",
    "tanned, tan",
    "falling, fall",
    "hissing, hiss",
    "fizzed, fizz",
    "failing, fail",
    "filing, file",
    "happy, happi",
    "sky, sky",
    "relational, relat",
    "conditional, condit",
    "rational, ration",
    "digitizer, digit",
    "vietnamization, vietnam",
    "predication, predic",
    "operator, oper",
    "feudalism, feudal",
    "decisiveness, decis",
    "hopefulness, hope",
    "callousness, callous",
    "triplicate, triplic",
    "formative, form",
    "formalize, formal",
    "electrical, electr",
    "hopeful, hope",
    "goodness, good",
    "revival, reviv",
    "allowance, allow",
    "inference, infer",
    "airliner, airlin",
    "gyroscopic, gyroscop",
    "adjustable, adjust",
    "defensible, defens",
    "irritant, irrit",
    "replacement, replac",
    "adjustment, adjust",
    "dependent, depend",
    "adoption, adopt",
    "communism, commun",
    "activate, activ",
    "effective, effect",
    "bowdlerize, bowdler",
    "probate, probat",
    "rate, rate",
    "cease, ceas",
    "controlling, control",
    "roll, roll",
    // Task vocabulary: inflections meet.
    "migrated, migrat",
    "migration, migrat",
    "deploying, deploi",
    "deployed, deploi",
    // Not plain lower-case words: unchanged.
    "prod-db-1, prod-db-1",
    "v3, v3",
    "is, is"
  })
  void stemsLikePorter(String word, String stem) {
    assertThat(PorterStemmer.stem(word)).isEqualTo(stem);
  }
}
