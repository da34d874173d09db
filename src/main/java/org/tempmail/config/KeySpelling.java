package org.tempmail.config;

import java.util.Locale;
import java.util.Optional;

/** Unknown keys as an administrator should hear of them: the known key meant, and the name only if it is safe. */
final class KeySpelling {
    private static final int LONGEST_SHOWN = 40;

    private KeySpelling() {
    }

    /**
     * The known key a misspelt or lowercase name is closest to: at most one letter off (swapped letters count as
     * one), two for names of ten letters or more.
     */
    static Optional<Key> nearest(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        int allowed = upper.length() >= 10 ? 2 : 1;
        Key best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Key key : Key.values()) {
            int distance = distance(upper, key.name());
            if (distance < bestDistance) {
                best = key;
                bestDistance = distance;
            }
        }
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /**
     * The name for a message, unless it could be a secret: a base64 secret on a line of its own ends in '=' and
     * reads as an assignment, but its name is in mixed case, which a key never is.
     */
    static String shown(String name) {
        boolean mixed = !name.equals(name.toUpperCase(Locale.ROOT)) && !name.equals(name.toLowerCase(Locale.ROOT));
        if (mixed || name.length() > LONGEST_SHOWN) {
            return "a name in mixed case or longer than " + LONGEST_SHOWN + " characters (not shown: it may be a "
                    + "secret)";
        }
        return name;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
