package io.angora.engine.internal.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  private static final Map<String, String> ENV = Map.of(
      "HOME", "/home/angora",
      "X", "ex",
      "SPACED", "two words",
      "TRICKY", "'q' \"d\" $HOME \\ ; | $(touch x)",
      "EMPTY", "");

  private static List<String> split(String command) {
    return CommandLine.split("t", command, ENV);
  }

  @Test
  void splitsOnBlanksOfAnyKind() {
    assertThat(split("  echo \t hello\nworld  ")).containsExactly("echo", "hello", "world");
    assertThat(split("   ")).isEmpty();
  }

  @Test
  void singleQuotesKeepEverythingLiterally() {
    assertThat(split("echo 'a  b' '$HOME' '\\n' '\"'")).containsExactly(
        "echo", "a  b", "$HOME", "\\n", "\"");
  }

  @Test
  void doubleQuotesHonourOnlyTheirFourEscapes() {
    assertThat(split("echo \"a \\\"b\\\" \\\\ \\$HOME \\` \\n 'c'\"")).containsExactly(
        "echo", "a \"b\" \\ $HOME ` \\n 'c'");
  }

  @Test
  void backslashOutsideQuotesEscapesTheNextCharacter() {
    assertThat(split("echo a\\ b \\'c\\' \\$HOME \\\\")).containsExactly(
        "echo", "a b", "'c'", "$HOME", "\\");
  }

  @Test
  void backslashNewlineJoinsLines() {
    assertThat(split("echo one\\\ntwo \"three\\\nfour\"")).containsExactly(
        "echo", "onetwo", "threefour");
  }

  @Test
  void trailingBackslashStays() {
    assertThat(split("echo a\\")).containsExactly("echo", "a\\");
  }

  @Test
  void adjacentPartsFormOneWord() {
    assertThat(split("a'b c'\"d e\"f$X'$X'")).containsExactly("ab cd efex$X");
  }

  @Test
  void emptyQuotesAreEmptyWords() {
    assertThat(split("printf '%s|' '' \"\" x")).containsExactly("printf", "%s|", "", "", "x");
  }

  @Test
  void expandsVariablesUnquotedAndInDoubleQuotes() {
    assertThat(split("ls $HOME/logs \"${HOME}/x\" ${X}y $X_ ${X}_")).containsExactly(
        "ls", "/home/angora/logs", "/home/angora/x", "exy", "$X_", "ex_");
  }

  @Test
  void leavesUnknownVariablesAsWritten() {
    assertThat(split("echo $NOPE ${NOPE} \"$NOPE-${NOPE}\" a$NOPE")).containsExactly(
        "echo", "$NOPE", "${NOPE}", "$NOPE-${NOPE}", "a$NOPE");
  }

  @Test
  void dollarWithoutNameStaysLiteral() {
    assertThat(split("echo $ a$ $1 $$ $( ${ ${} ${1x} \"$\" $")).containsExactly(
        "echo", "$", "a$", "$1", "$$", "$(", "${", "${}", "${1x}", "$", "$");
  }

  @Test
  void expandedValueWithSpacesStaysOneWord() {
    assertThat(split("echo $SPACED \"$SPACED\" x${SPACED}y")).containsExactly(
        "echo", "two words", "two words", "xtwo wordsy");
  }

  @Test
  void expandedValueIsNeverParsedAgain() {
    String tricky = ENV.get("TRICKY");
    assertThat(split("printf %s $TRICKY \"$TRICKY\"")).containsExactly(
        "printf", "%s", tricky, tricky);
  }

  @Test
  void wordOfOnlyEmptyUnquotedExpansionsDisappearsButQuotedOneStays() {
    assertThat(split("a $EMPTY \"$EMPTY\" ${EMPTY}$EMPTY b")).containsExactly("a", "", "b");
  }

  @Test
  void shellOperatorsAreOrdinaryCharacters() {
    assertThat(split("echo a|b > c ; d & `e` *.txt # f")).containsExactly(
        "echo", "a|b", ">", "c", ";", "d", "&", "`e`", "*.txt", "#", "f");
  }

  @Test
  void singleQuotesDoNotExpand() {
    assertThat(split("echo '${X}' \"'$X'\"")).containsExactly("echo", "${X}", "'ex'");
  }

  @Test
  void unterminatedSingleQuoteNamesTaskAndPosition() {
    assertThatThrownBy(() -> CommandLine.split("backup", "echo 'abc", ENV))
        .isInstanceOf(CommandSyntaxException.class)
        .hasMessage("task 'backup': unterminated single quote at position 6 of its command")
        .satisfies(e -> assertThat(((CommandSyntaxException) e).position()).isEqualTo(6));
  }

  @Test
  void unterminatedDoubleQuoteNamesTaskAndPosition() {
    assertThatThrownBy(() -> CommandLine.split("backup", "echo ok \"a 'b' \\\"", ENV))
        .isInstanceOf(CommandSyntaxException.class)
        .hasMessageContaining("task 'backup'")
        .hasMessageContaining("unterminated double quote at position 9");
  }

  @Test
  void expandLeavesQuotesAndBackslashesAlone() {
    assertThat(CommandLine.expand("$HOME/angora/'logs'\\${X}/$NOPE/${X}", ENV))
        .isEqualTo("/home/angora/angora/'logs'\\ex/$NOPE/ex");
    assertThat(CommandLine.expand("plain", ENV)).isEqualTo("plain");
  }
}
