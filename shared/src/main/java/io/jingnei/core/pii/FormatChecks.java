package io.jingnei.core.pii;

import java.time.YearMonth;

/** Check digits and ranges that tell a real identifier from a number that merely has its shape. */
final class FormatChecks {
    private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String ID_CHECK_CHARACTERS = "10X98765432";
    private static final int EARLIEST_BIRTH_YEAR = 1900;
    private static final String PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

    private FormatChecks() {
    }

    /** GB 11643-1999: 17 digits, then a check character from weighted sum mod 11; digits 7-14 are the birth date. */
    static boolean isResidentId(String id, int latestBirthYear) {
        if (id.length() != 18) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (id.charAt(i) - '0') * ID_WEIGHTS[i];
        }
        if (Character.toUpperCase(id.charAt(17)) != ID_CHECK_CHARACTERS.charAt(sum % 11)) {
            return false;
        }
        int year = Integer.parseInt(id.substring(6, 10));
        int month = Integer.parseInt(id.substring(10, 12));
        int day = Integer.parseInt(id.substring(12, 14));
        return year >= EARLIEST_BIRTH_YEAR && year <= latestBirthYear
                && month >= 1 && month <= 12
                && day >= 1 && day <= YearMonth.of(year, month).lengthOfMonth();
    }

    /**
     * A bank card number: 13 to 19 digits passing the Luhn check. A leading 0 is refused: no card
     * issuer number starts with 0, zero-padded codes do. Ungrouped timestamps that happen to pass
     * Luhn are not cards: 13 digits starting with 1 (milliseconds since 1970, 2001-2033; 13-digit
     * cards are old Visa numbers, which start with 4) and 14 digits that read as a date and time
     * yyyyMMddHHmmss (14-digit cards are Diners numbers, starting 30, 36 or 38).
     */
    static boolean isCardNumber(String grouped) {
        String digits = digitsOf(grouped);
        if (digits.length() < 13 || digits.length() > 19 || digits.charAt(0) == '0' || !passesLuhn(digits)) {
            return false;
        }
        boolean ungrouped = digits.length() == grouped.length();
        return !(ungrouped && isTimestamp(digits));
    }

    private static boolean isTimestamp(String digits) {
        if (digits.length() == 13) {
            return digits.charAt(0) == '1';
        }
        if (digits.length() != 14) {
            return false;
        }
        int year = Integer.parseInt(digits.substring(0, 4));
        int month = Integer.parseInt(digits.substring(4, 6));
        int day = Integer.parseInt(digits.substring(6, 8));
        int hour = Integer.parseInt(digits.substring(8, 10));
        int minute = Integer.parseInt(digits.substring(10, 12));
        int second = Integer.parseInt(digits.substring(12, 14));
        return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= YearMonth.of(year, month).lengthOfMonth()
                && hour <= 23 && minute <= 59 && second <= 59;
    }

    static boolean passesLuhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return sum % 10 == 0;
    }

    static boolean isIpv4(String dotted) {
        for (String octet : dotted.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * A province abbreviation, a city letter, then a serial. A five-character serial has at least
     * three digits (so 新MACBO is no plate); a six-character one is a new-energy plate, D or F at one
     * end and at least four digits.
     */
    static boolean isPlate(String plate) {
        if (PROVINCES.indexOf(plate.charAt(0)) < 0) {
            return false;
        }
        // province, city letter, optional separator, then the serial
        String serial = Character.isLetterOrDigit(plate.charAt(2)) ? plate.substring(2) : plate.substring(3);
        int digits = 0;
        for (int i = 0; i < serial.length(); i++) {
            if (Character.isDigit(serial.charAt(i))) {
                digits++;
            }
        }
        if (serial.length() == 5) {
            return digits >= 3;
        }
        return digits >= 4 && (isNewEnergyMark(serial.charAt(0)) || isNewEnergyMark(serial.charAt(5)));
    }

    private static boolean isNewEnergyMark(char c) {
        return c == 'D' || c == 'F';
    }

    static String digitsOf(String text) {
        StringBuilder digits = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        return digits.toString();
    }
}
