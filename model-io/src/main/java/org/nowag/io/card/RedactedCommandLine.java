package org.nowag.io.card;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command line as report.json and the model card record it, secrets replaced by {@value #MASK}:
 * <ul>
 * <li>a property value whose key contains secret, password, token, key or credential (any case): {@code --conf K=V},
 * {@code --conf=K=V}, {@code -c K=V}, {@code -DK=V}, {@code -D K=V}, also inside a longer value such as
 * {@code spark.driver.extraJavaOptions=-Dfs.s3a.secret.key=...};</li>
 * <li>the value of an option whose name has one of those words as a dash-separated part ({@code --hf-token X},
 * {@code --password=X}; {@code --calib-tokens 512} is not one: "tokens" is a count);</li>
 * <li>the user information of a URI ({@code s3a://ACCESS:SECRET@bucket/} keeps only {@code s3a://***@bucket/}).</li>
 * </ul>
 * Redaction errs towards hiding: a key such as spark.kryo.registrationKey... loses its value too.
 */
public final class RedactedCommandLine {
    public static final String MASK = "***";
    private static final Pattern SENSITIVE_KEY = Pattern.compile("secret|password|passwd|token|key|credential",
            Pattern.CASE_INSENSITIVE);
    private static final List<String> SENSITIVE_WORDS = List.of("secret", "password", "passwd", "token", "key",
            "credential", "credentials", "apikey");
    /** -DK=V anywhere in an argument (V up to the next blank). */
    private static final Pattern SYSTEM_PROPERTY = Pattern.compile("(-D\\s*)([^=\\s]+)=(\\S*)");
    private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@\\s]+)@");

    private RedactedCommandLine() {}

    public static List<String> redact(List<String> args) {
        List<String> out = new ArrayList<>(args.size());
        boolean nextIsProperty = false;
        boolean nextIsSecret = false;
        for (String arg : args) {
            String a = arg;
            if (nextIsSecret) {
                a = MASK;
            } else if (nextIsProperty) {
                a = property(a);
            } else if (a.startsWith("--conf=")) {
                a = "--conf=" + property(a.substring("--conf=".length()));
            } else if (a.startsWith("--") && a.contains("=") && sensitiveOption(a.substring(2, a.indexOf('=')))) {
                a = a.substring(0, a.indexOf('=') + 1) + MASK;
            }
            nextIsProperty = a.equals("--conf") || a.equals("-c") || a.equals("-D");
            nextIsSecret = a.startsWith("--") && !a.contains("=") && sensitiveOption(a.substring(2));
            out.add(uriUserInfo(systemProperties(a)));
        }
        return out;
    }

    /** One line, each argument quoted for a POSIX shell when it needs it. */
    public static String join(List<String> redacted) {
        StringBuilder s = new StringBuilder();
        for (String a : redacted) {
            if (s.length() > 0) s.append(' ');
            s.append(a.matches("[A-Za-z0-9_@%+=:,./*-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return s.toString();
    }

    /** K=V with the value masked when K is sensitive. */
    static String property(String kv) {
        int eq = kv.indexOf('=');
        if (eq < 0) return kv;
        String key = kv.substring(0, eq);
        return SENSITIVE_KEY.matcher(key).find() ? key + "=" + MASK : kv;
    }

    private static boolean sensitiveOption(String name) {
        for (String word : name.toLowerCase(Locale.ROOT).split("[-_.]")) {
            if (SENSITIVE_WORDS.contains(word)) return true;
        }
        return false;
    }

    private static String systemProperties(String a) {
        Matcher m = SYSTEM_PROPERTY.matcher(a);
        StringBuilder s = new StringBuilder();
        while (m.find()) {
            String replacement = SENSITIVE_KEY.matcher(m.group(2)).find() ? m.group(1) + m.group(2) + "=" + MASK : m.group();
            m.appendReplacement(s, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(s);
        return s.toString();
    }

    private static String uriUserInfo(String a) {
        return USER_INFO.matcher(a).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK + "@"));
    }
}
