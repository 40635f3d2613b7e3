package org.coffer.spi.support;

/**
 * A {@code service.ranking} as configurations give it. The Felix launcher's {@code etc/}
 * makes it an Integer, but Karaf's and Equinox's FileInstall deliver {@code
 * service.ranking = 300} from a {@code .cfg} file as the String {@code "300"}, which
 * the framework itself ranks as 0. Coffer reads both forms.
 */
public final class Ranking {

    private Ranking() {
    }

    /**
     * @param value the property's value: an Integer, another Number or a String
     * @return its integer value; 0 when it is missing or not a number
     */
    public static int of(Object value) {
        if (value instanceof Number) {
            return ((Number) value).intValue();
        }
        if (value instanceof String) {
            try {
                return Integer.parseInt(((String) value).trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }
}
