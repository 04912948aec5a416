package io.jingnei.core.pii;

import java.time.Year;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static io.jingnei.core.pii.Detector.delimited;

/**
 * The built-in kinds: config name, placeholder label, shape, the check that rules out look-alikes,
 * and when two spellings are the same value ({@code 138 1234 5678} and {@code +8613812345678}).
 * Each pattern leads with a lookahead for its first character, which rejects most positions before
 * the costlier lookbehind runs (2-3 times faster scans). Plates are matched on any Han character and
 * checked for a province afterwards: a class of 31 Han characters made the scan ten times slower.
 * Declaration order is priority where matches overlap: an email's digits are not a phone, a valid
 * resident ID is not a card, a {@code 86}-prefixed phone is not a card. Patterns see the text folded
 * ({@link FoldedText}): ASCII digits and {@code @}, spaces, and {@code .} for the dots {@code 。・} a
 * customer may group a number with, which phones, cards and plates accept as separators.
 */
enum PiiKind {
    // [!-~] (printable ASCII) is one range test; the local-part class is a chain of five.
    EMAIL("email", "邮箱", "@",
            "(?=[!-~])(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,24}(?![A-Za-z0-9-])",
            any -> true, email -> email.toLowerCase(Locale.ROOT)),
    ID("id", "身份证", Detector.DIGITS, delimited("\\d", "\\d{17}[\\dXx]"),
            id -> FormatChecks.isResidentId(id, Year.now().getValue()), id -> id.toUpperCase(Locale.ROOT)),
    PHONE("phone", "手机号", Detector.DIGITS, delimited("[+018]", "(?:(?:\\+|00)?86[ -]?)?1[3-9]\\d(?:\\d{8}|[ .-]\\d{4}[ .-]\\d{4})"),
            any -> true, PiiKind::lastElevenDigits),
    // The parenthesised form brings its own delimiter: Tel(021)87654321 is a landline. Local
    // numbers never start with 0, so 010-02345678 is something else.
    LANDLINE("landline", "座机", Detector.DIGITS,
            "(?=[0(（])(?:(?<!\\p{Alnum})0(?:10|2\\d|[3-9]\\d{2})[- ]|[(（]0(?:10|2\\d|[3-9]\\d{2})[)）][- ]?)[1-9]\\d{6,7}(?!\\p{Alnum})",
            any -> true, FormatChecks::digitsOf),
    CARD("card", "银行卡", Detector.DIGITS, delimited("[1-9]", "\\d{13,19}|\\d{4}(?:[ .-]\\d{4}){2,3}(?:[ .-]\\d{1,3})?"),
            FormatChecks::isCardNumber, FormatChecks::digitsOf),
    // A dot before or a dot-digit after means a longer dotted number (a version), not an address.
    IP("ip", "IP地址", Detector.DIGITS, "(?=\\d)(?<![\\p{Alnum}.])(?:\\d{1,3}\\.){3}\\d{1,3}(?!\\p{Alnum}|\\.\\d)",
            FormatChecks::isIpv4, UnaryOperator.identity()),
    PASSPORT("passport", "护照", Detector.DIGITS, delimited("[EG]", "[EG]\\d{8}|E[A-Z]\\d{7}"),
            any -> true, UnaryOperator.identity()),
    PLATE("plate", "车牌", Detector.DIGITS,
            delimited("[\\u4e00-\\u9fa5][A-Z]", "[\\u4e00-\\u9fa5][A-Z][·•. ]?[A-Z0-9]{5,6}"),
            FormatChecks::isPlate, PiiKind::withoutSeparator);

    private final String configName;
    private final Detector detector;

    PiiKind(String configName, String label, String triggers, String regex, Predicate<String> valid,
            UnaryOperator<String> sameValueKey) {
        this.configName = configName;
        this.detector = new Detector(configName, label, triggers, regex, valid, sameValueKey);
    }

    String configName() {
        return configName;
    }

    Detector detector() {
        return detector;
    }

    private static String lastElevenDigits(String phone) {
        String digits = FormatChecks.digitsOf(phone);
        return digits.substring(digits.length() - 11);
    }

    private static String withoutSeparator(String plate) {
        return Character.isLetterOrDigit(plate.charAt(2)) ? plate : plate.substring(0, 2) + plate.substring(3);
    }
}
