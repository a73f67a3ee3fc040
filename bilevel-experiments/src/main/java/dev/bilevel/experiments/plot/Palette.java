package dev.bilevel.experiments.plot;

import java.awt.Color;
import java.util.List;
import java.util.Map;

/**
 * Line colours that colour-blind readers can tell apart: the Okabe–Ito palette (Wong, <i>Nature Methods</i> 8, 441,
 * 2011) without its pale yellow, which is faint on white, plus grey and Tol's olive. Each method has a fixed colour,
 * so that it looks the same in every figure of every report whatever else is drawn beside it ({@link #method});
 * curves that are not methods (runs, estimators) take the colours in order ({@link #ordinal}).
 */
public final class Palette {

    /** Okabe–Ito vermillion. */
    public static final Color VERMILLION = new Color(0xD5, 0x5E, 0x00);
    /** Okabe–Ito blue. */
    public static final Color BLUE = new Color(0x00, 0x72, 0xB2);
    /** Okabe–Ito bluish green. */
    public static final Color BLUISH_GREEN = new Color(0x00, 0x9E, 0x73);
    /** Okabe–Ito orange. */
    public static final Color ORANGE = new Color(0xE6, 0x9F, 0x00);
    /** Okabe–Ito reddish purple. */
    public static final Color REDDISH_PURPLE = new Color(0xCC, 0x79, 0xA7);
    /** Okabe–Ito sky blue. */
    public static final Color SKY_BLUE = new Color(0x56, 0xB4, 0xE9);
    /** Black. */
    public static final Color BLACK = Color.BLACK;
    /** Neutral grey. */
    public static final Color GREY = new Color(0x99, 0x99, 0x99);
    /** Tol's olive, a ninth colour for the ninth FourRooms method. */
    public static final Color OLIVE = new Color(0x99, 0x99, 0x33);

    private static final List<Color> ORDER = List.of(VERMILLION, BLUE, BLUISH_GREEN, REDDISH_PURPLE, ORANGE, SKY_BLUE,
            BLACK, GREY, OLIVE);

    /**
     * Method ids (as the problem profiles spell them, {@code naive/true} being Naive-PGD off-policy and
     * {@code bchg/model} thermal's BC-HG with the model-based sensitivity) to colours. The
     * methods of one problem never share a colour, and the methods most often drawn together (BC-HG, HPGD, Naive-PGD)
     * get the three most different ones; HPGD's TD (thermal) and SARSA (FourRooms) critics, which never meet, share
     * one.
     */
    private static final Map<String, Color> METHODS = Map.ofEntries(
            Map.entry("bchg", VERMILLION), Map.entry("bchg/false", VERMILLION), Map.entry("bchg/true", GREY),
            Map.entry("bchg-sr", ORANGE),
            Map.entry("hpgd-mc", BLUE),
            Map.entry("hpgd-sarsa", BLUISH_GREEN), Map.entry("hpgd-td", BLUISH_GREEN),
            Map.entry("hpgd-oracle", BLACK),
            Map.entry("naive", REDDISH_PURPLE), Map.entry("naive/false", REDDISH_PURPLE),
            Map.entry("naive/true", SKY_BLUE),
            Map.entry("biac/false", BLUISH_GREEN), Map.entry("biac/true", ORANGE),
            Map.entry("sobirl", SKY_BLUE),
            Map.entry("zero-order", GREY),
            Map.entry("exact", OLIVE),
            // Thermal: the method and BC-HG's follower sensitivity (the reference's is monte-carlo).
            Map.entry("bchg/monte-carlo", VERMILLION), Map.entry("hpgd-mc/monte-carlo", BLUE),
            Map.entry("hpgd-td/monte-carlo", BLUISH_GREEN), Map.entry("naive/monte-carlo", REDDISH_PURPLE),
            Map.entry("bchg/model", BLACK), Map.entry("bchg/centred", ORANGE),
            Map.entry("zero-wind", BLUE), Map.entry("random-wind", BLUISH_GREEN));

    private Palette() {
    }

    /**
     * The colour of a method, the same in every figure. A method outside the map gets a colour of the palette
     * chosen by its id, so that it too keeps its colour from figure to figure.
     *
     * @param id the method id
     * @return its colour
     */
    public static Color method(String id) {
        Color c = METHODS.get(id);
        return c != null ? c : ORDER.get(Math.floorMod(id.hashCode(), ORDER.size()));
    }

    /**
     * The {@code i}-th colour, for curves that are not methods: vermillion, blue, bluish green, reddish purple,
     * orange, sky blue, black, grey, olive, then again.
     *
     * @param i from 0
     * @return the colour
     */
    public static Color ordinal(int i) {
        return ORDER.get(Math.floorMod(i, ORDER.size()));
    }

    /**
     * A colour made see-through, for bands under lines.
     *
     * @param c the colour
     * @param alpha opacity from 0 (none) to 255 (opaque)
     * @return the colour with that opacity
     */
    public static Color translucent(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }
}
