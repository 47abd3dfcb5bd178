package dev.scimserver.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arguments of {@code admin}: a command ({@code workspaces create}), its positional arguments, and
 * {@code --option value} (or {@code --option=value}) anywhere after it, up to a {@code --} after which
 * everything is an argument. Every mistake is a {@link UsageException} whose message says which and
 * how to get it right.
 */
final class AdminCommandLine {
    /** Options every command takes. */
    static final Set<String> COMMON_OPTIONS = Set.of("url", "json");
    /** Options that stand alone, without a value. */
    private static final Set<String> FLAGS = Set.of("json", "help");
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,5})([dhm])");
    /**
     * Added where a word was read as an option that it may not be: an argument that begins with a dash
     * (a group's name, an id) reads as one, and the user would not know how else to give it.
     */
    private static final String ARGUMENT_AFTER_DOUBLE_DASH = " (an argument that begins with - goes after --, "
            + "as in: admin roles map -- --ops builder)";

    /** A command as typed: {@code workspaces create acme --name Acme}. */
    record Invocation(String command, List<String> arguments, Map<String, String> options) {
        String option(String name, String fallback) {
            return options.getOrDefault(name, fallback);
        }

        boolean has(String name) {
            return options.containsKey(name);
        }
    }

    /** The arguments are wrong; the message says how. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private AdminCommandLine() {
    }

    /**
     * Splits {@code args} into a command, the longest of {@code commands} they start with (else their
     * first two words, which name no command), its positional arguments, and its options. {@code optionNames}:
     * every option some command takes, so that one of them left without a value is refused as such, and
     * a word that is none of them is left to {@link #check} to refuse as what the command does not take.
     */
    static Invocation parse(List<String> args, Set<String> commands, Set<String> optionNames) {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                positional.addAll(args.subList(i + 1, args.size()));
                break;
            } else if (arg.equals("-h")) {
                options.put("help", "");
            } else if (arg.startsWith("--") && arg.length() > 2) {
                String name = arg.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                    if (FLAGS.contains(name)) {
                        // --json=false read as --json printed JSON all the same.
                        throw new UsageException("--" + name + " takes no value");
                    }
                } else if (FLAGS.contains(name)) {
                    value = "";
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else if (optionNames.contains(name) || COMMON_OPTIONS.contains(name)) {
                    throw new UsageException("--" + name + " needs a value");
                } else {
                    // No command takes it: check() refuses it naming the command, which alone knows
                    // whether an argument that begins with a dash could have been meant.
                    value = "";
                }
                if (options.put(name, value) != null) {
                    throw new UsageException("--" + name + " is given twice");
                }
            } else {
                positional.add(arg);
            }
        }
        int split = positional.size() >= 2 && commands.contains(positional.get(0) + " " + positional.get(1)) ? 2
                : !positional.isEmpty() && commands.contains(positional.get(0)) ? 1 : Math.min(2, positional.size());
        return new Invocation(String.join(" ", positional.subList(0, split)),
                List.copyOf(positional.subList(split, positional.size())), Map.copyOf(options));
    }

    /** Refuses options the command does not take, a wrong number of positional arguments, and blank values. */
    static void check(Invocation invocation, List<String> argumentNames, Set<String> options) {
        for (String option : invocation.options().keySet()) {
            if (!options.contains(option) && !COMMON_OPTIONS.contains(option) && !option.equals("help")) {
                throw new UsageException("'" + invocation.command() + "' does not take --" + option
                        + (argumentNames.isEmpty() ? "" : ARGUMENT_AFTER_DOUBLE_DASH));
            }
        }
        if (invocation.arguments().size() != argumentNames.size()) {
            throw new UsageException("'" + invocation.command() + "' takes "
                    + (argumentNames.isEmpty() ? "no arguments" : String.join(" ", argumentNames))
                    + ", not " + (invocation.arguments().isEmpty() ? "none" : String.join(" ", invocation.arguments())));
        }
        // A blank value would reach the server as an empty path segment or field, and come back as
        // a 404 about an endpoint or a 400 about a body the user never wrote.
        invocation.options().forEach((option, value) -> {
            if (!FLAGS.contains(option) && value.isBlank()) {
                throw new UsageException("--" + option + " is blank: give it a value");
            }
        });
        for (int i = 0; i < argumentNames.size(); i++) {
            if (invocation.arguments().get(i).isBlank()) {
                throw new UsageException("'" + invocation.command() + "' takes " + argumentNames.get(i)
                        + ", and it is blank");
            }
        }
    }

    /**
     * {@code --expires}: a duration from now ({@code 365d}, {@code 12h}, {@code 30m}) or an RFC 3339
     * date-time; {@code null} when not given.
     */
    static String expiry(String text, Clock clock) {
        if (text == null) {
            return null;
        }
        Matcher duration = DURATION.matcher(text);
        if (duration.matches()) {
            long amount = Long.parseLong(duration.group(1));
            Duration length = switch (duration.group(2)) {
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofMinutes(amount);
            };
            return Instant.now(clock).plus(length).toString();
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toString();
        } catch (DateTimeParseException e) {
            throw new UsageException("--expires takes a duration such as 365d, 12h or 30m, or an RFC 3339 date-time "
                    + "such as 2030-01-31T00:00:00Z; not '" + text + "'");
        }
    }
}
