package dev.bilevel.experiments.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdentifiersTest {

    private enum Colour {
        RED, LIGHT_GREEN, BLUE;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    @Test
    void theUsualIdentifierIsTheLowerCaseNameWithHyphens() {
        assertThat(Identifiers.of(Colour.LIGHT_GREEN)).isEqualTo("light-green");
        assertThat(Identifiers.parse(Colour.class, "light-green", "paint", "colour")).isEqualTo(Colour.LIGHT_GREEN);
        assertThatThrownBy(() -> Identifiers.parse(Colour.class, "green", "paint", "colour"))
                .hasMessage("paint: unknown colour 'green', expected red, light-green or blue");
    }

    @Test
    void findsTheConstantByItsIdentifier() {
        assertThat(Identifiers.parse(Colour.values(), Colour::id, "light-green", "paint", "colour"))
                .isEqualTo(Colour.LIGHT_GREEN);
    }

    @Test
    void anUnknownValueNamesTheFieldAndListsTheChoices() {
        assertThatThrownBy(() -> Identifiers.parse(Colour.values(), Colour::id, "LIGHT_GREEN", "paint", "colour"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("paint: unknown colour 'LIGHT_GREEN', expected red, light-green or blue");
        Colour[] one = {Colour.RED};
        assertThatThrownBy(() -> Identifiers.parse(one, Colour::id, "blue", "paint", "colour"))
                .hasMessage("paint: unknown colour 'blue', expected red");
    }
}
